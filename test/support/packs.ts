import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Files of a small valid content pack, by path. Override or add files to make it broken. */
export function packFiles(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const files: Record<string, string | undefined> = {
    'culture.md': '---\norganization: Acme\ntitle: Build with care\nsummary: How Acme works.\n---\nWe build with care.\n',
    'teams/robots.md': '---\nname: Robots\norder: 1\nsummary: Makes robots.\n---\nThe robots team.\n',
    'teams/rockets.md': '---\nname: Rockets\norder: 2\nsummary: Makes rockets.\n---\nThe rockets team.\n',
    'principles/be-kind.md': '---\nname: Be kind\norder: 1\nsummary: Kindness first.\n---\nWe are kind.\n',
    'principles/be-brave.md': '---\nname: Be brave\norder: 2\nsummary: Courage.\n---\nWe are brave.\n',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Writes pack files into a new temporary folder and returns its path. */
export async function writePack(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dayone-pack-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}
