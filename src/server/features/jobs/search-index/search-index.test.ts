import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../../test/support/test-app.ts';
import { testEngine } from '../../../../../test/support/test-db.ts';
import { openPostgres } from '../../../db/client.ts';
import { searchParamsSchema } from '../../../../shared/contracts/search.ts';
import { mulberry32 } from '../demo-jobs.ts';
import { createJobs } from '../jobs.service.ts';
import { seedDemoJobs } from '../jobs.transfer.ts';
import { createJobSearch, type JobSearch } from '../search.service.ts';
import { createSearchIndexSync, type SearchIndexSync } from './search-index.sync.ts';

const days = (n: number) => new Date(Date.now() + n * 86_400_000);

let t: TestApp;
let index: SearchIndexSync;
let bySql: JobSearch;
let byIndex: JobSearch;

beforeAll(async () => {
  t = await testApp();
  await seedDemoJobs({ db: t.database.db, count: 1500, seed: 11, now: new Date() });
  // Jobs the clock hides: posted tomorrow, closed yesterday, closing tomorrow; and a draft.
  await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({ title: 'Customer Engineer, Future', postedAt: days(1) }),
      buildJob({ title: 'Customer Engineer, Closed', postedAt: days(-10), closesAt: days(-1) }),
      buildJob({ title: 'Customer Engineer, Closing', postedAt: days(-10), closesAt: days(1) }),
      buildJob({ title: 'Customer Engineer, Draft', status: 'draft' }),
    ],
  });
  index = createSearchIndexSync({ db: t.database.db });
  await index.start();
  bySql = createJobSearch({ db: t.database.db, publicUrl: 'https://x.test', teamName: (slug) => slug, cacheEntries: 0 });
  byIndex = createJobSearch({ db: t.database.db, publicUrl: 'https://x.test', teamName: (slug) => slug, cacheEntries: 0, index });
}, 120_000);
afterAll(async () => {
  await index.stop();
  await t.close();
});

type Query = Record<string, string | string[]>;

/** Random searches over the words, phrases and filter values the catalogue really has. */
async function randomQueries(count: number, seed: number): Promise<Query[]> {
  const rows = async <T>(statement: ReturnType<typeof sql>) => ((await t.database.db.execute(statement)) as unknown as { rows: T[] }).rows;
  const titles = (await rows<{ title: string }>(sql`select title from jobs order by id limit 400`)).map((r) => r.title);
  const words = [...new Set(titles.flatMap((title) => title.toLowerCase().split(/[^a-z0-9]+/)).filter(Boolean))];
  const phrases = titles.map((title) => title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).slice(0, 2).join(' '));
  const extra = ['customer', 'custom', 'engin', 'sde', 'swe', 'software development engineer', 'the', 'it', 'enginere', 'manger', 'data', 'remote'];
  const categories = (await rows<{ v: string }>(sql`select distinct category as v from jobs`)).map((r) => r.v);
  const cities = (await rows<{ v: string }>(sql`select distinct unnest(cities) as v from jobs`)).map((r) => r.v);
  const countries = (await rows<{ v: string }>(sql`select distinct unnest(countries) as v from jobs`)).map((r) => r.v);
  const teams = (await rows<{ v: string }>(sql`select slug as v from teams`)).map((r) => r.v);
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const some = <T>(list: readonly T[], chance: number): T[] => (random() < chance ? [pick(list), ...(random() < 0.3 ? [pick(list)] : [])] : []);
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    const terms: string[] = [];
    const termCount = Math.floor(random() * 3);
    for (let k = 0; k < termCount; k++) {
      const roll = random();
      const term = roll < 0.5 ? pick(words) : roll < 0.7 ? `"${pick(phrases)}"` : pick(extra);
      terms.push(random() < 0.12 ? `-${term}` : term);
    }
    const q: Query = {};
    if (terms.length) q.q = terms.join(' ');
    const filters: Array<[string, string[]]> = [
      ['team', some(teams, 0.25)],
      ['category', some(categories, 0.15)],
      ['city', some(cities, 0.1)],
      ['country', some(countries, 0.15)],
      ['workplace', some(['on_site', 'hybrid', 'remote'], 0.2)],
      ['type', some(['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN', 'TEMPORARY'], 0.15)],
      ['level', some(['1', '2', '3', '4', '5', '6', '7'], 0.15)],
      ['posted', some(['1', '7', '30'], 0.15)],
      ['pay', some(['40000', '90000', '150000', '250000'], 0.15)],
      ['currency', some(['USD', 'EUR', 'GBP'], 0.1)],
      ['near', some([...cities.slice(0, 10), 'Nowhere, ZZ'], 0.1)],
      ['km', some(['25', '100', '1000'], 0.1)],
      ['sort', some(['relevance', 'newest'], 0.3)],
      ['page', some(['2', '3'], 0.15)],
    ];
    for (const [key, values] of filters) if (values.length) q[key] = ['posted', 'pay', 'currency', 'near', 'km', 'sort', 'page'].includes(key) ? values[0]! : values;
    queries.push(q);
  }
  return queries;
}

/** Everything a search answers that either way could get wrong. */
const answer = async (search: JobSearch, q: Query) => {
  const result = await search.search(searchParamsSchema.parse(q));
  return { total: result.total, jobs: result.jobs.map((j) => j.id), facets: result.facets, relax: result.relax, corrections: result.corrections };
};

describe(`the in-memory search index on ${testEngine}`, () => {
  it('gives exactly the answers of the SQL search for hundreds of random searches', async () => {
    const queries = await randomQueries(220, 5);
    let nonEmpty = 0;
    for (const q of queries) {
      const expected = await answer(bySql, q);
      expect(await answer(byIndex, q), JSON.stringify(q)).toEqual(expected);
      if (expected.total > 0) nonEmpty++;
    }
    // The generator must produce searches that find something, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThan(80);
  }, 120_000);

  it('never shows a draft, a job not yet posted or one already closed, and shows one still open', async () => {
    const titles = (await byIndex.search(searchParamsSchema.parse({ q: 'customer engineer', sort: 'newest' }))).jobs.map((j) => j.title);
    expect(titles).toContain('Customer Engineer, Closing');
    expect(titles).not.toContain('Customer Engineer, Future');
    expect(titles).not.toContain('Customer Engineer, Closed');
    expect(titles).not.toContain('Customer Engineer, Draft');
  });

  it('follows edits, closings, deletions and new jobs as soon as they commit', async () => {
    const db = t.database.db;
    const find = async (q: string) => (await byIndex.search(searchParamsSchema.parse({ q }))).jobs.map((j) => j.title);
    const { ids } = await createJobs({ db, inputs: [buildJob({ title: 'Zeppelin Navigator' }), buildJob({ title: 'Zeppelin Mechanic' })] });
    expect((await find('zeppelin')).sort()).toEqual(['Zeppelin Mechanic', 'Zeppelin Navigator']);
    await db.execute(sql`update jobs set title = 'Airship Navigator', search_doc = to_tsvector('english', 'Airship Navigator'), updated_at = now() where id = ${ids[0]!}`);
    expect(await find('zeppelin')).toEqual(['Zeppelin Mechanic']);
    expect(await find('airship')).toEqual(['Airship Navigator']);
    await db.execute(sql`update jobs set status = 'closed' where id = ${ids[1]!}`);
    expect(await find('zeppelin')).toEqual([]);
    await db.execute(sql`delete from job_principles where job_id = ${ids[0]!}`);
    await db.execute(sql`delete from job_questions where job_id = ${ids[0]!}`);
    await db.execute(sql`delete from jobs where id = ${ids[0]!}`);
    expect(await find('airship')).toEqual([]);
  });

  it.runIf(testEngine === 'postgres')('finds a job whose transaction began before a search and committed after it', async () => {
    // Writers of open jobs queue on the catalogue version row, so the slow transaction takes its id
    // first and writes its job only after another transaction has committed and been searched: a
    // "highest id seen" mark would then skip it for good.
    const other = openPostgres(t.database.url!, 2);
    const search = async (q: string) => (await byIndex.search(searchParamsSchema.parse({ q, sort: 'newest' }))).jobs.map((j) => j.title).sort();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    try {
      let begun!: () => void;
      const hasId = new Promise<void>((resolve) => (begun = resolve));
      const slow = other.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_current_xact_id()`);
        begun();
        await gate;
        await createJobs({ db: tx, inputs: [buildJob({ title: 'Slowpoke Cartographer' })] });
      });
      await hasId;
      await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Quick Cartographer' })] });
      expect(await search('cartographer')).toEqual(['Quick Cartographer']);
      release();
      await slow;
      expect(await search('cartographer')).toEqual(['Quick Cartographer', 'Slowpoke Cartographer']);
    } finally {
      // A failed expectation must not leave the slow transaction waiting, or closing its pool would never end.
      release();
      await other.close();
    }
  });
});
