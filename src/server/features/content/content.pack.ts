import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PackFile } from '../../../domain/content-pack.ts';

/** Reads the Markdown files of a content pack folder (culture.md, teams/, principles/). */
export async function readPackFolder(dir: string): Promise<PackFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`The content pack folder ${dir} does not exist`);
  const files: PackFile[] = [];
  for (const sub of ['', 'teams', 'principles']) {
    const folder = join(dir, sub);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.md')).sort()) {
      const path = join(folder, name);
      files.push({ path: relative(dir, path).split(sep).join('/'), text: await readFile(path, 'utf8') });
    }
  }
  return files;
}
