import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testEngine, type TestDatabase } from '../../test/support/test-db.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { verifyApiKey } from '../server/features/apikeys/apikeys.service.ts';
import { apikeyCommand } from './apikey.ts';

let server: TestDatabase | undefined;
let config: Config;

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dayone-apikey-'));
  if (testEngine === 'postgres') server = await freshDatabase();
  config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456', ...(server ? { DATABASE_URL: server.url! } : {}) });
});
afterAll(() => server?.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await apikeyCommand(config, argv, { env: {}, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function verify(key: string) {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await verifyApiKey({ db: database.db, key });
  } finally {
    await database.close();
  }
}

describe(`dayone apikey on ${testEngine}`, () => {
  it.each([[[]], [['frobnicate']], [['create']], [['create', '--name', ' ']], [['create', 'extra', '--name', 'x']], [['list', 'extra']], [['revoke']], [['revoke', 'abc']], [['revoke', '1', '2']], [['list', '--limit', '3']]])(
    'exits 2 with the usage for %j',
    async (argv) => {
      const { code, stderr } = await cli(...argv);
      expect(code).toBe(2);
      expect(stderr).toContain('Usage: dayone apikey');
    },
  );

  it('says there are no keys yet', async () => {
    const { code, stdout } = await cli('list');
    expect(code).toBe(0);
    expect(stdout).toContain('There are no API keys');
  });

  it('prints a new key once with a warning to store it, lists it by its first characters, and revokes it', async () => {
    const created = await cli('create', '--name', 'Acme board');
    expect(created.code).toBe(0);
    const key = /\bdk_[A-Za-z0-9_-]{43}\b/.exec(created.stdout)?.[0];
    expect(key).toBeDefined();
    expect(created.stdout).toMatch(/shown only this once/);
    expect(await verify(key!)).toBeDefined();

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Acme board');
    expect(listed.stdout).toContain(`${key!.slice(0, 9)}…`);
    expect(listed.stdout).not.toContain(key!);
    expect(listed.stdout).toContain('active');
    const id = listed.stdout.split('\t')[0]!;

    const revoked = await cli('revoke', id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked API key');
    expect(await verify(key!)).toBeUndefined();
    expect((await cli('list')).stdout).toContain('revoked ');
  });

  it('exits 1 for an unknown or already revoked id', async () => {
    const unknown = await cli('revoke', '987654');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no API key with the id 987654');
    await cli('create', '--name', 'Twice');
    const id = (await cli('list')).stdout.split('\n').find((l) => l.includes('Twice'))!.split('\t')[0]!;
    expect((await cli('revoke', id)).code).toBe(0);
    const again = await cli('revoke', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already revoked');
  });

  it('prints help and exits 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('apikey create --name NAME');
  });
});
