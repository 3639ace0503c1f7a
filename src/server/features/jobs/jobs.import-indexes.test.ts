import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { importJobInputs } from './jobs.transfer.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const rows = async <T>(query: ReturnType<typeof sql>) => ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;

/** The indexes and constraints of the job tables, and of the tables they refer to, as the catalogue describes them. */
const schema = async () => ({
  indexes: await rows<{ indexname: string; indexdef: string }>(
    sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ('jobs', 'job_principles', 'job_questions') order by indexname`,
  ),
  constraints: await rows<{ table: string; conname: string; def: string; convalidated: boolean }>(
    sql`select c.conrelid::regclass::text as table, c.conname, pg_get_constraintdef(c.oid) as def, c.convalidated from pg_constraint c
        where c.conrelid::regclass::text in ('jobs', 'job_principles', 'job_questions', 'teams', 'principles')
           or c.confrelid::regclass::text in ('jobs', 'teams', 'principles')
        order by 1, 2`,
  ),
  // The import keeps its jobs whole in their pages by a storage setting it puts back.
  storage: await rows<{ reloptions: string[] | null }>(sql`select reloptions from pg_class where oid = 'jobs'::regclass`),
});

/** Tables other than the app's: a staged import must leave none behind. */
const strayTables = () => rows<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public' and tablename like 'job\_import%'`);

describe(`a bulk import into an empty catalogue on ${testEngine}`, () => {
  it('keeps every index and constraint as it was when an import fails, and leaves no staging behind', async () => {
    const before = await schema();
    expect(before.indexes.map((i) => i.indexname)).toContain('jobs_search_doc_idx');
    expect(before.constraints.map((c) => c.conname)).toEqual(
      expect.arrayContaining(['jobs_requisition_id_unique', 'job_principles_job_id_jobs_id_fk', 'job_principles_principle_id_principles_id_fk', 'jobs_team_id_teams_id_fk']),
    );
    await expect(importJobInputs({ db: t.database.db, chunks: [[buildJob(), buildJob({ team: 'nope' })]] })).rejects.toThrow();
    // A failure after batches were written: the database refuses a requisition id that the
    // file's own numbered jobs took, as the unique constraint is put back.
    const clash = [buildJob(), buildJob(), buildJob({ requisitionId: 'REQ-0000001' })];
    await expect(importJobInputs({ db: t.database.db, chunks: [clash], batchSize: 1 })).rejects.toThrow();
    expect(await schema()).toEqual(before);
    expect(await strayTables()).toEqual([]);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from jobs`))[0]!.n).toBe(0);
  });

  it('builds the secondary indexes and constraints after loading, identical to the migrations', async () => {
    const before = await schema();
    const { imported } = await importJobInputs({ db: t.database.db, chunks: [[buildJob({ title: 'Rebuilt Index Engineer' }), buildJob(), buildJob()]], batchSize: 2 });
    expect(imported).toBe(3);
    expect(await schema()).toEqual(before);
    expect(await strayTables()).toEqual([]);
    const found = await rows<{ n: number }>(sql`select count(*)::int as n from jobs where search_doc @@ to_tsquery('english', 'rebuilt')`);
    expect(found[0]!.n).toBe(1);
  });

  it('checks at the next import a foreign key that an import stopped before checking', async () => {
    const before = await schema();
    const key = before.constraints.find((c) => c.conname === 'job_principles_principle_id_principles_id_fk')!;
    // As an import into an empty catalogue leaves it between its commit and its check.
    await t.database.db.execute(sql.raw(`alter table job_principles drop constraint ${key.conname}`));
    await t.database.db.execute(sql.raw(`alter table job_principles add constraint ${key.conname} ${key.def} not valid`));
    expect((await schema()).constraints.find((c) => c.conname === key.conname)!.convalidated).toBe(false);
    await importJobInputs({ db: t.database.db, chunks: [[buildJob()]] });
    expect(await schema()).toEqual(before);
  });
});
