import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testEngine, type TestDatabase } from '../../test/support/test-db.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { findInvite } from '../server/features/staff/auth.service.ts';
import { runCli } from './main.ts';
import { usersCommand } from './users.ts';

let server: TestDatabase | undefined;
let config: Config;

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dayone-users-'));
  if (testEngine === 'postgres') server = await freshDatabase();
  config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://jobs.example.test',
    SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
    ...(server ? { DATABASE_URL: server.url! } : {}),
  });
});
afterAll(() => server?.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await usersCommand(config, argv, { env: {}, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function invitee(token: string) {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await findInvite({ db: database.db, token });
  } finally {
    await database.close();
  }
}

describe(`dayone users on ${testEngine}`, () => {
  it.each([
    [[]],
    [['frobnicate']],
    [['create']],
    [['create', '--email', 'a@example.com']],
    [['create', '--role', 'admin']],
    [['create', 'extra', '--email', 'a@example.com', '--role', 'admin']],
    [['create', '--email', 'a@example.com', '--role', 'admin', '--level', '3']],
    [['list', 'extra']],
    [['list', '--role', 'admin']],
  ])('exits 2 with the usage for %j', async (argv) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: dayone users');
  });

  it('says there are no staff yet and how to add the first admin', async () => {
    const { code, stdout } = await cli('list');
    expect(code).toBe(0);
    expect(stdout).toContain('dayone users create --email EMAIL --role admin');
  });

  it('adds the first admin and prints a working 72-hour invitation link based on PUBLIC_URL', async () => {
    const { code, stdout, stderr } = await cli('create', '--email', 'First.Admin@example.com', '--role', 'admin', '--name', 'First Admin');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('72 hours');
    const link = /https:\/\/jobs\.example\.test\/staff\/invite\?token=[\w-]{43}/.exec(stdout)?.[0];
    expect(link).toBeDefined();
    expect(await invitee(new URL(link!).searchParams.get('token')!)).toEqual({ email: 'First.Admin@example.com', name: 'First Admin' });

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^\d+\tFirst\.Admin@example\.com\tFirst Admin\tadmin\tinvited$/m);
  });

  it('exits 1 with one clear line for a bad role, a bad address or an address already taken', async () => {
    const role = await cli('create', '--email', 'someone@example.com', '--role', 'owner');
    expect(role.code).toBe(1);
    expect(role.stderr).toBe('dayone: --role: Choose a role: admin, recruiter, hiring_manager, interviewer.');
    const email = await cli('create', '--email', 'not-an-address', '--role', 'admin');
    expect(email.code).toBe(1);
    expect(email.stderr.split('\n')).toHaveLength(1);
    expect(email.stderr).toContain('--email');
    await cli('create', '--email', 'taken@example.com', '--role', 'recruiter');
    const taken = await cli('create', '--email', 'TAKEN@example.com', '--role', 'interviewer');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('dayone: A member of staff already has this email address.');
  });

  it('is reached through the dayone command, whose help lists it', async () => {
    const out: string[] = [];
    const io = { env: { DATA_DIR: config.dataDir, LOG_LEVEL: 'silent', ...(server ? { DATABASE_URL: server.url!, SESSION_SECRET: config.sessionSecret! } : {}) }, stdout: (l: string) => out.push(l), stderr: (l: string) => out.push(l) };
    expect(await runCli(['users', 'list'], io)).toBe(0);
    expect(out.join('\n')).toContain('taken@example.com');
    out.length = 0;
    expect(await runCli(['help'], io)).toBe(0);
    expect(out.join('\n')).toContain('users create --email EMAIL --role ROLE');
  });
});
