import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { defaultContentDir } from '../../../../test/support/test-app.ts';
import { testDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import { applications, auditEvents, people, resumes } from '../../db/schema/index.ts';
import { folderFileStore, type FileStore } from '../../files/file-store.ts';
import { startQueue, type Queue } from '../../queue.ts';
import { createContentService } from '../content/content.service.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import { insertApplicant } from './privacy.fixtures.test-support.ts';
import { registerRetentionWorker, RETENTION_QUEUE, runRetention } from './retention.ts';

let database: TestDatabase;
let files: FileStore;
let filesDir: string;
let jobs: number[];
let n = 0;
const email = (name: string) => `${name}.${++n}@example.com`;

beforeAll(async () => {
  database = await testDatabase();
  filesDir = join(await mkdtemp(join(tmpdir(), 'dayone-retention-')), 'files');
  files = folderFileStore(filesDir);
  await createContentService({ db: database.db }).loadPack({ dir: defaultContentDir });
  ({ ids: jobs } = await createJobs({ db: database.db, inputs: [buildJob(), buildJob()] }));
});
afterAll(() => database.close());

const person = async (id: number) => (await database.db.select().from(people).where(eq(people.id, id)))[0]!;
const fileOf = (key: string) => join(filesDir, key.slice(0, 2), key);

/** A population covering every reason to keep, and two people to erase. */
async function population() {
  const db = database.db;
  const job = jobs[0]!;
  return {
    active: (await insertApplicant(db, { email: email('active'), jobId: job, applications: [{ stage: 'onsite_loop', daysAgo: 900 }] })).personId,
    pool: (await insertApplicant(db, { email: email('pool'), jobId: job, applications: [{ stage: 'rejected', daysAgo: 900, talentPool: true }] })).personId,
    hold: (await insertApplicant(db, { email: email('hold'), jobId: job, legalHold: true, applications: [{ stage: 'hired', daysAgo: 900 }] })).personId,
    recent: (await insertApplicant(db, { email: email('recent'), jobId: job, applications: [{ stage: 'rejected', daysAgo: 900 }, { stage: 'withdrawn', daysAgo: 10 }] })).personId,
    old: await insertApplicant(db, { email: email('old'), jobId: job, files, applications: [{ stage: 'rejected', daysAgo: 400 }, { stage: 'withdrawn', daysAgo: 800 }] }),
    older: (await insertApplicant(db, { email: email('older'), jobId: jobs[1]!, applications: [{ stage: 'hired', daysAgo: 2000 }] })).personId,
  };
}

describe(`retention on ${testEngine}`, () => {
  it('in a dry run, names who would be erased and changes nothing', async () => {
    const p = await population();
    const before = await database.db.select().from(people).orderBy(people.id);
    const report = await runRetention({ db: database.db, files, days: 365, dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.erasedIds).toEqual([p.old.personId, p.older]);
    expect(report.erased).toBe(2);
    expect(report.kept).toEqual({ active_application: 1, talent_pool: 1, legal_hold: 1 });
    expect(await database.db.select().from(people).orderBy(people.id)).toEqual(before);
    expect(existsSync(fileOf(p.old.storageKey!))).toBe(true);
    // Tidy up for the next test: erase them for real.
    await runRetention({ db: database.db, files, days: 365 });
  });

  it('erases people whose last application closed more than the period ago, and keeps the active, the talent pool, the held and the recent', async () => {
    const p = await population();
    const countBefore = (await database.db.select({ n: sql<number>`count(*)::int` }).from(applications))[0]!.n;
    const report = await runRetention({ db: database.db, files, days: 365 });
    // Kept: this population's and the previous test's (each is examined again on every run).
    expect(report).toMatchObject({ dryRun: false, erased: 2, files: 1, kept: { active_application: 2, talent_pool: 2, legal_hold: 2 } });
    expect(report.erasedIds).toBeUndefined();

    for (const id of [p.old.personId, p.older]) {
      const erased = await person(id);
      expect(erased).toMatchObject({ email: `erased-${id}@invalid`, name: '', phone: null, location: null, links: [] });
      expect(erased.anonymizedAt).toBeInstanceOf(Date);
      expect(await database.db.select().from(resumes).where(eq(resumes.personId, id))).toEqual([]);
      const [audit] = await database.db.select().from(auditEvents).where(sql`${auditEvents.action} = 'person.erased' and ${auditEvents.subjectId} = ${String(id)}`);
      expect(audit).toMatchObject({ actorType: 'system', actorId: null, after: { reason: 'retention', withdrawn: 0 } });
    }
    expect(existsSync(fileOf(p.old.storageKey!))).toBe(false);
    // Closed applications keep their stage and dates, so counts survive.
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(applications))[0]!.n).toBe(countBefore);
    expect((await database.db.select({ stage: applications.stage }).from(applications).where(eq(applications.personId, p.old.personId))).map((a) => a.stage).sort()).toEqual([
      'rejected',
      'withdrawn',
    ]);

    for (const id of [p.active, p.pool, p.hold, p.recent]) {
      const kept = await person(id);
      expect(kept.anonymizedAt).toBeNull();
      expect(kept.name).toBe('Test Person');
    }
  });

  it('erases no one twice: a second run finds nothing to do', async () => {
    const report = await runRetention({ db: database.db, files, days: 365 });
    expect(report.erased).toBe(0);
  });

  it('a shorter period reaches the recently closed too', async () => {
    const { personId } = await insertApplicant(database.db, { email: email('sixty'), jobId: jobs[0]!, applications: [{ stage: 'rejected', daysAgo: 60 }] });
    expect((await runRetention({ db: database.db, files, days: 90, dryRun: true })).erasedIds).not.toContain(personId);
    expect((await runRetention({ db: database.db, files, days: 30, dryRun: true })).erasedIds).toContain(personId);
  });

  it('runs daily on the job queue: schedules the sweep and erases when the job runs', async () => {
    const { personId } = await insertApplicant(database.db, { email: email('queued'), jobId: jobs[0]!, applications: [{ stage: 'rejected', daysAgo: 500 }] });
    let queue: Queue | undefined;
    try {
      queue = await startQueue(database);
      await registerRetentionWorker(queue, { db: database.db, files, days: 365, pollSeconds: 1 });
      const schedules = await queue.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron])).toContainEqual([RETENTION_QUEUE, '15 3 * * *']);
      await queue.send(RETENTION_QUEUE, {});
      const deadline = Date.now() + 20_000;
      while ((await person(personId)).anonymizedAt === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await person(personId)).anonymizedAt).toBeInstanceOf(Date);
    } finally {
      await queue?.stop({ graceful: false });
    }
  });
});
