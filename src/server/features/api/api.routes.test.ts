import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { createJobs } from '../jobs/jobs.service.ts';

let t: TestApp;
let ids: number[];
let validate: (schema: string, value: unknown) => string[];

beforeAll(async () => {
  t = await testApp();
  ({ ids } = await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({ title: 'Payments Engineer', questions: [{ label: 'Which team?', kind: 'single_choice', required: false, options: ['A', 'B'] }] }),
      buildJob({ title: 'Remote Writer', workplaceType: 'remote', locations: [], applicantCountries: ['GB'], pay: null, category: 'Writing' }),
      buildJob({ title: 'Old Engineer', status: 'closed_cancelled' }),
    ],
  }));
  const doc = (await t.app.inject('/api/v1/openapi.json')).json();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'doc', components: doc.components });
  validate = (schema, value) => {
    const check = ajv.compile({ $ref: `doc#/components/schemas/${schema}` });
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
});
afterAll(() => t.close());

describe(`the JSON API on ${testEngine}`, () => {
  it('publishes a valid OpenAPI 3.1 document', async () => {
    const res = await t.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('searches with the page parameters and answers in the documented shape', async () => {
    const res = await t.app.inject('/api/v1/jobs?q=engineer&workplace=on_site&sort=newest');
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json();
    expect(validate('SearchResult', body)).toEqual([]);
    expect(body.total).toBe(1);
    expect(body.jobs[0]).toMatchObject({ id: ids[0], title: 'Payments Engineer', url: `https://careers.example.test/jobs/${ids[0]}/payments-engineer` });
    expect(body.facets.workplace).toEqual(expect.arrayContaining([{ value: 'on_site', label: 'On-site', count: 1 }]));
  });

  it('compresses answers for clients that ask, with an ETag per encoding, though the routes skip the compress hooks', async () => {
    const plain = await t.app.inject('/api/v1/jobs?q=engineer');
    const br = await t.app.inject({ url: '/api/v1/jobs?q=engineer', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const again = await t.app.inject({ url: '/api/v1/jobs?q=engineer', headers: { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('gives one job in the documented shape, with its description as Markdown and as safe HTML', async () => {
    const res = await t.app.inject(`/api/v1/jobs/${ids[0]}`);
    expect(res.statusCode).toBe(200);
    const job = res.json();
    expect(validate('Job', job)).toEqual([]);
    expect(job.questions).toEqual([{ id: expect.any(Number), label: 'Which team?', kind: 'single_choice', required: false, options: ['A', 'B'] }]);
    expect(job.descriptionHtml).toBe('<p>Build and run services that many customers rely on every day.</p>\n');
    expect(validate('Job', (await t.app.inject(`/api/v1/jobs/${ids[1]}`)).json())).toEqual([]);
  });

  it('answers errors as { code, message } with the right status', async () => {
    const gone = await t.app.inject(`/api/v1/jobs/${ids[2]}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toEqual({ code: 'gone', message: `Job ${ids[2]} is no longer open.` });
    const missing = await t.app.inject('/api/v1/jobs/424242');
    expect(missing.statusCode).toBe(404);
    expect(validate('Error', missing.json())).toEqual([]);
    const bad = await t.app.inject({ url: '/api/v1/jobs?page=0&level=x', headers: { 'x-request-id': 'lb-77' } });
    expect(bad.statusCode).toBe(400);
    // Headers set as the request starts reach error answers too.
    expect(bad.headers).toMatchObject({ 'access-control-allow-origin': '*', 'x-request-id': 'lb-77', 'x-content-type-options': 'nosniff' });
    expect(validate('Error', bad.json())).toEqual([]);
    expect(bad.json().fields.map((f: { field: string }) => f.field).sort()).toEqual(['level.0', 'page']);
    const nowhere = await t.app.inject({ url: '/api/v1/nothing', headers: { accept: 'text/html' } });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json().code).toBe('not_found');
  });

  it('lists teams and principles', async () => {
    const teams = (await t.app.inject('/api/v1/teams')).json();
    expect(teams).toHaveLength(10);
    for (const team of teams) expect(validate('Entry', team)).toEqual([]);
    expect((await t.app.inject('/api/v1/principles')).json()[0]).toMatchObject({ slug: 'customer-obsession', name: 'Customer obsession' });
  });

  it('renders a readable documentation page from the same document', async () => {
    const res = await t.app.inject({ url: '/api/v1/docs', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<code>GET /jobs</code>');
    expect(res.body).toContain('<code>workplace</code>');
    expect(res.body).toContain('href="/api/v1/openapi.json"');
  });
});
