import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { createJobs } from '../jobs/jobs.service.ts';

const JOBS = 1_234;
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['job', 'url', 'sitemap'].includes(name) });

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ sitemapUrlLimit: 500 });
  // Many jobs share a posting time, so the keyset pages must break ties by id.
  const postedAt = new Date(Date.now() - 86_400_000);
  await createJobs({ db: t.database.db, inputs: Array.from({ length: JOBS }, (_, i) => buildJob({ postedAt: i % 2 ? postedAt : new Date(postedAt.getTime() - i * 1000) })) });
});
afterAll(() => t.close());

describe(`feeds over more jobs than one page on ${testEngine}`, () => {
  it('puts every open job in the Indeed feed exactly once, across the pages it is read in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/feeds/indeed.xml' });
    const jobs = (parser.parse(res.body) as { source: { job: Array<{ referencenumber: string }> } }).source.job;
    expect(jobs).toHaveLength(JOBS);
    expect(new Set(jobs.map((j) => j.referencenumber)).size).toBe(JOBS);
  });

  it('splits the sitemap into job files that together hold every job once', async () => {
    const index = parser.parse((await t.app.inject({ method: 'GET', url: '/sitemap.xml' })).body) as { sitemapindex: { sitemap: Array<{ loc: string }> } };
    const files = index.sitemapindex.sitemap.map((s) => new URL(s.loc).pathname);
    expect(files).toEqual(['/sitemaps/pages.xml', '/sitemaps/jobs-1.xml', '/sitemaps/jobs-2.xml', '/sitemaps/jobs-3.xml']);
    const locs: string[] = [];
    for (const file of files.slice(1)) {
      const urls = (parser.parse((await t.app.inject({ method: 'GET', url: file })).body) as { urlset: { url: Array<{ loc: string }> } }).urlset.url;
      expect(urls.length).toBeLessThanOrEqual(500);
      locs.push(...urls.map((u) => u.loc));
    }
    expect(locs).toHaveLength(JOBS);
    expect(new Set(locs).size).toBe(JOBS);
  });
});
