import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PackFile } from '../../../domain/content-pack.ts';

/** The folders of a pack and the files read from each; anything else is left on disk unread. */
const FOLDERS: Array<{ sub: string; endings: string[] }> = [
  { sub: '', endings: ['.md'] },
  { sub: 'teams', endings: ['.md'] },
  { sub: 'principles', endings: ['.md'] },
  { sub: 'questions', endings: ['.yaml', '.yml'] },
];

/** Reads the files of a content pack folder (culture.md, teams/, principles/, questions/). */
export async function readPackFolder(dir: string): Promise<PackFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`The content pack folder ${dir} does not exist`);
  const files: PackFile[] = [];
  for (const { sub, endings } of FOLDERS) {
    const folder = join(dir, sub);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => endings.some((e) => n.endsWith(e))).sort()) {
      const path = join(folder, name);
      files.push({ path: relative(dir, path).split(sep).join('/'), text: await readFile(path, 'utf8') });
    }
  }
  return files;
}
