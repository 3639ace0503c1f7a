import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { jobPath, type PublicJob } from '../../../shared/contracts/jobs.ts';
import { findJobsByIds } from '../jobs/jobs.repository.ts';
import { createJobs } from '../jobs/jobs.service.ts';

const BASE = 'https://careers.example.test';
const days = (n: number) => new Date(Date.now() - n * 86_400_000);

let t: TestApp;
let storage: PublicJob;
let counsel: PublicJob;
let support: PublicJob;
let designer: PublicJob;
let draft: PublicJob;

beforeAll(async () => {
  t = await testApp();
  const { ids } = await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({
        title: 'Storage Engineer',
        level: 5,
        description: 'Build **storage** & more.',
        locations: [
          { city: 'Seattle', region: 'WA', country: 'US' },
          { city: 'Vancouver', region: 'BC', country: 'CA' },
        ],
        postedAt: days(5),
      }),
      buildJob({
        title: 'Counsel',
        team: 'legal',
        category: 'Legal',
        level: 6,
        workplaceType: 'hybrid',
        locations: [{ city: 'Seattle', region: 'WA', country: 'US' }],
        pay: { currency: 'USD', min: 90, max: 120, unit: 'HOUR' },
        principles: [],
        postedAt: days(4),
      }),
      buildJob({
        title: 'Remote Support',
        category: 'Support',
        level: 3,
        employmentType: 'PART_TIME',
        workplaceType: 'remote',
        locations: [],
        applicantCountries: ['US'],
        pay: null,
        basicQualifications: [],
        preferredQualifications: [],
        postedAt: days(3),
      }),
      buildJob({
        title: 'Shop Designer',
        team: 'e-commerce',
        category: 'Design',
        employmentType: 'CONTRACTOR',
        locations: [{ city: 'Berlin', country: 'DE' }],
        pay: { currency: 'EUR', min: 60000, max: 70000, unit: 'YEAR' },
        postedAt: days(2),
      }),
      buildJob({ title: 'Draft', status: 'draft' }),
    ],
  });
  [storage, counsel, support, designer, draft] = (await findJobsByIds(t.database.db, ids, { publicOnly: false })) as [PublicJob, PublicJob, PublicJob, PublicJob, PublicJob];
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
type Posting = { id: string; text: string; categories: Record<string, unknown> };
const postings = async (query = '') => {
  const res = await get(`/v0/postings/dayone${query}`);
  expect(res.statusCode).toBe(200);
  return res.json() as Posting[];
};
const titles = async (query = '') => (await postings(query)).map((p) => p.text);

describe(`the Lever-compatible postings API on ${testEngine}`, () => {
  it('gives a posting with Lever’s field names: team, our category as department, the employment type as commitment', async () => {
    const all = await postings();
    const posting = all.find((p) => p.id === storage.uuid);
    const hostedUrl = `${BASE}${jobPath(storage)}`;
    expect(posting).toEqual({
      id: storage.uuid,
      text: 'Storage Engineer',
      categories: {
        team: 'Amazon Web Services',
        department: 'Software Development',
        location: 'Seattle, US',
        commitment: 'Full time',
        level: 'Senior',
        allLocations: ['Seattle, US', 'Vancouver, CA'],
      },
      country: 'US',
      opening: '',
      openingPlain: '',
      description: '<p>Build <strong>storage</strong> &amp; more.</p>\n',
      descriptionPlain: 'Build storage & more.',
      descriptionBody: '<p>Build <strong>storage</strong> &amp; more.</p>\n',
      descriptionBodyPlain: 'Build storage & more.',
      lists: [
        { text: 'Basic qualifications', content: '<li>3+ years of professional software development</li>' },
        { text: 'Preferred qualifications', content: '<li>Experience with distributed systems</li>' },
      ],
      additional: '<div>The principles this role leans on most: Customer obsession, Ownership, Dive deep.</div>',
      additionalPlain: 'The principles this role leans on most: Customer obsession, Ownership, Dive deep.',
      hostedUrl,
      applyUrl: `${hostedUrl}/apply`,
      workplaceType: 'on-site',
      salaryRange: { currency: 'USD', interval: 'per-year-salary', min: 120000, max: 180000 },
      createdAt: storage.postedAt.getTime(),
    });
  });

  it('maps workplace types and pay intervals as Lever names them, and leaves out a salary range a job does not have', async () => {
    const all = await postings();
    const byId = new Map(all.map((p) => [p.id, p as Posting & Record<string, unknown>]));
    expect(byId.get(counsel.uuid)).toMatchObject({ workplaceType: 'hybrid', salaryRange: { currency: 'USD', interval: 'per-hour-wage', min: 90, max: 120 }, additional: '', additionalPlain: '' });
    const remote = byId.get(support.uuid)!;
    expect(remote).toMatchObject({ workplaceType: 'remote', country: 'US', lists: [], categories: { location: 'Remote', allLocations: ['Remote'], commitment: 'Part time', level: 'Associate' } });
    expect(remote).not.toHaveProperty('salaryRange');
    expect(byId.get(designer.uuid)).toMatchObject({
      country: 'DE',
      salaryRange: { currency: 'EUR', interval: 'per-year-salary', min: 60000, max: 70000 },
      categories: { team: 'E-Commerce', department: 'Design', commitment: 'Contractor', level: 'Mid level', location: 'Berlin, DE' },
    });
  });

  it('lists every public posting newest first, with or without mode=json, and never a draft', async () => {
    expect(await titles()).toEqual(['Shop Designer', 'Remote Support', 'Counsel', 'Storage Engineer']);
    expect(await titles('?mode=json')).toEqual(['Shop Designer', 'Remote Support', 'Counsel', 'Storage Engineer']);
    expect((await postings()).map((p) => p.id)).not.toContain(draft.uuid);
  });

  it('filters by team, department, commitment, level and location, ORing repeated values and ANDing filters', async () => {
    expect(await titles('?team=Legal')).toEqual(['Counsel']);
    expect(await titles('?team=Legal&team=E-Commerce')).toEqual(['Shop Designer', 'Counsel']);
    expect(await titles('?department=Design')).toEqual(['Shop Designer']);
    expect(await titles('?department=Design&department=Support')).toEqual(['Shop Designer', 'Remote Support']);
    expect(await titles('?commitment=Full%20time')).toEqual(['Counsel', 'Storage Engineer']);
    expect(await titles('?commitment=Part%20time&commitment=Contractor')).toEqual(['Shop Designer', 'Remote Support']);
    expect(await titles('?level=Senior')).toEqual(['Storage Engineer']);
    expect(await titles('?level=Senior&level=Principal')).toEqual(['Counsel', 'Storage Engineer']);
    expect(await titles('?location=Seattle,%20US')).toEqual(['Counsel', 'Storage Engineer']);
    expect(await titles('?location=Vancouver,%20CA')).toEqual(['Storage Engineer']);
    expect(await titles('?location=Remote')).toEqual(['Remote Support']);
    expect(await titles('?location=Berlin,%20DE&location=Remote')).toEqual(['Shop Designer', 'Remote Support']);
    expect(await titles('?team=Amazon%20Web%20Services&commitment=Full%20time')).toEqual(['Storage Engineer']);
    expect(await titles('?team=Legal&location=Berlin,%20DE')).toEqual([]);
  });

  it('matches nothing for a category value no posting has', async () => {
    expect(await titles('?level=Wizard')).toEqual([]);
    expect(await titles('?commitment=Forever')).toEqual([]);
    expect(await titles('?team=Nobody')).toEqual([]);
    expect(await titles('?location=Atlantis,%20XX')).toEqual([]);
  });

  it('refuses a filter value with a control character as a bad request, never a server error', async () => {
    for (const param of ['team', 'location', 'department']) {
      const res = await get(`/v0/postings/${t.config.boardToken}?${param}=%00`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ ok: false, error: 'Filter values must not contain control characters' });
    }
  });

  it('pages with skip and limit', async () => {
    expect(await titles('?limit=2')).toEqual(['Shop Designer', 'Remote Support']);
    expect(await titles('?skip=2&limit=2')).toEqual(['Counsel', 'Storage Engineer']);
    expect(await titles('?skip=3')).toEqual(['Storage Engineer']);
    expect(await titles('?skip=4')).toEqual([]);
    expect(await titles('?team=Amazon%20Web%20Services&skip=1&limit=1')).toEqual(['Storage Engineer']);
  });

  it('groups postings by team, location, commitment or department, groups in alphabetical order', async () => {
    const byTeam = (await get('/v0/postings/dayone?group=team')).json() as Array<{ title: string; postings: Posting[] }>;
    expect(byTeam.map((g) => [g.title, g.postings.map((p) => p.text)])).toEqual([
      ['Amazon Web Services', ['Remote Support', 'Storage Engineer']],
      ['E-Commerce', ['Shop Designer']],
      ['Legal', ['Counsel']],
    ]);
    for (const group of byTeam) expect(Object.keys(group)).toEqual(['title', 'postings']);
    const byLocation = (await get('/v0/postings/dayone?group=location')).json() as Array<{ title: string; postings: Posting[] }>;
    expect(byLocation.map((g) => [g.title, g.postings.map((p) => p.text)])).toEqual([
      ['Berlin, DE', ['Shop Designer']],
      ['Remote', ['Remote Support']],
      ['Seattle, US', ['Counsel', 'Storage Engineer']],
    ]);
    const byCommitment = (await get('/v0/postings/dayone?group=commitment&team=Amazon%20Web%20Services')).json() as Array<{ title: string; postings: Posting[] }>;
    expect(byCommitment.map((g) => [g.title, g.postings.length])).toEqual([
      ['Full time', 1],
      ['Part time', 1],
    ]);
    const byDepartment = (await get('/v0/postings/dayone?group=department&limit=2')).json() as Array<{ title: string; postings: Posting[] }>;
    expect(byDepartment.map((g) => g.title)).toEqual(['Design', 'Support']);
  });

  it('gives one posting by its id, and 404 as Lever does for an unknown, malformed or unpublished id', async () => {
    const res = await get(`/v0/postings/dayone/${counsel.uuid}`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as Posting).text).toBe('Counsel');
    expect((await get(`/v0/postings/dayone/${counsel.uuid.toUpperCase()}?mode=json`)).statusCode).toBe(200);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', draft.uuid, String(counsel.id)]) {
      const missing = await get(`/v0/postings/dayone/${id}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ ok: false, error: 'Document not found' });
    }
  });

  it('answers 404 as Lever does for a site other than its own', async () => {
    for (const path of ['/v0/postings/someone-else', `/v0/postings/someone-else/${counsel.uuid}`]) {
      const res = await get(path);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ ok: false, error: 'Document not found' });
    }
  });

  it('refuses a mode other than json, a malformed skip or limit and an unknown group', async () => {
    for (const query of ['?mode=html', '?limit=-1', '?skip=abc', '?group=salary']) {
      const res = await get(`/v0/postings/dayone${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ ok: false, error: expect.any(String) });
    }
  });
});
