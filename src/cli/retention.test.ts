import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../test/support/builders.ts';
import { defaultContentDir } from '../../test/support/test-app.ts';
import { freshDatabase, testEngine, type TestDatabase } from '../../test/support/test-db.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { people } from '../server/db/schema/index.ts';
import { createContentService } from '../server/features/content/content.service.ts';
import { createJobs } from '../server/features/jobs/jobs.service.ts';
import { insertApplicant } from '../server/features/privacy/privacy.fixtures.test-support.ts';
import { retentionCommand } from './retention.ts';

let server: TestDatabase | undefined;
let env: Record<string, string>;
let old: number;
let recent: number;

/** Opens the database the command uses (PGlite allows one process at a time, so it is closed again). */
async function withDatabase<T>(use: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR! });
  try {
    await database.migrate();
    return await use(database.db);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  env = { DATA_DIR: await mkdtemp(join(tmpdir(), 'dayone-retention-cli-')), LOG_LEVEL: 'silent', SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456' };
  if (testEngine === 'postgres') {
    server = await freshDatabase();
    env.DATABASE_URL = server.url!;
  }
  await withDatabase(async (db) => {
    await createContentService({ db }).loadPack({ dir: defaultContentDir });
    const { ids } = await createJobs({ db, inputs: [buildJob()] });
    old = (await insertApplicant(db, { email: 'old@example.com', jobId: ids[0]!, applications: [{ stage: 'rejected', daysAgo: 400 }] })).personId;
    recent = (await insertApplicant(db, { email: 'recent@example.com', jobId: ids[0]!, applications: [{ stage: 'rejected', daysAgo: 100 }] })).personId;
  });
});
afterAll(() => server?.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await retentionCommand(() => loadConfig(env), argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const anonymized = (id: number) => withDatabase(async (db) => (await db.select({ at: people.anonymizedAt }).from(people).where(eq(people.id, id)))[0]!.at !== null);

describe(`dayone retention run on ${testEngine}`, () => {
  it.each([[[]], [['purge']], [['run', 'now']], [['run', '--days', '29']], [['run', '--days', 'many']], [['run', '--force']]])(
    'exits 2 with the usage for %j',
    async (argv) => {
      const { code, stderr } = await cli(...argv);
      expect(code).toBe(2);
      expect(stderr).toContain('retention run [--days N] [--dry-run]');
    },
  );

  it('in a dry run prints who would be erased, exits 0 and changes nothing', async () => {
    const { code, stdout } = await cli('run', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain('Dry run: 1 person whose last application closed more than 365 days ago');
    expect(stdout).toContain(`Would erase person ids: ${old}`);
    expect(await anonymized(old)).toBe(false);
  });

  it('erases with the default period of RETENTION_DAYS, then with --days', async () => {
    const first = await cli('run');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Erased 1 person whose last application closed more than 365 days ago');
    expect(await anonymized(old)).toBe(true);
    expect(await anonymized(recent)).toBe(false);

    const second = await cli('run', '--days', '90');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Erased 1 person whose last application closed more than 90 days ago');
    expect(await anonymized(recent)).toBe(true);
  });

  it('exits 1 naming the setting when RETENTION_DAYS is wrong', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await retentionCommand(() => loadConfig({ ...env, RETENTION_DAYS: '7' }), ['run'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('RETENTION_DAYS must be a whole number of at least 30');
  });
});
