import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { jobPath, locationLabel, type PublicJob } from '../../../shared/contracts/jobs.ts';
import { createJobs, findPublicJob } from '../jobs/jobs.service.ts';

const BASE = 'https://careers.example.test';
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const SUMMARY_KEYS = [
  'absolute_url',
  'company_name',
  'data_compliance',
  'first_published',
  'id',
  'internal_job_id',
  'language',
  'location',
  'metadata',
  'requisition_id',
  'title',
  'updated_at',
];

let t: TestApp;
let jobs: { seattle: PublicJob; remote: PublicJob; legal: PublicJob; custom: PublicJob };
let draftId: number;
let teamIds: Map<string, number>;

beforeAll(async () => {
  t = await testApp();
  const { ids } = await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({
        title: 'Storage Engineer',
        description: 'Build **storage** & "things" that <last>.',
        locations: [
          { city: 'Seattle', region: 'WA', country: 'US' },
          { city: 'Vancouver', region: 'BC', country: 'CA' },
        ],
        questions: [
          { label: 'Why us?', kind: 'long_text', required: true },
          { label: 'Years of Rust?', kind: 'number' },
          { label: 'Your GitHub', kind: 'short_text' },
          { label: 'Authorized to work in the US?', kind: 'yes_no', required: true },
          { label: 'Preferred office', kind: 'single_choice', options: ['Seattle', 'Vancouver'] },
          { label: 'Languages', kind: 'multiple_choice', options: ['Rust', 'Go', 'TypeScript'] },
        ],
        postedAt: new Date(Date.now() - 3 * 86_400_000),
      }),
      buildJob({ title: 'Remote Support', workplaceType: 'remote', locations: [], applicantCountries: ['US', 'CA'], pay: null, postedAt: new Date(Date.now() - 2 * 86_400_000) }),
      buildJob({ title: 'Counsel', team: 'legal', category: 'Legal', locations: [{ city: 'Seattle', region: 'WA', country: 'US' }], pay: { currency: 'USD', min: 50.25, max: 75, unit: 'HOUR' } }),
      buildJob({ title: 'Custom Requisition', requisitionId: 'ENG-7', locations: [{ city: 'Berlin', country: 'DE' }] }),
      buildJob({ title: 'Draft', status: 'draft' }),
    ],
  });
  const found = await Promise.all(ids.slice(0, 4).map((id) => findPublicJob({ db: t.database.db, id })));
  const [seattle, remote, legal, custom] = found as [PublicJob, PublicJob, PublicJob, PublicJob];
  jobs = { seattle, remote, legal, custom };
  draftId = ids[4]!;
  const departments = (await get('/v1/boards/dayone/departments')).json() as { departments: Array<{ id: number; name: string }> };
  teamIds = new Map(departments.departments.map((d) => [d.name, d.id]));
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

type Json = Record<string, unknown>;

describe(`the Greenhouse-compatible job board on ${testEngine}`, () => {
  it('names the board and gives its intro as HTML', async () => {
    const res = await get('/v1/boards/dayone');
    expect(res.statusCode).toBe(200);
    const body = res.json() as Json;
    expect(Object.keys(body).sort()).toEqual(['content', 'name']);
    expect(body.name).toBe('Day One');
    expect(body.content).toMatch(/^<p>/);
  });

  it('answers 404 the way Greenhouse does for a board token other than its own', async () => {
    for (const path of ['', '/jobs', `/jobs/${jobs.seattle.id}`, '/departments', '/offices']) {
      const res = await get(`/v1/boards/someone-else${path}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ status: 404, error: 'Job not found' });
    }
  });

  it('lists every public job post with the fields Greenhouse gives, and meta.total', async () => {
    const res = await get('/v1/boards/dayone/jobs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json() as { jobs: Json[]; meta: { total: number } };
    expect(Object.keys(body)).toEqual(['jobs', 'meta']);
    expect(body.meta).toEqual({ total: 4 });
    // Newest first.
    expect(body.jobs.map((j) => j.id)).toEqual([jobs.custom.id, jobs.legal.id, jobs.remote.id, jobs.seattle.id]);
    expect(body.jobs.map((j) => j.id)).not.toContain(draftId);
    for (const job of body.jobs) expect(Object.keys(job).sort()).toEqual(SUMMARY_KEYS);

    const seattle = body.jobs.find((j) => j.id === jobs.seattle.id)!;
    expect(seattle).toEqual({
      absolute_url: `${BASE}${jobPath(jobs.seattle)}`,
      data_compliance: [
        { type: 'gdpr', requires_consent: false, requires_processing_consent: false, requires_retention_consent: false, retention_period: null, demographic_data_consent_applies: false },
      ],
      internal_job_id: Number(jobs.seattle.requisitionId.replace(/\D/g, '')),
      location: { name: 'Seattle, WA, US; Vancouver, BC, CA' },
      metadata: null,
      id: jobs.seattle.id,
      updated_at: expect.stringMatching(ISO_WITH_OFFSET),
      requisition_id: jobs.seattle.requisitionId,
      title: 'Storage Engineer',
      company_name: 'Day One',
      first_published: expect.stringMatching(ISO_WITH_OFFSET),
      language: 'en',
    });
    expect(new Date(seattle.first_published as string).getTime()).toBe(Math.floor(jobs.seattle.postedAt.getTime() / 1000) * 1000);
    expect(new Date(seattle.updated_at as string).getTime()).toBe(Math.floor(jobs.seattle.updatedAt.getTime() / 1000) * 1000);
    expect(body.jobs.find((j) => j.id === jobs.remote.id)!.location).toEqual({ name: locationLabel(jobs.remote) });
    expect(body.jobs.find((j) => j.id === jobs.remote.id)!.location).toEqual({ name: 'Remote (US, CA)' });
  });

  it('gives each post an internal job id that differs from the post id and stays the same', async () => {
    const first = (await get('/v1/boards/dayone/jobs')).json() as { jobs: Json[] };
    const second = (await get('/v1/boards/dayone/jobs')).json() as { jobs: Json[] };
    for (const job of first.jobs) {
      expect(typeof job.internal_job_id).toBe('number');
      expect(job.internal_job_id).not.toBe(job.id);
      expect(second.jobs.find((j) => j.id === job.id)!.internal_job_id).toBe(job.internal_job_id);
    }
    expect(first.jobs.find((j) => j.id === jobs.custom.id)!.internal_job_id).toBe(7);
    expect(first.jobs.find((j) => j.id === jobs.custom.id)!.requisition_id).toBe('ENG-7');
  });

  it('adds the entity-encoded content, departments and offices with content=true', async () => {
    const body = (await get('/v1/boards/dayone/jobs?content=true')).json() as { jobs: Json[]; meta: { total: number } };
    expect(body.meta.total).toBe(4);
    for (const job of body.jobs) expect(Object.keys(job).sort()).toEqual([...SUMMARY_KEYS, 'content', 'departments', 'offices'].sort());
    const seattle = body.jobs.find((j) => j.id === jobs.seattle.id)!;
    expect(seattle.content).toMatch(/^&lt;p&gt;Build &lt;strong&gt;storage&lt;\/strong&gt; &amp;amp; &quot;things&quot; that .&lt;\/p&gt;/);
    expect(seattle.content).not.toMatch(/[<>"]/);
    expect(seattle.content).toContain('&lt;h3&gt;Basic qualifications&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;3+ years of professional software development&lt;/li&gt;&lt;/ul&gt;');
    expect(seattle.departments).toEqual([{ id: teamIds.get('Amazon Web Services'), name: 'Amazon Web Services', child_ids: [], parent_id: null }]);
    const offices = seattle.offices as Array<{ id: number; name: string; location: string; parent_id: number | null; child_ids: number[] }>;
    expect(offices.map((o) => ({ name: o.name, location: o.location, child_ids: o.child_ids }))).toEqual([
      { name: 'Seattle', location: 'Seattle, United States', child_ids: [] },
      { name: 'Vancouver', location: 'Vancouver, Canada', child_ids: [] },
    ]);
    for (const office of offices) {
      expect(Number.isInteger(office.id)).toBe(true);
      expect(Number.isInteger(office.parent_id)).toBe(true);
    }
    // A remote job without locations belongs to the offices of the countries it hires in.
    const remote = body.jobs.find((j) => j.id === jobs.remote.id)!;
    expect((remote.offices as Array<{ name: string; parent_id: null }>).map((o) => [o.name, o.parent_id])).toEqual([
      ['United States', null],
      ['Canada', null],
    ]);
  });

  it('gives one job post with its content, and 404 for a draft, an unknown id or a malformed one', async () => {
    const res = await get(`/v1/boards/dayone/jobs/${jobs.legal.id}`);
    expect(res.statusCode).toBe(200);
    const job = res.json() as Json;
    expect(Object.keys(job).sort()).toEqual([...SUMMARY_KEYS, 'content', 'departments', 'offices'].sort());
    expect(job.id).toBe(jobs.legal.id);
    expect(job.departments).toEqual([{ id: teamIds.get('Legal'), name: 'Legal', child_ids: [], parent_id: null }]);
    for (const path of [String(draftId), '999999', 'abc']) {
      const missing = await get(`/v1/boards/dayone/jobs/${path}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ status: 404, error: 'Job not found' });
    }
  });

  it('adds the application questions with questions=true: the standard fields, then the screening questions as Greenhouse field types', async () => {
    const job = (await get(`/v1/boards/dayone/jobs/${jobs.seattle.id}?questions=true`)).json() as Json;
    expect(job.location_questions).toEqual([]);
    expect(job.compliance).toEqual([]);
    expect(job.demographic_questions).toBeNull();
    expect(job).not.toHaveProperty('pay_input_ranges');
    const q = jobs.seattle.questions.map((question) => `question_${question.id}`);
    expect(job.questions).toEqual([
      { required: true, label: 'First Name', description: null, fields: [{ name: 'first_name', type: 'input_text', values: [] }] },
      { required: true, label: 'Last Name', description: null, fields: [{ name: 'last_name', type: 'input_text', values: [] }] },
      { required: true, label: 'Email', description: null, fields: [{ name: 'email', type: 'input_text', values: [] }] },
      { required: false, label: 'Phone', description: null, fields: [{ name: 'phone', type: 'input_text', values: [] }] },
      {
        required: true,
        label: 'Resume/CV',
        description: null,
        fields: [
          { name: 'resume', type: 'input_file', values: [] },
          { name: 'resume_text', type: 'textarea', values: [] },
        ],
      },
      {
        required: false,
        label: 'Cover Letter',
        description: null,
        fields: [
          { name: 'cover_letter', type: 'input_file', values: [] },
          { name: 'cover_letter_text', type: 'textarea', values: [] },
        ],
      },
      { required: true, label: 'Why us?', description: null, fields: [{ name: q[0], type: 'textarea', values: [] }] },
      { required: false, label: 'Years of Rust?', description: null, fields: [{ name: q[1], type: 'input_text', values: [] }] },
      { required: false, label: 'Your GitHub', description: null, fields: [{ name: q[2], type: 'input_text', values: [] }] },
      {
        required: true,
        label: 'Authorized to work in the US?',
        description: null,
        fields: [{ name: q[3], type: 'multi_value_single_select', values: [{ value: 1, label: 'Yes' }, { value: 0, label: 'No' }] }],
      },
      {
        required: false,
        label: 'Preferred office',
        description: null,
        fields: [{ name: q[4], type: 'multi_value_single_select', values: [{ value: 0, label: 'Seattle' }, { value: 1, label: 'Vancouver' }] }],
      },
      {
        required: false,
        label: 'Languages',
        description: null,
        fields: [{ name: `${q[5]}[]`, type: 'multi_value_multi_select', values: [{ value: 0, label: 'Rust' }, { value: 1, label: 'Go' }, { value: 2, label: 'TypeScript' }] }],
      },
    ]);
  });

  it('adds the pay range in cents with pay_transparency=true, and an empty list for a job without pay', async () => {
    const legal = (await get(`/v1/boards/dayone/jobs/${jobs.legal.id}?pay_transparency=true`)).json() as Json;
    expect(legal.pay_input_ranges).toEqual([{ min_cents: 5025, max_cents: 7500, currency_type: 'USD', title: 'Pay range (per hour)', blurb: null }]);
    expect(legal).not.toHaveProperty('questions');
    const seattle = (await get(`/v1/boards/dayone/jobs/${jobs.seattle.id}?pay_transparency=true`)).json() as Json;
    expect(seattle.pay_input_ranges).toEqual([{ min_cents: 12_000_000, max_cents: 18_000_000, currency_type: 'USD', title: 'Pay range (per year)', blurb: null }]);
    const remote = (await get(`/v1/boards/dayone/jobs/${jobs.remote.id}?pay_transparency=true`)).json() as Json;
    expect(remote.pay_input_ranges).toEqual([]);
  });

  it('lists every team as a department with its jobs, as a list or as trees', async () => {
    const list = (await get('/v1/boards/dayone/departments')).json() as { departments: Json[] };
    expect(list.departments).toHaveLength(10);
    for (const d of list.departments) expect(Object.keys(d).sort()).toEqual(['child_ids', 'id', 'jobs', 'name', 'parent_id']);
    const aws = list.departments.find((d) => d.name === 'Amazon Web Services')!;
    expect(aws.parent_id).toBeNull();
    expect(aws.child_ids).toEqual([]);
    expect((aws.jobs as Json[]).map((j) => j.id).sort()).toEqual([jobs.seattle.id, jobs.remote.id, jobs.custom.id].sort());
    for (const job of aws.jobs as Json[]) expect(Object.keys(job).sort()).toEqual(SUMMARY_KEYS);
    expect((list.departments.find((d) => d.name === 'Legal')!.jobs as Json[]).map((j) => j.id)).toEqual([jobs.legal.id]);
    expect(list.departments.find((d) => d.name === 'E-Commerce')!.jobs).toEqual([]);

    const tree = (await get('/v1/boards/dayone/departments?render_as=tree')).json() as { departments: Json[] };
    expect(tree.departments).toHaveLength(10);
    for (const d of tree.departments) {
      expect(Object.keys(d).sort()).toEqual(['children', 'id', 'jobs', 'name']);
      expect(d.children).toEqual([]);
    }
    expect(tree.departments.map((d) => d.id)).toEqual(list.departments.map((d) => d.id));
  });

  it('lists the countries and cities of jobs as offices, each with every department and its jobs there, as a list or as trees', async () => {
    type Office = { id: number; name: string; location: string; parent_id: number | null; child_ids: number[]; departments: Array<{ id: number; name: string; jobs: Json[]; parent_id: null; child_ids: [] }> };
    const list = (await get('/v1/boards/dayone/offices')).json() as { offices: Office[] };
    expect(list.offices.map((o) => o.name)).toEqual(['Canada', 'Vancouver', 'Germany', 'Berlin', 'United States', 'Seattle']);
    const byName = new Map(list.offices.map((o) => [o.name, o]));
    for (const office of list.offices) {
      expect(Object.keys(office).sort()).toEqual(['child_ids', 'departments', 'id', 'location', 'name', 'parent_id']);
      expect(office.departments).toHaveLength(10);
      for (const d of office.departments) expect(Object.keys(d).sort()).toEqual(['child_ids', 'id', 'jobs', 'name', 'parent_id']);
    }
    expect(byName.get('United States')).toMatchObject({ parent_id: null, child_ids: [byName.get('Seattle')!.id], location: 'United States' });
    expect(byName.get('Seattle')).toMatchObject({ parent_id: byName.get('United States')!.id, child_ids: [], location: 'Seattle, United States' });
    const jobsIn = (office: string, team: string) => byName.get(office)!.departments.find((d) => d.name === team)!.jobs.map((j) => j.id);
    expect(jobsIn('Seattle', 'Amazon Web Services')).toEqual([jobs.seattle.id]);
    expect(jobsIn('Seattle', 'Legal')).toEqual([jobs.legal.id]);
    expect(jobsIn('Vancouver', 'Amazon Web Services')).toEqual([jobs.seattle.id]);
    expect(jobsIn('United States', 'Amazon Web Services')).toEqual([jobs.remote.id]);
    expect(jobsIn('Berlin', 'Amazon Web Services')).toEqual([jobs.custom.id]);
    expect(jobsIn('Berlin', 'Legal')).toEqual([]);

    type Node = { id: number; name: string; location: string; departments: Array<Json>; children: Node[] };
    const tree = (await get('/v1/boards/dayone/offices?render_as=tree')).json() as { offices: Node[] };
    expect(tree.offices.map((o) => [o.name, o.children.map((c) => c.name)])).toEqual([
      ['Canada', ['Vancouver']],
      ['Germany', ['Berlin']],
      ['United States', ['Seattle']],
    ]);
    const seattle = tree.offices[2]!.children[0]!;
    expect(Object.keys(seattle).sort()).toEqual(['children', 'departments', 'id', 'location', 'name']);
    expect(seattle.id).toBe(byName.get('Seattle')!.id);
    for (const d of seattle.departments) expect(Object.keys(d).sort()).toEqual(['children', 'id', 'jobs', 'name']);
  });
});
