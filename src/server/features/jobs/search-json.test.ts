import { describe, expect, it } from 'vitest';
import type { PublicJob } from '../../../shared/contracts/jobs.ts';
import type { FacetValue, JobSummary, SearchResult } from '../../../shared/contracts/search.ts';
import { asciiJson } from '../../http/cached-body.ts';
import { searchResultBody, summaryPiecesCache } from './search-json.ts';

/** Only the identity of a job matters to the cache. */
const aJob = () => ({}) as PublicJob;

const summary = (overrides: Partial<JobSummary> = {}): JobSummary => ({
  id: 7,
  slug: 'ingenieur-logiciel',
  title: 'Ingénieur logiciel — “Payments” \\ 支付 🚀',
  team: { slug: 'e-commerce', name: 'E‑Commerce' },
  category: 'Software Development',
  level: 5,
  employmentType: 'FULL_TIME',
  workplaceType: 'hybrid',
  location: 'São Paulo, SP, BR; Zürich, ZH, CH',
  postedAt: '2026-12-01T09:00:00.000Z',
  pay: { currency: 'EUR', min: 90000.5, max: 130000, unit: 'YEAR' },
  excerpt: 'Build payment systems for customers…',
  url: 'https://x.test/jobs/7/ingenieur-logiciel',
  ...overrides,
});

const facets = (extra: FacetValue[] = []): SearchResult['facets'] => ({
  team: [{ value: 'e-commerce', label: 'E‑Commerce', count: 12 }, ...extra],
  category: [{ value: 'Software Development', label: 'Software Development', count: 3 }],
  city: [{ value: 'São Paulo|BR', label: 'São Paulo, BR', count: 0 }],
  country: [],
  workplace: [{ value: 'hybrid', label: 'Hybrid', count: 4 }],
  type: [],
  level: [{ value: '5', label: 'Level 5', count: 1 }],
  posted: [{ value: '7', label: 'Past week', count: 2 }],
});

const answer = (jobs: JobSummary[], overrides: Partial<SearchResult> = {}): Omit<SearchResult, 'params'> => ({
  total: jobs.length,
  page: 1,
  pageCount: 1,
  jobs,
  facets: facets(),
  corrections: [{ from: 'enginer', to: 'engineer' }],
  relax: [],
  ...overrides,
});

/** The API's bytes of an answer, as text. */
const json = (result: Parameters<typeof searchResultBody>[0]) => searchResultBody(result).toString('latin1');

describe('the JSON of a search answer', () => {
  it('is byte for byte the ASCII JSON of the answer, for jobs remembered and not', () => {
    const remember = summaryPiecesCache();
    const [a, b] = [aJob(), aJob()];
    const jobs = [
      remember(a, summary()),
      remember(b, summary({ id: 8, pay: null, excerpt: 'Line\u2028separator, tab\t, quote " and NUL \u0000 and a lone \ud800 surrogate' })),
      summary({ id: 9, title: 'Not remembered: Ærø' }),
    ];
    const result = answer(jobs);
    const text = json(result);
    expect(text).toBe(asciiJson(result));
    expect(JSON.parse(text)).toEqual(result);
    expect([...text].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
  });

  it('escapes every UTF-16 code unit of an excerpt as the general writer does', () => {
    const remember = summaryPiecesCache();
    const units = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code));
    // Every unit alone (lone surrogates included), then pairs that make one character.
    const excerpts = [units.join(''), '😀 𝄞 a\ud83d', 'quote " backslash \\ slash / tab \t'];
    for (const excerpt of excerpts) {
      const result = answer([remember(aJob(), summary({ excerpt }))]);
      expect(json(result)).toBe(asciiJson(result));
    }
  });

  it('writes answers larger than its scratch buffer, and a small one after them', () => {
    const remember = summaryPiecesCache();
    const big = answer(Array.from({ length: 300 }, (_, i) => remember(aJob(), summary({ id: i, excerpt: `€ ${'x'.repeat(500)} ${i}` }))));
    expect(json(big).length).toBeGreaterThan(200_000);
    expect(json(big)).toBe(asciiJson(big));
    const small = answer([remember(aJob(), summary())]);
    expect(json(small)).toBe(asciiJson(small));
  });

  it('writes each search its own excerpt around the pieces kept for the job', () => {
    const remember = summaryPiecesCache();
    const job = aJob();
    const first = answer([remember(job, summary({ excerpt: 'first words' }))]);
    const second = answer([remember(job, summary({ excerpt: '… other wörds' }))]);
    expect(json(first)).toBe(asciiJson(first));
    expect(json(second)).toBe(asciiJson(second));
    expect(JSON.parse(json(second)).jobs[0].excerpt).toBe('… other wörds');
  });

  it('reuses a job’s escaped excerpt only while the excerpt is the same', () => {
    const remember = summaryPiecesCache();
    const job = aJob();
    const other = aJob();
    const excerpts = ['Zürich “opening”', 'Zürich “opening”', 'highlighted: Zürich', 'Zürich “opening”', 'Zürich “opening”', ''];
    for (const [i, excerpt] of excerpts.entries()) {
      // Another job before it, of another length each time, writes over where the last answer had this job's excerpt.
      const before = remember(other, summary({ id: 2, excerpt: `other ${'y'.repeat(i * 37)}` }));
      const result = answer(i % 2 ? [before, remember(job, summary({ excerpt }))] : [remember(job, summary({ excerpt })), before]);
      expect(json(result)).toBe(asciiJson(result));
    }
  });

  it('keeps pieces per cache, so two searches with different public URLs never share them', () => {
    const job = aJob();
    const one = summaryPiecesCache()(job, summary({ url: 'https://one.test/jobs/7/x' }));
    const two = summaryPiecesCache()(job, summary({ url: 'https://two.test/jobs/7/x' }));
    expect(JSON.parse(json(answer([one, two]))).jobs.map((j: JobSummary) => j.url)).toEqual(['https://one.test/jobs/7/x', 'https://two.test/jobs/7/x']);
  });

  it('writes facet values with other fields, fields in another order or odd counts as JSON.stringify does', () => {
    const odd = [
      { label: 'Label first', value: 'x', count: 1 },
      { value: 'y', label: 'Extra', count: 2, note: 'kept' },
      { value: 'z', label: 'Not a number', count: Number.NaN },
    ] as FacetValue[];
    const result = answer([], { facets: facets(odd) });
    expect(json(result)).toBe(asciiJson(result));
  });

  it('leaves out fields that are undefined and keeps the order of the answer', () => {
    const result = { relax: [], total: 0, note: undefined, jobs: [], page: 1 } as unknown as Omit<SearchResult, 'params'>;
    expect(json(result)).toBe(asciiJson(result));
    expect(json({} as Omit<SearchResult, 'params'>)).toBe('{}');
  });
});
