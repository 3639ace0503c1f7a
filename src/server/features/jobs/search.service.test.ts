import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { searchParamsSchema, type SearchParams } from '../../../shared/contracts/search.ts';
import { teams } from '../../db/schema/content.ts';
import { asciiJson } from '../../http/cached-body.ts';
import { createJobs } from './jobs.service.ts';
import { searchResultBody } from './search-json.ts';
import { createSearchIndexSync, type SearchIndexSync } from './search-index/search-index.sync.ts';
import { createJobSearch, type JobSearch } from './search.service.ts';

const days = (n: number) => new Date(Date.now() - n * 86_400_000);
const seattle = { city: 'Seattle', region: 'WA', country: 'US', latitude: 47.6062, longitude: -122.3321 };
const tacoma = { city: 'Tacoma', region: 'WA', country: 'US', latitude: 47.2529, longitude: -122.4443 };
const berlin = { city: 'Berlin', region: 'BE', country: 'DE', latitude: 52.52, longitude: 13.405 };
const london = { city: 'London', region: 'England', country: 'GB', latitude: 51.5074, longitude: -0.1278 };

/** A job whose words are only those the test gives it. */
const job = (overrides: Parameters<typeof buildJob>[0]) => buildJob({ basicQualifications: [], preferredQualifications: [], ...overrides });

let t: TestApp;
let search: JobSearch;
const ids: Record<string, number> = {};

const params = (query: Record<string, string | string[]>): SearchParams => searchParamsSchema.parse(query);
const run = async (query: Record<string, string | string[]>) => search.search(params(query));
const found = async (query: Record<string, string | string[]>) => (await run(query)).jobs.map((j) => Object.keys(ids).find((k) => ids[k] === j.id));

// Every case runs twice: through SQL, and through the in-memory index (which loads before the
// fixtures are written, so it also follows each change through job_changes).
describe.each([
  { way: 'SQL', indexed: false },
  { way: 'the in-memory index', indexed: true },
])(`job search on ${testEngine} through $way`, ({ indexed }) => {
  let index: SearchIndexSync | undefined;
  /** Searches the index answered (it must answer every one when it is on). */
  let answered = 0;
  beforeAll(async () => {
    t = await testApp();
    if (indexed) {
      const sync = createSearchIndexSync({ db: t.database.db });
      await sync.start();
      index = {
        ...sync,
        current: async (version) => {
          const current = await sync.current(version);
          if (current) answered++;
          return current;
        },
      };
    }
    search = createJobSearch({ db: t.database.db, publicUrl: 'https://x.test', teamName: (slug) => `Team ${slug}`, index });
    const fixtures = {
      sde: job({ title: 'Software Development Engineer, Payments', description: 'Build payment systems for customers worldwide.', postedAt: days(2) }),
      sdeBerlin: job({ title: 'Senior Software Development Engineer', locations: [berlin], level: 5, description: 'Own distributed storage.', postedAt: days(10), pay: { currency: 'EUR', min: 90000, max: 130000, unit: 'YEAR' } }),
      dataEng: job({ title: 'Data Engineer', team: 'e-commerce', category: 'Data', description: 'Pipelines and machine learning features for the store.', postedAt: days(1), locations: [tacoma] }),
      pm: job({ title: 'Product Manager, Devices', team: 'amazon-devices-services', category: 'Product Management', description: 'Shape the next devices customers love.', postedAt: days(40), locations: [london], pay: { currency: 'GBP', min: 70000, max: 95000, unit: 'YEAR' } }),
      counsel: job({ title: 'Corporate Counsel', team: 'legal', category: 'Legal', description: 'Advise teams on contracts and privacy.', postedAt: days(5), locations: [seattle], employmentType: 'CONTRACTOR' }),
      remote: job({ title: 'Support Engineer', team: 'seller-service', category: 'Customer Support', workplaceType: 'remote', locations: [], applicantCountries: ['US', 'CA'], description: 'Help sellers succeed. Not an intern role.', postedAt: days(3), pay: { currency: 'USD', min: 30, max: 45, unit: 'HOUR' } }),
      intern: job({ title: 'Software Engineering Intern', employmentType: 'INTERN', level: 1, description: 'A summer internship building tools.', postedAt: days(6), pay: null }),
      draft: job({ title: 'Software Development Engineer, Secret', status: 'draft' }),
    };
    const created = await createJobs({ db: t.database.db, inputs: Object.values(fixtures) });
    Object.keys(fixtures).forEach((key, i) => (ids[key] = created.ids[i]!));
  });
  afterAll(async () => {
    await index?.stop();
    await t.close();
  });

  it('finds jobs that have every word, and never a draft', async () => {
    expect((await found({ q: 'software engineer' })).sort()).toEqual(['intern', 'sde', 'sdeBerlin']);
    expect(await found({ q: 'payments software' })).toEqual(['sde']);
  });

  it('matches a quoted phrase only with its words in order', async () => {
    expect((await found({ q: '"development engineer"' })).sort()).toEqual(['sde', 'sdeBerlin']);
    expect(await found({ q: '"engineer development"' })).toEqual([]);
  });

  it('leaves out jobs with an excluded word or phrase', async () => {
    expect((await found({ q: 'software -senior' })).sort()).toEqual(['intern', 'sde']);
    // The intern job's category is Software Development.
    expect((await found({ q: 'engineer -"software development"' })).sort()).toEqual(['dataEng', 'remote']);
  });

  it('matches a word as a prefix of longer words', async () => {
    expect((await found({ q: 'counse' }))).toEqual(['counsel']);
    expect((await found({ q: 'pay' })).sort()).toEqual(['sde']);
  });

  it('widens synonyms both ways: SDE finds software development engineers and the reverse', async () => {
    // The group also holds "software engineer", which the intern's title has.
    expect((await found({ q: 'sde' })).sort()).toEqual(['intern', 'sde', 'sdeBerlin']);
    expect((await found({ q: 'SDE payments' }))).toEqual(['sde']);
    expect((await found({ q: 'lawyer' }))).toEqual(['counsel']);
  });

  it('tolerates a typo in a title word and says what it tried', async () => {
    const result = await run({ q: 'enginere' });
    expect(result.corrections).toEqual([{ from: 'enginere', to: 'engineer' }]);
    expect(result.total).toBe(5);
    expect((await run({ q: 'counsle' })).jobs.map((j) => j.title)).toEqual(['Corporate Counsel']);
  });

  it('ranks title matches above matches elsewhere, then newest first', async () => {
    // No title has "customers": newest first.
    expect(await found({ q: 'customers' })).toEqual(['sde', 'remote', 'pm']);
    expect(await found({ q: 'engineer' })).toEqual(['dataEng', 'sde', 'remote', 'intern', 'sdeBerlin']);
    expect(await found({ q: 'payment' })).toEqual(['sde']);
    expect((await found({ q: 'engineer', sort: 'newest' }))).toEqual(['dataEng', 'sde', 'remote', 'intern', 'sdeBerlin']);
  });

  it('lists every public job newest first when there are no words', async () => {
    const result = await run({});
    expect(result.total).toBe(7);
    expect(result.jobs[0]!.id).toBe(ids.dataEng);
  });

  it('filters by team, category, country, city, workplace, type, level, date posted and minimum pay', async () => {
    expect(await found({ team: 'legal' })).toEqual(['counsel']);
    expect(await found({ category: 'Data' })).toEqual(['dataEng']);
    expect(await found({ city: 'Tacoma, US' })).toEqual(['dataEng']);
    expect((await found({ country: 'de' }))).toEqual(['sdeBerlin']);
    expect((await found({ country: ['GB', 'DE'] })).sort()).toEqual(['pm', 'sdeBerlin']);
    expect((await found({ city: 'Tacoma, US' }))).toEqual(['dataEng']);
    expect((await found({ workplace: 'remote' }))).toEqual(['remote']);
    expect((await found({ country: 'CA' }))).toEqual(['remote']);
    expect((await found({ type: 'INTERN' }))).toEqual(['intern']);
    expect((await found({ level: ['1', '5'] })).sort()).toEqual(['intern', 'sdeBerlin']);
    expect((await found({ posted: '4' })).sort()).toEqual(['dataEng', 'remote', 'sde']);
    // 45 USD an hour is 93,600 a year.
    expect((await found({ pay: '90000', currency: 'USD' })).sort()).toEqual(['counsel', 'dataEng', 'remote', 'sde']);
    expect((await found({ pay: '150000', currency: 'USD' })).sort()).toEqual(['counsel', 'dataEng', 'sde']);
  });

  it('finds jobs within a distance of a city', async () => {
    expect((await found({ near: 'Seattle, US', km: '25' })).sort()).toEqual(['counsel', 'intern', 'sde']);
    expect((await found({ near: 'Seattle, US', km: '100' })).sort()).toEqual(['counsel', 'dataEng', 'intern', 'sde']);
    expect(await found({ near: 'Atlantis, XX' })).toEqual([]);
  });

  it('counts facets over the other filters but not their own', async () => {
    const result = await run({ q: 'engineer', team: 'amazon-web-services' });
    expect(result.total).toBe(3);
    const count = (facet: keyof typeof result.facets, value: string) => result.facets[facet].find((f) => f.value === value)?.count;
    // The team facet ignores the team filter, so other teams stay choosable.
    expect(count('team', 'amazon-web-services')).toBe(3);
    expect(count('team', 'e-commerce')).toBe(1);
    expect(count('team', 'seller-service')).toBe(1);
    expect(result.facets.team.find((f) => f.value === 'e-commerce')?.label).toBe('Team e-commerce');
    // Other facets honour the team filter and the words.
    expect(count('country', 'DE')).toBe(1);
    expect(count('country', 'US')).toBe(2);
    expect(count('type', 'INTERN')).toBe(1);
    expect(count('level', '5')).toBe(1);
    expect(result.facets.level.find((f) => f.value === '5')?.label).toBe('Senior');
    expect(count('posted', '7')).toBe(2);
    expect(count('workplace', 'on_site')).toBe(3);
  });

  it('pages through results twenty at a time', async () => {
    await createJobs({ db: t.database.db, inputs: Array.from({ length: 25 }, (_, i) => buildJob({ title: `Warehouse Associate ${i}`, team: 'worldwide-operations-customer-service', category: 'Operations', postedAt: days(20 + i / 10) })) });
    const first = await run({ q: 'warehouse' });
    const second = await run({ q: 'warehouse', page: '2' });
    expect([first.total, first.pageCount, first.jobs.length, second.jobs.length]).toEqual([25, 2, 20, 5]);
    expect(new Set([...first.jobs, ...second.jobs].map((j) => j.id)).size).toBe(25);
    expect((await run({ q: 'warehouse', page: '3' })).jobs).toEqual([]);
  });

  it('suggests which filter to relax when nothing matches', async () => {
    const result = await run({ q: 'counsel', country: 'DE', type: 'CONTRACTOR' });
    expect(result.total).toBe(0);
    expect(result.relax).toEqual([{ param: 'country', label: 'country', total: 1 }]);
  });

  it('gives each result an excerpt near the matched words and a full URL', async () => {
    const result = await run({ q: 'privacy' });
    expect(result.jobs[0]).toMatchObject({ title: 'Corporate Counsel', url: `https://x.test/jobs/${ids.counsel}/corporate-counsel`, location: 'Seattle, WA, US' });
    expect(result.jobs[0]!.excerpt).toContain('privacy');
  });

  it('writes the API answer from kept pieces byte for byte as the general JSON writer would', async () => {
    for (const query of [{ q: 'engineer' }, { q: 'software', sort: 'newest' }, {}, { q: 'privacy' }] as Array<Record<string, string>>) {
      const { params: _params, ...result } = await run(query);
      expect(searchResultBody(result).toString('latin1')).toBe(asciiJson(result));
    }
  });

  it('treats SQL-looking input as plain words', async () => {
    const result = await run({ q: "'; drop table jobs; -- ) & | ! :* <->" });
    expect(result.total).toBe(0);
    expect((await run({})).total).toBeGreaterThan(0);
  });

  it('puts an older job whose title matches above a newer one that only mentions the word', async () => {
    await createJobs({
      db: t.database.db,
      inputs: [
        job({ title: 'Storage Specialist', description: 'Keeps things.', postedAt: days(30) }),
        job({ title: 'Night Clerk', description: 'Knows storage well.', postedAt: days(1) }),
      ],
    });
    expect((await run({ q: 'storage' })).jobs.map((j) => j.title)).toEqual(['Storage Specialist', 'Night Clerk', 'Senior Software Development Engineer']);
    expect((await run({ q: 'storage', sort: 'newest' })).jobs.map((j) => j.title)).toEqual(['Night Clerk', 'Senior Software Development Engineer', 'Storage Specialist']);
  });

  it('serves a repeated search from its cache until any job changes', async () => {
    const first = await search.search(params({ q: 'clerk' }));
    expect(await search.search(params({ q: 'clerk' }))).toBe(first);
    await createJobs({ db: t.database.db, inputs: [job({ title: 'Day Clerk' })] });
    const after = await search.search(params({ q: 'clerk' }));
    expect(after).not.toBe(first);
    expect(after.total).toBe(first.total + 1);
  });

  it.runIf(indexed)('keeps the jobs it read while the catalogue and content versions hold, and reads them again when the content moves', async () => {
    let contentVersion = 1;
    const kept = createJobSearch({ db: t.database.db, publicUrl: 'https://x.test', teamName: () => undefined, cacheEntries: 0, index, contentVersion: () => contentVersion });
    const teamOf = async () => (await kept.search(params({ q: 'corporate counsel' }))).jobs[0]!.team.name;
    const before = await teamOf();
    // A content change alone: the catalogue version stays.
    await t.database.db.update(teams).set({ name: 'Law and Policy' }).where(eq(teams.slug, 'legal'));
    try {
      expect(await teamOf()).toBe(before);
      contentVersion = 2;
      expect(await teamOf()).toBe('Law and Policy');
    } finally {
      await t.database.db.update(teams).set({ name: before }).where(eq(teams.slug, 'legal'));
    }
  });

  it('can run without a cache, as the benchmark floor does', async () => {
    const uncached = createJobSearch({ db: t.database.db, publicUrl: 'https://x.test', teamName: () => undefined, cacheEntries: 0, index });
    const a = await uncached.search(params({ q: 'clerk' }));
    expect(await uncached.search(params({ q: 'clerk' }))).not.toBe(a);
  });

  it('matches words the full-text index leaves out, such as IT, as whole title words', async () => {
    await createJobs({ db: t.database.db, inputs: [job({ title: 'IT Support Specialist', description: 'Keeps laptops working.' }), job({ title: 'Editor', description: 'Writes about it all.' })] });
    expect((await run({ q: 'IT' })).jobs.map((j) => j.title)).toEqual(['IT Support Specialist']);
    expect((await run({ q: 'it support' })).jobs.map((j) => j.title)).toEqual(['IT Support Specialist']);
    expect((await run({ q: '-it editor' })).jobs.map((j) => j.title)).toEqual(['Editor']);
    expect((await run({ q: '"the"' })).total).toBe(0);
  });

  it.runIf(indexed)('answered from the in-memory index, not SQL', () => {
    expect(answered).toBeGreaterThan(30);
  });
});
