import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { createJobs } from './jobs.service.ts';

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await testApp();
  const jobs = {
    onsite: buildJob({
      title: 'Senior Data Engineer',
      description: '## The work\n\nBuild <script>alert(1)</script> pipelines for **customers**.',
      locations: [
        { city: 'Seattle', region: 'WA', country: 'US', latitude: 47.6, longitude: -122.3 },
        { city: 'Vancouver', region: 'BC', country: 'CA', latitude: 49.28, longitude: -123.12 },
      ],
      closesAt: new Date(Date.now() + 30 * 86_400_000),
    }),
    remote: buildJob({ title: 'Remote Support Engineer', workplaceType: 'remote', locations: [], applicantCountries: ['US', 'MX'], pay: { currency: 'USD', min: 30, max: 30, unit: 'HOUR' } }),
    hybrid: buildJob({ title: 'Hybrid Analyst', workplaceType: 'hybrid', team: 'finance-administration', category: 'Finance', pay: null }),
    closed: buildJob({ title: 'Closed Data Role', status: 'closed_filled', category: 'Software Development' }),
  };
  const created = await createJobs({ db: t.database.db, inputs: Object.values(jobs) });
  Object.keys(jobs).forEach((key, i) => (ids[key] = created.ids[i]!));
});
afterAll(() => t.close());

const html = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers: { accept: 'text/html', ...headers } });
const jsonLdBlocks = (body: string) =>
  [...body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

describe(`the job search page on ${testEngine}`, () => {
  it('keeps the whole search in the URL and in the form, with checked filters and counts', async () => {
    const res = await html('/jobs?q=engineer&workplace=remote&sort=newest');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<form class="search"[^>]* action="\/jobs" method="get">/);
    expect(res.body).toContain('name="q" value="engineer"');
    expect(res.body).toContain('<input type="checkbox" id="f-workplace-remote" name="workplace" checked="" value="remote"/>');
    expect(res.body).toContain('<option value="newest" selected="">Newest</option>');
    expect(res.body).toContain('Remote Support <mark>Engineer</mark>');
    expect(res.body).not.toContain('Senior Data');
    expect(res.body).toMatch(/On-site <span class="facet__count">\(1\)<\/span>/);
    // Typed words make no page to index; filter pages do.
    expect(res.body).toContain('<meta name="robots" content="noindex"/>');
    expect((await html('/jobs?team=legal&workplace=remote')).body).toContain('<link rel="canonical" href="https://careers.example.test/jobs?team=legal&amp;workplace=remote"/>');
  });

  it('carries no JobPosting markup, and loads only its own enhancement script', async () => {
    const { body, headers } = await html('/jobs');
    expect(jsonLdBlocks(body)).toEqual([]);
    const scripts = [...body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^ type="module" src="\/assets\/search\.[\w-]+\.js"$/);
    const src = /src="([^"]+)"/.exec(scripts[0]!)![1]!;
    const script = await t.app.inject(src);
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.body).toContain('pushState');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers a bad parameter with 400 naming it, on the page and in JSON', async () => {
    const page = await html('/jobs?level=99');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('The search could not be read: level');
    const json = await t.app.inject({ url: '/jobs?type=ASTRONAUT', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'invalid_input', fields: [{ field: 'type.0' }] });
  });

  it('refuses control characters in filters with 400, and a page past the end with 404', async () => {
    for (const url of ['/jobs?category=%00', '/api/v1/jobs?city=%00', '/api/v1/jobs?near=%01x']) {
      const res = await t.app.inject({ url, headers: { accept: 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('must not contain control characters');
    }
    expect((await html('/jobs?page=2')).statusCode).toBe(404);
    expect((await t.app.inject('/api/v1/jobs?page=9')).statusCode).toBe(404);
    expect((await html('/jobs?q=nothingmatchesthis&page=1')).statusCode).toBe(200);
  });

  it('answers 304 when the results have not changed, and 200 once a job is added', async () => {
    const first = await html('/jobs?q=analyst');
    const again = await html('/jobs?q=analyst', { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Second Analyst', team: 'legal' })] });
    const changed = await html('/jobs?q=analyst', { 'if-none-match': String(first.headers.etag) });
    expect(changed.statusCode).toBe(200);
  });

  it('suggests which filter to relax when nothing matches', async () => {
    const { body } = await html('/jobs?q=analyst&country=JP');
    expect(body).toContain('No jobs match.');
    expect(body).toMatch(/<a href="\/jobs\?q=analyst">Remove the country filter: 2 jobs<\/a>/);
  });
});

describe(`job pages on ${testEngine}`, () => {
  it('shows every field, the team and principles linked, and exactly one JobPosting', async () => {
    const res = await html(`/jobs/${ids.onsite}/senior-data-engineer`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Senior Data Engineer</h1>');
    expect(res.body).toContain('href="/teams/amazon-web-services"');
    expect(res.body).toContain('<a href="/principles/customer-obsession">Customer obsession</a>');
    expect(res.body).toContain('USD 120,000–180,000 per year');
    expect(res.body).toContain(`<a class="button button--solid" href="/jobs/${ids.onsite}/senior-data-engineer/apply">Apply for this job</a>`);
    expect(res.body).toContain('3+ years of professional software development');
    expect(res.body).not.toContain('<script>alert');
    const blocks = jsonLdBlocks(res.body);
    expect(blocks).toHaveLength(1);
    const posting = blocks[0]!;
    expect(posting).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'JobPosting',
      title: 'Senior Data Engineer',
      hiringOrganization: { '@type': 'Organization', name: 'Day One' },
      employmentType: 'FULL_TIME',
      identifier: { '@type': 'PropertyValue', value: expect.stringMatching(/^REQ-/) },
      directApply: true,
      baseSalary: { '@type': 'MonetaryAmount', currency: 'USD', value: { '@type': 'QuantitativeValue', minValue: 120000, maxValue: 180000, unitText: 'YEAR' } },
    });
    expect(new Date(String(posting.datePosted)).toString()).not.toBe('Invalid Date');
    expect(new Date(String(posting.validThrough)).getTime()).toBeGreaterThan(Date.now());
    expect(posting.description).toContain('<h2>The work</h2>');
    expect(posting.description).not.toContain('<script');
    const places = posting.jobLocation as Array<{ address: Record<string, string> }>;
    expect(places.map((p) => p.address)).toEqual([
      { '@type': 'PostalAddress', addressLocality: 'Seattle', addressRegion: 'WA', addressCountry: 'US' },
      { '@type': 'PostalAddress', addressLocality: 'Vancouver', addressRegion: 'BC', addressCountry: 'CA' },
    ]);
    expect(posting).not.toHaveProperty('jobLocationType');
    expect(posting).not.toHaveProperty('applicantLocationRequirements');
  });

  it('marks a fully remote job as TELECOMMUTE with the countries applicants may live in, and no place', async () => {
    const res = await html(`/jobs/${ids.remote}/remote-support-engineer`);
    const posting = jsonLdBlocks(res.body)[0]!;
    expect(posting.jobLocationType).toBe('TELECOMMUTE');
    expect(posting.applicantLocationRequirements).toEqual([
      { '@type': 'Country', name: 'US' },
      { '@type': 'Country', name: 'MX' },
    ]);
    expect(posting).not.toHaveProperty('jobLocation');
    expect(posting.baseSalary).toMatchObject({ value: { value: 30, unitText: 'HOUR' } });
  });

  it('gives a hybrid job its office and no salary when none is published', async () => {
    const posting = jsonLdBlocks((await html(`/jobs/${ids.hybrid}/hybrid-analyst`)).body)[0]!;
    expect(posting).not.toHaveProperty('jobLocationType');
    expect(posting.jobLocation).toMatchObject({ address: { addressCountry: 'US' } });
    expect(posting).not.toHaveProperty('baseSalary');
  });

  it('redirects an old or missing slug to the one address of the job, for an hour only', async () => {
    for (const url of [`/jobs/${ids.onsite}`, `/jobs/${ids.onsite}/old-title`]) {
      const res = await html(url);
      expect(res.statusCode).toBe(301);
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.headers.location).toBe(`/jobs/${ids.onsite}/senior-data-engineer`);
    }
  });

  it('answers a closed job with 410 and open jobs like it, without JobPosting markup', async () => {
    const res = await html(`/jobs/${ids.closed}/closed-data-role`);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('This job is no longer taking applications');
    expect(res.body).toContain(`href="/jobs/${ids.onsite}/senior-data-engineer"`);
    expect(jsonLdBlocks(res.body)).toEqual([]);
  });

  it('answers an unknown or malformed id with 404', async () => {
    expect((await html('/jobs/999999/x')).statusCode).toBe(404);
    expect((await html('/jobs/abc/x')).statusCode).toBe(404);
    expect((await html('/jobs/99999999999999999999/x')).statusCode).toBe(404);
  });

  it('answers 304 to a browser that has the page', async () => {
    const first = await html(`/jobs/${ids.hybrid}/hybrid-analyst`);
    const again = await html(`/jobs/${ids.hybrid}/hybrid-analyst`, { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
  });
});

describe(`the RSS feed of a search on ${testEngine}`, () => {
  it('is RSS 2.0 that a real XML parser reads, newest first, with the search applied', async () => {
    const { XMLParser } = await import('fast-xml-parser');
    const res = await t.app.inject('/feeds/jobs.rss?q=engineer&team=amazon-web-services');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'item' || name === 'category' }).parse(res.body);
    expect(doc.rss['@_version']).toBe('2.0');
    const channel = doc.rss.channel;
    expect(channel.title).toBe('Day One jobs matching “engineer”');
    expect(channel.link).toBe('https://careers.example.test/jobs?q=engineer&team=amazon-web-services');
    expect(channel['atom:link']['@_rel']).toBe('self');
    const items = channel.item as Array<Record<string, unknown>>;
    expect(items.map((i) => i.title).sort()).toEqual(['Remote Support Engineer', 'Senior Data Engineer']);
    const dates = items.map((i) => new Date(String(i.pubDate)).getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const onsite = items.find((i) => i.title === 'Senior Data Engineer')!;
    expect(onsite.guid).toEqual({ '#text': `https://careers.example.test/jobs/${ids.onsite}/senior-data-engineer`, '@_isPermaLink': 'true' });
    expect(onsite.category).toEqual(['Amazon Web Services', 'Software Development']);
  });

  it('stays well-formed XML whatever the query holds', async () => {
    const { XMLValidator } = await import('fast-xml-parser');
    const res = await t.app.inject('/feeds/jobs.rss?q=%01engineer%E2%80%8B%3C%26');
    expect(res.statusCode).toBe(200);
    expect(XMLValidator.validate(res.body)).toBe(true);
    expect(res.body).not.toContain('\u0001');
  });

  it('is linked from the search page it follows', async () => {
    const { body } = await html('/jobs?q=analyst');
    expect(body).toContain('<link rel="alternate" type="application/rss+xml" href="/feeds/jobs.rss?q=analyst"');
  });
});

describe(`the preparation page of a job on ${testEngine}`, () => {
  it('explains the interviews and gives each emphasized principle in full, linked from the job', async () => {
    const job = await html(`/jobs/${ids.onsite}/senior-data-engineer`);
    expect(job.body).toContain(`href="/jobs/${ids.onsite}/senior-data-engineer/prepare"`);
    const res = await html(`/jobs/${ids.onsite}/senior-data-engineer/prepare`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Prepare for your interviews</h1>');
    expect(res.body).toContain('The 3 principles this role emphasizes');
    for (const slug of ['customer-obsession', 'ownership', 'dive-deep']) expect(res.body).toContain(`<a href="/principles/${slug}">`);
    expect(res.body).toContain('What it looks like in an interview');
  });

  it('redirects a stale slug, sends a closed job to its page, and answers 404 for no job', async () => {
    expect((await html(`/jobs/${ids.onsite}/old/prepare`)).headers.location).toBe(`/jobs/${ids.onsite}/senior-data-engineer/prepare`);
    expect((await html(`/jobs/${ids.closed}/closed-data-role/prepare`)).headers.location).toBe(`/jobs/${ids.closed}/closed-data-role`);
    expect((await html('/jobs/999999/x/prepare')).statusCode).toBe(404);
  });
});
