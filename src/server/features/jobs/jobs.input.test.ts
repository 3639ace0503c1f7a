import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { jobInputSchema } from '../../../shared/contracts/jobs.ts';
import { generateDemoJobs } from './demo-jobs.ts';
import { JOB_INPUT_FIELDS, readJobInput } from './jobs.input.ts';

const demoJobs = (count: number) =>
  generateDemoJobs({ count, seed: 3, teams: ['legal', 'e-commerce'], principles: ['ownership', 'dive-deep'], now: new Date('2026-11-01T00:00:00Z') });

const GONE = Symbol('gone');
const x = (n: number) => 'x'.repeat(n);
const place = { city: 'Oslo', region: 'Oslo', country: 'NO', latitude: 59.9, longitude: 10.7 };
const salary = { currency: 'NOK', min: 100, max: 200, unit: 'MONTH' };
const ask = { label: 'Why?', kind: 'long_text', required: true, options: [] };
const times = <T>(n: number, item: T) => Array.from({ length: n }, () => item);

/**
 * For each field, values at and around the limits of the schema, valid and not, of every JSON
 * type (GONE leaves the field out). Nested ones change one thing of a valid location, pay or
 * question, so that each rule is tried many times.
 */
const candidates: Record<string, unknown[]> = {
  requisitionId: [GONE, undefined, null, 7, '', '  ', ' REQ-1 ', x(40), ` ${x(40)} `, x(41)],
  title: [GONE, null, 7, '', 'a', ' a ', 'ab', ' ab ', x(200), x(201), ['ab'], 'a\ud800b', 'a\ud83d\ude80b'],
  team: [GONE, null, 7, 'legal', 'Legal', ' legal', 'e--commerce', '-x', 'x-', 'a-1'],
  category: [GONE, null, 'ab', ' a ', x(80), x(81)],
  level: [GONE, null, '3', 0, 1, 8, 9, 1.5, -0, 1e21, Number.NaN, Number.POSITIVE_INFINITY],
  employmentType: [GONE, null, 'FULL_TIME', 'full_time', 'OTHER', 7],
  workplaceType: [GONE, null, 'remote', 'hybrid', 'on_site', 'Remote'],
  applicantCountries: [GONE, null, 'US', [], ['US'], [' us '], ['USA'], ['ß'], ['u'], [7], times(250, 'US'), times(251, 'US')],
  locations: [
    GONE, null, {}, [], [place], times(50, place), times(51, place), [place, 'x'],
    ...Object.entries({
      city: [GONE, null, '', ' ', ' Bergen ', x(120), x(121), 'Os\ud800lo'],
      region: [GONE, null, undefined, '', '  ', ' WA ', x(120), x(121), 7],
      country: [GONE, null, 'no', ' no ', 'NOR', 'ß', ''],
      latitude: [GONE, null, 0, -0, 90, -90, 90.5, -90.5, '59', Number.NaN],
      longitude: [GONE, null, 180, -180, 180.5, -181],
      extra: [1],
    }).flatMap(([key, values]) => values.map((value) => [{ ...place, [key]: value }])),
  ],
  description: [GONE, null, '', ' ', 'x', x(50_000), x(50_001), ` ${x(50_000)} `, 'x\udc00'],
  basicQualifications: [GONE, null, [], ['a'], [' '], [x(1000)], [x(1001)], times(30, 'a'), times(31, 'a'), 'a', [null], ['\ud800']],
  preferredQualifications: [GONE, null, [], [' b '], times(31, 'b')],
  pay: [
    GONE, null, undefined, {}, salary, 'x',
    ...Object.entries({
      currency: [GONE, null, 'nok', ' nok ', 'NO', 'NOKK', 'ß', 7],
      min: [GONE, null, 0, -0, -1, 200, 201, 1.5, '100', Number.POSITIVE_INFINITY],
      max: [GONE, 100, 99.5, 0, 1e300],
      unit: [GONE, null, 'HOUR', 'hour', 'YEARLY'],
      extra: [1],
    }).flatMap(([key, values]) => values.map((value) => ({ ...salary, [key]: value }))),
  ],
  principles: [GONE, null, [], ['ownership'], ['Ownership'], ['ownership', 'ownership'], times(30, 'dive-deep'), times(31, 'dive-deep'), 'ownership'],
  status: [GONE, null, undefined, 'open', 'draft', 'closed_filled', 'OPEN', 7],
  headcount: [GONE, null, undefined, 0, 1, 1000, 1001, 1.5, '1'],
  postedAt: [GONE, null, undefined, '2026-11-02T09:30:00.000Z', '2026-11-02', '2026-13-45', 'soon', '', 7, true, new Date('2026-11-03T00:00:00Z'), new Date(Number.NaN)],
  closesAt: [GONE, null, '2026-11-02T09:30:00.000Z', '2026-11-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', 'soon', 0],
  questions: [
    GONE, null, [], [ask], times(50, ask), times(51, ask), ask,
    ...Object.entries({
      label: [GONE, null, '', ' ', ' Why? ', x(500), x(501)],
      kind: [GONE, null, 'short_text', 'single_choice', 'multiple_choice', 'yes_no', 'number', 'essay'],
      required: [GONE, null, undefined, false, 'yes', 0],
      options: [GONE, null, undefined, [], ['a'], ['a', 'b'], [' a ', 'b'], ['a', ' '], [x(200), x(201)], times(50, 'o'), times(51, 'o'), 'a,b'],
      extra: [1],
    }).flatMap(([key, values]) => values.map((value) => [{ ...ask, [key]: value }])),
  ],
  extra: [1, null],
};

/** A valid job with up to four fields changed to candidate values. */
const mutatedJob = fc
  .record({
    job: fc.constantFrom(...demoJobs(30).map((job) => JSON.parse(JSON.stringify(job)) as Record<string, unknown>)),
    changes: fc.array(
      fc.constantFrom(...Object.entries(candidates).flatMap(([field, values]) => values.map((value) => [field, value] as const))),
      { maxLength: 4 },
    ),
  })
  .map(({ job, changes }) => {
    const copy = structuredClone(job);
    for (const [field, value] of changes) {
      if (value === GONE) delete copy[field];
      else copy[field] = value;
    }
    // A GONE inside a location, pay or question leaves that field out of it.
    for (const nested of [copy.locations, [copy.pay], copy.questions]) {
      if (!Array.isArray(nested)) continue;
      for (const item of nested) {
        if (item && typeof item === 'object') for (const [key, value] of Object.entries(item)) if (value === GONE) delete (item as Record<string, unknown>)[key];
      }
    }
    return copy;
  });

describe('the fast path of the job schema', () => {
  it('knows every field of the schema', () => {
    expect([...JOB_INPUT_FIELDS]).toEqual(Object.keys(jobInputSchema.shape));
  });

  it('reads exactly what the schema reads whenever it reads a job, and leaves to the schema every job the schema refuses', () => {
    fc.assert(
      fc.property(mutatedJob, (input) => {
        const fast = readJobInput(input);
        if (fast === undefined) return;
        const parsed = jobInputSchema.safeParse(input);
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads valid jobs itself, as a file or the demo seed gives them', () => {
    const jobs = [...demoJobs(200), buildJob({ requisitionId: ' REQ-7 ', pay: { currency: 'eur', min: 1, max: 2, unit: 'HOUR' } })];
    for (const job of [...jobs, ...jobs.map((j) => JSON.parse(JSON.stringify(j)) as unknown)]) {
      const fast = readJobInput(job);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(jobInputSchema.parse(job));
    }
  });
});
