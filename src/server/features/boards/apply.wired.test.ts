import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { createApiKey } from '../apikeys/apikeys.service.ts';
import { createJobs } from '../jobs/jobs.service.ts';

let t: TestApp;
let jobId: number;
let key: string;
beforeAll(async () => {
  t = await testApp();
  jobId = (await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Wired Role', questions: [] })] })).ids[0]!;
  ({ key } = await createApiKey({ db: t.database.db, name: 'widget' }));
});
afterAll(() => t.close());

describe(`the apply side of the job-board APIs as the app serves them, on ${testEngine}`, () => {
  it('takes a Greenhouse-style application with an API key and a Lever-style one with ?key=', async () => {
    const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    const greenhouse = await t.app.inject({
      method: 'POST',
      url: `/v1/boards/${t.config.boardToken}/jobs/${jobId}`,
      headers: { authorization: auth, 'content-type': 'application/json' },
      payload: { first_name: 'Zoë', last_name: 'Ødegård', email: 'zoe@example.test', resume_text: 'Data engineer' },
    });
    expect(greenhouse.statusCode).toBe(200);
    expect(greenhouse.json().success).toBe('Candidate saved successfully');
    const lever = await t.app.inject({
      method: 'POST',
      url: `/v0/postings/${t.config.boardToken}/${(await t.app.inject(`/v0/postings/${t.config.boardToken}`)).json()[0].id}?key=${key}`,
      headers: { 'content-type': 'application/json' },
      payload: { name: 'Li Xiaolong', email: 'li@example.test', resume_text: 'Engineer' },
    });
    expect(lever.json()).toMatchObject({ ok: true });
    const unauthorized = await t.app.inject({ method: 'POST', url: `/v1/boards/${t.config.boardToken}/jobs/${jobId}`, payload: {} });
    expect(unauthorized.statusCode).toBe(401);
  });
});
