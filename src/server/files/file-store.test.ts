import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderFileStore, type FileStore } from './file-store.ts';
import { s3FileStore } from './s3-file-store.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let s3: S3rver;
let port: number;
beforeAll(async () => {
  port = await freePort();
  s3 = new S3rver({ port, address: '127.0.0.1', silent: true, directory: await mkdtemp(join(tmpdir(), 's3rver-')), configureBuckets: [{ name: 'resumes', configs: [] }] });
  await s3.run();
});
afterAll(() => s3?.close());

const stores: Array<[string, () => Promise<FileStore>]> = [
  ['a folder', async () => folderFileStore(await mkdtemp(join(tmpdir(), 'dayone-files-')))],
  [
    'an S3-compatible bucket',
    async () =>
      s3FileStore({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', bucket: 'resumes', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true }),
  ],
];

describe.each(stores)('the file store in %s', (_name, make) => {
  it('keeps bytes exactly under a random key, and deletes them', async () => {
    const store = await make();
    const bytes = Buffer.from([0, 1, 2, 255, ...Buffer.from('Zoë')]);
    const key = await store.put(bytes);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.get(key)).toEqual(bytes);
    const other = await store.put(Buffer.from('x'));
    expect(other).not.toBe(key);
    await store.delete(key);
    await expect(store.get(key)).rejects.toThrow();
    expect((await store.get(other)).toString()).toBe('x');
  });
});
