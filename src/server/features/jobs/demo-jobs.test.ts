import { describe, expect, it } from 'vitest';
import { EMPLOYMENT_TYPES, jobInputSchema, QUESTION_KINDS, WORKPLACE_TYPES } from '../../../shared/contracts/jobs.ts';
import { CITIES, CUSTOMER_SHARE, DEMO_CATEGORY_COUNT, generateDemoJobs, generateDemoJobsChunks, mulberry32 } from './demo-jobs.ts';

const teams = [
  'amazon-devices-services',
  'amazon-web-services',
  'business-development',
  'e-commerce',
  'finance-administration',
  'kindle-digital-content-publishing',
  'legal',
  'north-america-international-retail',
  'seller-service',
  'worldwide-operations-customer-service',
];
const principles = ['customer-obsession', 'ownership', 'invent-and-simplify', 'are-right-a-lot', 'learn-and-be-curious', 'dive-deep', 'frugality', 'earn-trust'];
const now = new Date('2026-06-01T12:00:00Z');
const options = { seed: 42, teams, principles, now };

describe('demo jobs', () => {
  const jobs = generateDemoJobs({ ...options, count: 5000 });
  const parsed = jobs.map((j) => jobInputSchema.parse(j));

  it('gives the same jobs for the same seed and different jobs for another', () => {
    expect(generateDemoJobs({ ...options, count: 50 })).toEqual(jobs.slice(0, 50));
    expect(generateDemoJobs({ ...options, seed: 43, count: 50 })).not.toEqual(jobs.slice(0, 50));
  });

  it('yields exactly the same jobs in chunks, none longer than the chunk size', () => {
    const chunks = [...generateDemoJobsChunks({ ...options, count: 1003, chunkSize: 100 })];
    expect(chunks.map((c) => c.length)).toEqual([...Array(10).fill(100), 3]);
    expect(chunks.flat()).toEqual(jobs.slice(0, 1003));
  });

  it('makes only jobs the schema accepts', () => {
    expect(parsed).toHaveLength(5000);
  });

  it('spreads jobs over every team, level, employment and workplace type and many categories', () => {
    expect(new Set(parsed.map((j) => j.team))).toEqual(new Set(teams));
    expect(new Set(parsed.map((j) => j.level))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(new Set(parsed.map((j) => j.employmentType))).toEqual(new Set(EMPLOYMENT_TYPES));
    expect(new Set(parsed.map((j) => j.workplaceType))).toEqual(new Set(WORKPLACE_TYPES));
    expect(new Set(parsed.map((j) => j.category)).size).toBeGreaterThanOrEqual(20);
    expect(DEMO_CATEGORY_COUNT).toBeGreaterThanOrEqual(20);
    expect(parsed.filter((j) => j.employmentType === 'FULL_TIME').length / parsed.length).toBeGreaterThan(0.7);
  });

  it('writes varied titles, some with abbreviations such as SDE', () => {
    const titles = new Set(parsed.map((j) => j.title));
    expect(titles.size).toBeGreaterThan(500);
    for (const word of ['SDE', 'Software Development Engineer', 'Product Manager', 'Solutions Architect', 'Corporate Counsel', 'Area Manager', 'UX Designer', 'Data Scientist II']) {
      expect([...titles].some((t) => t.includes(word)), word).toBe(true);
    }
  });

  it('places jobs in 1–3 of 60+ world cities, with remote jobs open to applicant countries', () => {
    expect(CITIES.length).toBeGreaterThanOrEqual(60);
    for (const job of parsed) {
      if (job.workplaceType === 'remote') expect(job.applicantCountries.length).toBeGreaterThan(0);
      else expect(job.locations.length).toBeGreaterThanOrEqual(1);
      expect(job.locations.length).toBeLessThanOrEqual(3);
      for (const l of job.locations) expect(l.latitude).not.toBeNull();
    }
    expect(new Set(parsed.flatMap((j) => j.locations.map((l) => l.city))).size).toBeGreaterThanOrEqual(60);
  });

  it('pays in the local currency, mostly per year and sometimes per hour', () => {
    const paid = parsed.filter((j) => j.pay);
    expect(paid.length / parsed.length).toBeGreaterThan(0.85);
    expect(new Set(paid.map((j) => j.pay!.currency)).size).toBeGreaterThan(20);
    const hourly = paid.filter((j) => j.pay!.unit === 'HOUR');
    expect(hourly.length).toBeGreaterThan(0);
    expect(hourly.length).toBeLessThan(paid.length / 2);
    for (const j of paid) expect(j.pay!.max).toBeGreaterThan(j.pay!.min);
    const seattle = paid.filter((j) => j.locations[0]?.city === 'Seattle' && j.pay!.unit === 'YEAR');
    for (const j of seattle) expect(j.pay!.currency).toBe('USD');
  });

  it('emphasizes 3–5 principles, dates postings over the last 90 days and closes a few', () => {
    for (const job of parsed) {
      expect(job.principles.length).toBeGreaterThanOrEqual(3);
      expect(job.principles.length).toBeLessThanOrEqual(5);
      if (job.postedAt) {
        expect(job.postedAt.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(now.getTime() - job.postedAt.getTime()).toBeLessThanOrEqual(90 * 86_400_000);
      }
    }
    const closing = parsed.filter((j) => j.closesAt).length / parsed.length;
    expect(closing).toBeGreaterThan(0.02);
    expect(closing).toBeLessThan(0.15);
  });

  it('asks 0–3 screening questions of all six kinds', () => {
    expect(Math.max(...parsed.map((j) => j.questions.length))).toBe(3);
    expect(parsed.some((j) => j.questions.length === 0)).toBe(true);
    expect(new Set(parsed.flatMap((j) => j.questions.map((q) => q.kind)))).toEqual(new Set(QUESTION_KINDS));
  });

  it('writes multi-paragraph Markdown and says "customer" in about 15% of jobs, never "custom…" otherwise', () => {
    const text = (j: (typeof parsed)[number]) => [j.title, j.description, ...j.basicQualifications, ...j.preferredQualifications].join(' ');
    const mentions = parsed.filter((j) => /customer/i.test(text(j)));
    expect(mentions.length / parsed.length).toBeCloseTo(CUSTOMER_SHARE, 1);
    expect(parsed.filter((j) => /custom/i.test(text(j))).length).toBe(mentions.length);
    for (const j of parsed.slice(0, 200)) {
      expect(j.description.split('\n\n').length).toBeGreaterThanOrEqual(3);
      expect(j.description).toContain('\n- ');
    }
  });

  it('uses a seeded PRNG that repeats itself and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('works with any content pack, even one whose teams it does not know', () => {
    const other = generateDemoJobs({ count: 100, seed: 1, teams: ['robots', 'rockets'], principles: ['be-kind', 'be-brave'], now });
    for (const job of other) {
      expect(['robots', 'rockets']).toContain(job.team);
      expect(job.principles).toHaveLength(2);
      expect(() => jobInputSchema.parse(job)).not.toThrow();
    }
  });

  it('makes 100,000 jobs in a few seconds', () => {
    const started = performance.now();
    let n = 0;
    for (const chunk of generateDemoJobsChunks({ ...options, count: 100_000, chunkSize: 10_000 })) n += chunk.length;
    expect(n).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
