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

const indexes = async () =>
  ((await t.database.db.execute(
    sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ('jobs', 'job_principles', 'job_questions') order by indexname`,
  )) as unknown as { rows: Array<{ indexname: string; indexdef: string }> }).rows;

describe(`a bulk import into an empty catalogue on ${testEngine}`, () => {
  it('keeps every index as it was when an import fails', async () => {
    const before = await indexes();
    expect(before.map((i) => i.indexname)).toContain('jobs_search_doc_idx');
    await expect(importJobInputs({ db: t.database.db, chunks: [[buildJob(), buildJob({ team: 'nope' })]] })).rejects.toThrow();
    expect(await indexes()).toEqual(before);
  });

  it('builds the secondary indexes after loading, identical to the migrations', async () => {
    const before = await indexes();
    const { imported } = await importJobInputs({ db: t.database.db, chunks: [[buildJob({ title: 'Rebuilt Index Engineer' }), buildJob()]] });
    expect(imported).toBe(2);
    expect(await indexes()).toEqual(before);
    const found = (await t.database.db.execute(
      sql`select count(*)::int as n from jobs where search_doc @@ to_tsquery('english', 'rebuilt')`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(found.rows[0]!.n).toBe(1);
  });
});
