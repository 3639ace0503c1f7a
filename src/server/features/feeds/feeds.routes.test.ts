import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { jobPath } from '../../../shared/contracts/jobs.ts';
import { createJobs, findPublicJob } from '../jobs/jobs.service.ts';
import { feedsRoutes } from './feeds.routes.ts';

const BASE = 'https://careers.example.test';
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses XML strictly: it must be well-formed, and every element that may repeat is an array. */
function parseXml(body: string, arrays: string[]) {
  expect(XMLValidator.validate(body)).toBe(true);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => arrays.includes(name) });
  return parser.parse(body) as Record<string, unknown>;
}

interface UrlNode {
  loc: string;
  lastmod: string;
}
interface IndeedJob {
  title: string;
  date: string;
  referencenumber: string;
  requisitionid: string;
  url: string;
  company: string;
  sourcename: string;
  city: string;
  state: string;
  country: string;
  postalcode: string;
  description: string;
  salary: string;
  jobtype?: string;
  category: string;
  expirationdate?: string;
  remotetype?: string;
}

let t: TestApp;
let ids: { threeCities: number; remote: number; hybrid: number; plain: number; draft: number; closed: number };

beforeAll(async () => {
  t = await testApp({
    routes: (app, { config, database }) => {
      // The same routes with a tiny URL limit, to see the sitemap split into an index.
      void app.register(async (scoped) => feedsRoutes(scoped, { db: database.db, config, sitemapUrlLimit: 2 }), { prefix: '/small' });
    },
  });
  const { ids: created } = await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({
        title: 'Storage Engineer ]]> & <Friends>',
        locations: [
          { city: 'Seattle', region: 'WA', country: 'US' },
          { city: 'Austin', region: 'TX', country: 'US' },
          { city: 'Vancouver', region: 'BC', country: 'CA' },
        ],
        description: 'Build **storage** that lasts.\n\nA literal ]]> in the text & more.',
        closesAt: new Date(Date.now() + 30 * 86_400_000),
      }),
      buildJob({ title: 'Remote Support Engineer', workplaceType: 'remote', locations: [], applicantCountries: ['US', 'CA'], employmentType: 'PART_TIME', pay: null }),
      buildJob({ title: 'Hybrid Analyst', workplaceType: 'hybrid', locations: [{ city: 'New York', region: 'NY', country: 'US' }], employmentType: 'CONTRACTOR' }),
      buildJob({ title: 'Plain Job', locations: [{ city: 'Berlin', country: 'DE' }], pay: { currency: 'EUR', min: 25.5, max: 25.5, unit: 'HOUR' } }),
      buildJob({ title: 'Draft Job', status: 'draft' }),
      buildJob({ title: 'Closed Job', postedAt: new Date(Date.now() - 10 * 86_400_000), closesAt: new Date(Date.now() - 86_400_000) }),
    ],
  });
  const [threeCities, remote, hybrid, plain, draft, closed] = created as [number, number, number, number, number, number];
  ids = { threeCities, remote, hybrid, plain, draft, closed };
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const publicIds = () => [ids.threeCities, ids.remote, ids.hybrid, ids.plain];

async function jobUrl(id: number) {
  const job = await findPublicJob({ db: t.database.db, id });
  return `${BASE}${jobPath(job!)}`;
}

describe(`the sitemap on ${testEngine}`, () => {
  it('lists every public page and every open job with a W3C lastmod, in the sitemaps.org namespace', async () => {
    const res = await get('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const doc = parseXml(res.body, ['url']) as { urlset: { '@xmlns': string; url: UrlNode[] } };
    expect(doc.urlset['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = doc.urlset.url.map((u) => u.loc);
    for (const path of ['/', '/teams', '/teams/amazon-web-services', '/teams/legal', '/principles', '/principles/customer-obsession', '/principles/deliver-results', '/jobs']) {
      expect(locs).toContain(`${BASE}${path}`);
    }
    expect(locs.filter((l) => l.startsWith(`${BASE}/teams/`))).toHaveLength(10);
    expect(locs.filter((l) => l.startsWith(`${BASE}/principles/`))).toHaveLength(14);
    const jobLocs = locs.filter((l) => l.startsWith(`${BASE}/jobs/`));
    expect(jobLocs.sort()).toEqual((await Promise.all(publicIds().map(jobUrl))).sort());
    for (const url of doc.urlset.url) expect(url.lastmod).toMatch(W3C_DATETIME);
    const job = await findPublicJob({ db: t.database.db, id: ids.plain });
    const entry = doc.urlset.url.find((u) => u.loc === `${BASE}${jobPath(job!)}`);
    expect(new Date(entry!.lastmod).getTime()).toBe(Math.floor(job!.updatedAt.getTime() / 1000) * 1000);
  });

  it('escapes characters that XML reserves in URLs', async () => {
    const res = await get('/sitemap.xml');
    // Job slugs are [a-z0-9-], so nothing needs escaping today; the document must still be well-formed.
    expect(XMLValidator.validate(res.body)).toBe(true);
    expect(res.body).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('becomes a sitemap index of a pages file and job files of at most the limit each when there are more URLs than the limit', async () => {
    const res = await get('/small/sitemap.xml');
    expect(res.statusCode).toBe(200);
    const doc = parseXml(res.body, ['sitemap']) as { sitemapindex: { '@xmlns': string; sitemap: UrlNode[] } };
    expect(doc.sitemapindex['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    expect(doc.sitemapindex.sitemap.map((s) => s.loc)).toEqual([
      `${BASE}/sitemaps/pages.xml`,
      `${BASE}/sitemaps/jobs-1.xml`,
      `${BASE}/sitemaps/jobs-2.xml`,
    ]);
    for (const s of doc.sitemapindex.sitemap) expect(s.lastmod).toMatch(W3C_DATETIME);

    const pages = parseXml((await get('/small/sitemaps/pages.xml')).body, ['url']) as { urlset: { url: UrlNode[] } };
    expect(pages.urlset.url).toHaveLength(1 + 1 + 10 + 1 + 14 + 1);
    const jobLocs: string[] = [];
    for (const n of [1, 2]) {
      const part = await get(`/small/sitemaps/jobs-${n}.xml`);
      expect(part.statusCode).toBe(200);
      const urls = (parseXml(part.body, ['url']) as { urlset: { url: UrlNode[] } }).urlset.url;
      expect(urls.length).toBeLessThanOrEqual(2);
      jobLocs.push(...urls.map((u) => u.loc));
    }
    expect(jobLocs.sort()).toEqual((await Promise.all(publicIds().map(jobUrl))).sort());
  });

  it('answers 404 for a job sitemap past the last one and for names it does not know', async () => {
    expect((await get('/small/sitemaps/jobs-3.xml')).statusCode).toBe(404);
    expect((await get('/small/sitemaps/jobs-0.xml')).statusCode).toBe(404);
    expect((await get('/sitemaps/other.xml')).statusCode).toBe(404);
  });
});

describe(`the Indeed feed on ${testEngine}`, () => {
  async function feed() {
    const res = await get('/feeds/indeed.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const doc = parseXml(res.body, ['job']) as {
      source: { publisher: string; publisherurl: string; lastBuildDate: string; job: IndeedJob[] };
    };
    return { body: res.body, source: doc.source };
  }

  it('names the publisher and the time of the build', async () => {
    const { source } = await feed();
    expect(source.publisher).toBe('Day One');
    expect(source.publisherurl).toBe(`${BASE}/`);
    expect(source.lastBuildDate).toMatch(RFC_1123);
  });

  it('lists every open job once per location, and nothing that is not public', async () => {
    const { source } = await feed();
    const byRequisition = new Map<string, IndeedJob[]>();
    for (const job of source.job) byRequisition.set(job.requisitionid, [...(byRequisition.get(job.requisitionid) ?? []), job]);
    const counts = await Promise.all(
      [ids.threeCities, ids.remote, ids.hybrid, ids.plain].map(async (id) => byRequisition.get((await findPublicJob({ db: t.database.db, id }))!.requisitionId)?.length),
    );
    expect(counts).toEqual([3, 2, 1, 1]);
    expect(source.job).toHaveLength(7);
    expect(source.job.map((j) => j.title)).not.toContain('Draft Job');
    expect(source.job.map((j) => j.title)).not.toContain('Closed Job');
  });

  it('writes each field of a job at a location, with the description as raw HTML in CDATA', async () => {
    const { source, body } = await feed();
    const job = (await findPublicJob({ db: t.database.db, id: ids.threeCities }))!;
    const entries = source.job.filter((j) => j.requisitionid === job.requisitionId);
    const seattle = entries.find((j) => j.city === 'Seattle')!;
    expect(seattle).toEqual({
      title: 'Storage Engineer ]]> & <Friends>',
      date: job.postedAt.toUTCString(),
      referencenumber: `${job.requisitionId}-seattle-wa-us`,
      requisitionid: job.requisitionId,
      url: `${BASE}${jobPath(job)}`,
      company: 'Day One',
      sourcename: 'Day One',
      city: 'Seattle',
      state: 'WA',
      country: 'US',
      postalcode: '',
      description: expect.stringContaining('<p>Build <strong>storage</strong> that lasts.</p>'),
      salary: '$120000 - $180000 per year',
      jobtype: 'fulltime',
      category: 'Software Development',
      expirationdate: job.closesAt!.toUTCString().slice(0, 16),
    });
    expect(seattle.date).toMatch(RFC_1123);
    expect(seattle.description).toContain('A literal ]]&gt; in the text &amp; more.');
    expect(seattle.description).toContain('<h3>Basic qualifications</h3><ul><li>3+ years of professional software development</li></ul>');
    expect(entries.map((e) => [e.city, e.state, e.country])).toEqual([
      ['Seattle', 'WA', 'US'],
      ['Austin', 'TX', 'US'],
      ['Vancouver', 'BC', 'CA'],
    ]);
    expect(new Set(entries.map((e) => e.referencenumber)).size).toBe(3);
    // "]]>" in a title is split across two CDATA sections, never left to end the first one early.
    expect(body).toContain('<title><![CDATA[Storage Engineer ]]]]><![CDATA[> & <Friends>]]></title>');
  });

  it('flags remote jobs as Fully remote, listed in each applicant country with the city Remote and no postal code', async () => {
    const { source } = await feed();
    const job = (await findPublicJob({ db: t.database.db, id: ids.remote }))!;
    const entries = source.job.filter((j) => j.requisitionid === job.requisitionId);
    expect(entries.map((e) => ({ city: e.city, state: e.state, country: e.country, postalcode: e.postalcode, remotetype: e.remotetype, salary: e.salary, jobtype: e.jobtype }))).toEqual([
      { city: 'Remote', state: '', country: 'US', postalcode: '', remotetype: 'Fully remote', salary: '', jobtype: 'parttime' },
      { city: 'Remote', state: '', country: 'CA', postalcode: '', remotetype: 'Fully remote', salary: '', jobtype: 'parttime' },
    ]);
    expect(entries.map((e) => e.referencenumber)).toEqual([`${job.requisitionId}-remote-us`, `${job.requisitionId}-remote-ca`]);
  });

  it('marks US hybrid jobs WFH Flexible and on-site jobs not at all, and writes hourly pay in its currency', async () => {
    const { source } = await feed();
    const hybrid = source.job.find((j) => j.title === 'Hybrid Analyst')!;
    expect(hybrid.remotetype).toBe('WFH Flexible');
    expect(hybrid.jobtype).toBe('contract');
    const plain = source.job.find((j) => j.title === 'Plain Job')!;
    expect(plain.remotetype).toBeUndefined();
    expect(plain.salary).toBe('€25.5 per hour');
    expect(plain.state).toBe('');
  });

  it('is compressed for clients that accept gzip', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/feeds/indeed.xml', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toContain('<source>');
  });

  it('keeps reference numbers the same from one build to the next', async () => {
    const first = (await feed()).source.job.map((j) => j.referencenumber);
    const second = (await feed()).source.job.map((j) => j.referencenumber);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });
});
