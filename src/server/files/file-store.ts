import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where uploaded files live. Keys are random, so no file has a guessable address. */
export interface FileStore {
  put(bytes: Buffer): Promise<string>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

const KEY = /^[0-9a-f-]{36}$/;

/**
 * The id of the process family that writes into this folder: it survives restarts (it lives
 * in the folder), so a restarted node knows which unrecorded files were its own uploads.
 */
export async function nodeId(dir: string): Promise<string> {
  const file = join(dir, '.node-id');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (KEY.test(existing.trim())) return existing.trim();
  await mkdir(dir, { recursive: true });
  const id = randomUUID();
  await writeFile(file, id, { flag: 'wx' }).catch(async () => undefined);
  return (await readFile(file, 'utf8')).trim();
}

/** Where a file's "written by this node, not yet known to be recorded" marker lives. */
export const pendingMarker = (dir: string, node: string, key: string) => join(dir, '.pending', node, key);

/**
 * Files in a folder (DATA_DIR/files). An S3-compatible store can take its place behind the same
 * interface. Each write leaves a marker naming the node that wrote it, so that after a crash the
 * restarted node can remove its own unrecorded files at once (see sweepOrphanFiles).
 */
export function folderFileStore(dir: string): FileStore {
  const path = (key: string) => {
    if (!KEY.test(key)) throw new Error(`Not a file key: ${key}`);
    return join(dir, key.slice(0, 2), key);
  };
  let node: Promise<string> | undefined;
  return {
    async put(bytes) {
      const key = randomUUID();
      node ??= nodeId(dir);
      const marker = pendingMarker(dir, await node, key);
      await mkdir(join(marker, '..'), { recursive: true });
      await writeFile(marker, '');
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      await writeFile(path(key), bytes, { flag: 'wx', mode: 0o600 });
      return key;
    },
    get: (key) => readFile(path(key)),
    delete: (key) => rm(path(key), { force: true }),
  };
}
