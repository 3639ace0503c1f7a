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

/** Files in a folder (DATA_DIR/files by default). An S3-compatible store can take its place behind the same interface. */
export function folderFileStore(dir: string): FileStore {
  const path = (key: string) => {
    if (!KEY.test(key)) throw new Error(`Not a file key: ${key}`);
    return join(dir, key.slice(0, 2), key);
  };
  return {
    async put(bytes) {
      const key = randomUUID();
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      await writeFile(path(key), bytes, { flag: 'wx', mode: 0o600 });
      return key;
    },
    get: (key) => readFile(path(key)),
    delete: (key) => rm(path(key), { force: true }),
  };
}
