// The index against a plain reference written the obvious way (filter, sort, count), on
// thousands of generated jobs: enough for the newest-first walk, jobs added after it was
// built, removed jobs, sets counted by combo and job by job, and posted
// times that fall in the very second of a bucket's edge. Pure: no database.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../demo-jobs.ts';
import { SearchIndex, type IndexFilters, type IndexJob, type IndexQuery, type RunsPlan } from './search-index.ts';

const DAY_US = 86_400_000_000;
const NOW = Date.UTC(2026, 11, 5, 12) * 1000;
const WORDS = Array.from({ length: 40 }, (_, i) => `w${i}`);
const TEAMS = Array.from({ length: 12 }, (_, i) => `team-${i}`);
const CATEGORIES = Array.from({ length: 30 }, (_, i) => `category-${i}`);
const CITIES = Array.from({ length: 50 }, (_, i) => `City ${i}`);
const COUNTRIES = Array.from({ length: 20 }, (_, i) => `C${String.fromCharCode(65 + i)}`);
const WORKPLACES = ['on_site', 'hybrid', 'remote'];
const TYPES = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN'];

type Job = IndexJob & { words: string[]; titleWords: string[] };

function generator(seed: number) {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const several = <T>(list: readonly T[], most: number): T[] => [...new Set(Array.from({ length: Math.floor(random() * (most + 1)) }, () => pick(list)))];
  let nextId = 1;
  const job = (): Job => {
    const titleWords = several(WORDS.slice(0, 15), 2);
    const words = [...new Set([...titleWords, ...several(WORDS, 5)])];
    // Posted times: mostly spread over 60 days, some on the very second of a bucket's edge, some tied.
    const roll = random();
    const postedAt =
      roll < 0.05
        ? NOW - pick([1, 7, 30]) * DAY_US + pick([-1, 0, 1]) * 1_000 // within the edge's second
        : roll < 0.1
          ? NOW - 3 * DAY_US // a tie
          : NOW - Math.floor(random() * 60 * DAY_US);
    return {
      id: nextId++,
      team: pick(TEAMS),
      category: pick(CATEGORIES),
      level: 1 + Math.floor(random() * 8),
      employmentType: pick(TYPES),
      workplaceType: pick(WORKPLACES),
      cities: several(CITIES, random() < 0.2 ? 6 : 2),
      countries: several(COUNTRIES, random() < 0.2 ? 6 : 2),
      points: [],
      postedAt,
      closesAt: random() < 0.05 ? NOW - DAY_US : null,
      payMaxAnnual: null,
      payCurrency: null,
      title: titleWords.join(' '),
      doc: words.map((w, i) => `'${w}':${i + 1}${titleWords.includes(w) ? 'A' : ''}`).join(' '),
      words,
      titleWords,
    };
  };
  return { random, pick, several, job };
}

const SINGLE = { team: 'team', category: 'category', workplace: 'workplaceType', type: 'employmentType', level: 'level' } as const;

/** The answer written the obvious way. */
function reference(jobs: Job[], words: string[], filters: IndexFilters, ranked: boolean, limit: number, offset: number, facetLimit: number) {
  const visible = jobs.filter((j) => j.postedAt <= NOW && (j.closesAt === null || j.closesAt > NOW));
  const tests: Record<string, (j: Job) => boolean> = {};
  for (const [facet, field] of Object.entries(SINGLE) as Array<[keyof typeof SINGLE, (typeof SINGLE)[keyof typeof SINGLE]]>) {
    const values = (filters[facet] as Array<string | number>).map(String);
    if (values.length) tests[facet] = (j) => values.includes(String(j[field]));
  }
  if (filters.city.length) tests.city = (j) => j.cities.some((c) => filters.city.includes(c));
  if (filters.country.length) tests.country = (j) => j.countries.some((c) => filters.country.includes(c));
  if (filters.posted !== undefined) tests.posted = (j) => j.postedAt >= NOW - filters.posted! * DAY_US;
  const base = visible.filter((j) => words.every((w) => j.words.includes(w)));
  const allBut = (except?: string) => base.filter((j) => Object.entries(tests).every(([key, test]) => key === except || test(j)));
  const matches = allBut();
  const newest = (a: Job, b: Job) => b.postedAt - a.postedAt || b.id - a.id;
  const titled = (j: Job) => ranked && words.length > 0 && words.every((w) => j.titleWords.includes(w));
  const ordered = [...matches].sort((a, b) => Number(titled(b)) - Number(titled(a)) || newest(a, b));
  const tally = (list: Job[], values: (j: Job) => string[], limit: number) => {
    const counts = new Map<string, number>();
    for (const j of list) for (const v of values(j)) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, limit);
  };
  return {
    total: matches.length,
    ids: ordered.slice(offset, offset + limit).map((j) => j.id),
    // With nothing found: how many each filter's removal would give.
    without: matches.length === 0 ? Object.fromEntries(Object.keys(tests).map((key) => [key, allBut(key).length])) : {},
    facets: {
      team: tally(allBut('team'), (j) => [j.team], Infinity),
      category: tally(allBut('category'), (j) => [j.category], facetLimit),
      city: tally(allBut('city'), (j) => j.cities, facetLimit),
      country: tally(allBut('country'), (j) => j.countries, facetLimit),
      workplace: tally(allBut('workplace'), (j) => [j.workplaceType], facetLimit),
      type: tally(allBut('type'), (j) => [j.employmentType], facetLimit),
      level: tally(allBut('level'), (j) => [String(j.level)], facetLimit),
      posted: ['1', '7', '30'].map((value) => ({ value, count: allBut('posted').filter((j) => j.postedAt >= NOW - Number(value) * DAY_US).length })),
    },
  };
}

const query = (words: string[]): IndexQuery | undefined =>
  words.length ? { include: words.map((lexeme) => [{ kind: 'lexeme', lexeme, prefix: false }]), exclude: [], titleInclude: [], titleExclude: [] } : undefined;

// Every test runs under each plan for searches without words: run by run, set by set, and as the index chooses.
describe.each<RunsPlan>(['always', 'never', 'when-cheaper'])('the in-memory search index against a plain reference (runs plan: %s)', (byRuns) => {
  it('gives the same pages, totals and facet counts for random searches as jobs come, change and go', () => {
    const { random, pick, several, job } = generator(17);
    const index = new SearchIndex({ byRuns });
    const jobs = new Map<number, Job>();
    const put = (j: Job) => {
      jobs.set(j.id, j);
      index.upsert(j);
    };
    for (let i = 0; i < 9000; i++) put(job());
    index.prepare();
    // After the order was built: new jobs, edits (a job moves to a new slot) and removals.
    for (let i = 0; i < 600; i++) put(job());
    for (const id of [...jobs.keys()].filter(() => random() < 0.03)) put({ ...jobs.get(id)!, postedAt: NOW - Math.floor(random() * 60 * DAY_US), team: pick(TEAMS) });
    for (const id of [...jobs.keys()].filter(() => random() < 0.03)) {
      jobs.delete(id);
      index.delete(id);
    }
    let checked = 0;
    let relaxed = 0;
    for (let n = 0; n < 300; n++) {
      const words = several(WORDS.slice(0, 20), 2);
      const filters: IndexFilters = {
        team: random() < 0.4 ? several(TEAMS, 2) : [],
        category: random() < 0.2 ? several(CATEGORIES, 2) : [],
        city: random() < 0.2 ? several(CITIES, 3) : [],
        country: random() < 0.2 ? several(COUNTRIES, 2) : [],
        workplace: random() < 0.4 ? several(WORKPLACES, 1) : [],
        type: random() < 0.2 ? several(TYPES, 2) : [],
        level: random() < 0.2 ? several([1, 2, 3, 4, 5, 6, 7, 8], 3) : [],
        posted: random() < 0.2 ? pick([1, 7, 30]) : undefined,
      };
      const ranked = random() < 0.5;
      const [limit, offset] = pick([
        [20, 0],
        [20, 40],
        [1, 0],
        [50, 0],
      ] as const);
      const found = index.search(query(words), filters, { now: NOW, ranked, limit, offset, facets: true, facetLimit: 30 });
      const expected = reference([...jobs.values()], words, filters, ranked, limit, offset, 30);
      expect({ total: found.total, ids: found.ids, facets: found.facets, without: found.without }, JSON.stringify({ words, filters, ranked, limit, offset })).toEqual(expected);
      if (expected.total > 0) checked++;
      else if (Object.keys(expected.without).length > 0) relaxed++;
    }
    expect(checked).toBeGreaterThan(150);
    expect(relaxed).toBeGreaterThan(10);
  });

  it('counts a facet of many values (seventy teams)', () => {
    const { job } = generator(3);
    const index = new SearchIndex({ byRuns });
    const jobs: Job[] = [];
    // Seventy teams: more values than the old packed rows' six bits held.
    for (let i = 0; i < 5000; i++) jobs.push({ ...job(), team: `team-${i % 70}` });
    for (const j of jobs) index.upsert(j);
    const filters: IndexFilters = { team: [], category: [], city: [], country: [], workplace: ['remote'], type: [], level: [] };
    const found = index.search(undefined, filters, { now: NOW, ranked: false, limit: 20, offset: 0, facets: true, facetLimit: 100 });
    const expected = reference(jobs, [], filters, false, 20, 0, 100);
    expect({ total: found.total, ids: found.ids, facets: found.facets, without: found.without }).toEqual(expected);
    expect(found.facets.team).toHaveLength(70);
  });

  it('counts sets large and small alike, in runs of jobs alike and job by job', () => {
    const { job, pick, several } = generator(5);
    const many = Array.from({ length: 400 }, (_, i) => `Town ${i}`);
    const jobs: Job[] = [];
    // A third of the jobs in two or three of 400 towns and one of 40 categories: more combos of
    // places and of codes than a small set has jobs, so those are counted job by job.
    for (let i = 0; i < 6000; i++) {
      const base = job();
      jobs.push(i % 3 ? { ...base, cities: [pick(many.slice(0, 20))] } : { ...base, cities: several(many, 3), category: `category-${i % 40}` });
    }
    // Loaded grouped by codes, as the sync loads, so that counting adds up runs; then jobs added
    // and removed after the runs were built.
    const key = (j: Job) => [j.team, j.category, j.workplaceType, j.employmentType, j.level].join('|');
    jobs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
    const index = new SearchIndex({ byRuns });
    for (const j of jobs) index.upsert(j);
    index.prepare();
    // Late jobs bring places combos the last build did not know, some with towns never seen before.
    for (let i = 0; i < 500; i++) {
      const base = { ...job(), id: 100_000 + i };
      const late = i % 5 === 0 ? { ...base, cities: [`New town ${i % 3}`, ...several(many, 2)] } : i % 5 === 1 ? { ...base, cities: [`New town ${i % 3}`] } : base;
      jobs.push(late);
      index.upsert(late);
    }
    for (const gone of jobs.splice(100, 40)) index.delete(gone.id);
    const empty: number[][] = [];
    for (const filters of [
      { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [] },
      { team: [], category: [], city: ['Town 3', 'Town 350'], country: [], workplace: ['hybrid'], type: [], level: [] },
      { team: [], category: [], city: ['New town 1'], country: [], workplace: [], type: [], level: [] },
      { team: ['team-1'], category: ['category-7'], city: [], country: ['CA', 'CB'], workplace: [], type: [], level: [3, 4] },
      { team: [], category: [], city: [], country: ['CA', 'CB'], workplace: [], type: [], level: [], posted: 7 },
      // Nothing found: what dropping each filter would give (one level no job has).
      { team: ['team-2'], category: [], city: [], country: [], workplace: ['remote'], type: [], level: [9] },
      { team: ['team-1', 'team-4'], category: ['category-3'], city: [], country: [], workplace: ['remote'], type: ['INTERN'], level: [8] },
    ] satisfies IndexFilters[]) {
      const found = index.search(undefined, filters, { now: NOW, ranked: false, limit: 20, offset: 0, facets: true, facetLimit: 500 });
      const expected = reference(jobs, [], filters, false, 20, 0, 500);
      expect({ total: found.total, ids: found.ids, facets: found.facets, without: found.without }).toEqual(expected);
      if (expected.total === 0) empty.push(Object.values(expected.without));
    }
    expect(empty.length).toBeGreaterThanOrEqual(2);
    expect(empty.flat().filter((n) => n > 0).length).toBeGreaterThan(3);
  });

  it('counts long runs of jobs alike whose jobs are all shown, mostly shown or mostly hidden', () => {
    const { job, pick, random } = generator(23);
    // Few combos of codes, so runs are hundreds of jobs long. Hidden jobs (closed, not yet posted)
    // stay in their runs: a few in some runs, most in others, none in the rest.
    const hidden = (j: Job): Job => (random() < 0.5 ? { ...j, closesAt: NOW - DAY_US } : { ...j, postedAt: NOW + DAY_US });
    const jobs: Job[] = Array.from({ length: 8000 }, () => {
      const j = { ...job(), team: pick(TEAMS.slice(0, 3)), category: pick(CATEGORIES.slice(0, 2)), employmentType: 'FULL_TIME', level: 1 + Math.floor(random() * 2), closesAt: null };
      const share = j.team === 'team-0' && j.category === 'category-0' ? 0.03 : j.team === 'team-1' && j.level === 2 ? 0.8 : 0;
      return random() < share ? hidden(j) : j;
    });
    const key = (j: Job) => [j.team, j.category, j.workplaceType, j.employmentType, j.level].join('|');
    jobs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
    const index = new SearchIndex({ byRuns });
    for (const j of jobs) index.upsert(j);
    index.prepare();
    // Removed after the runs were built: gone from their runs too.
    for (const gone of jobs.splice(3000, 30)) index.delete(gone.id);
    const none: IndexFilters = { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [] };
    for (const filters of [
      none,
      { ...none, team: ['team-0'] },
      { ...none, team: ['team-1'], level: [2] },
      { ...none, team: ['team-1', 'team-2'], workplace: ['remote', 'hybrid'] },
      { ...none, category: ['category-0'], level: [1] },
    ] satisfies IndexFilters[]) {
      const found = index.search(undefined, filters, { now: NOW, ranked: false, limit: 20, offset: 0, facets: true, facetLimit: 500 });
      expect({ total: found.total, ids: found.ids, facets: found.facets, without: found.without }).toEqual(reference(jobs, [], filters, false, 20, 0, 500));
    }
  });

  it('keeps the posted counts exact as time passes and jobs leave each span', () => {
    const { job } = generator(9);
    const jobs = Array.from({ length: 6000 }, () => job());
    const index = new SearchIndex({ byRuns });
    for (const j of jobs) index.upsert(j);
    index.prepare();
    const none: IndexFilters = { team: [], category: [], city: [], country: [], workplace: [], type: [], level: [] };
    for (const later of [0, 1, 3_600_000_000, DAY_US - 1, DAY_US, 2 * DAY_US + 7, 6 * DAY_US, 20 * DAY_US, 3_600_000_000]) {
      const now = NOW + later;
      const found = index.search(undefined, none, { now, ranked: false, limit: 1, offset: 0, facets: true, facetLimit: 30 });
      const visible = jobs.filter((j) => j.postedAt <= now && (j.closesAt === null || j.closesAt > now));
      const expected = [1, 7, 30].map((days) => ({ value: String(days), count: visible.filter((j) => j.postedAt >= now - days * DAY_US).length }));
      expect(found.facets.posted, `${later} µs later`).toEqual(expected);
    }
  });
});
