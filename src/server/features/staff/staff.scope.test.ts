import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../jobs/jobs.service.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { sessions } from '../../db/schema/index.ts';
import type { StaffExtension } from './staff.scope.ts';
import { eq } from 'drizzle-orm';

/** Two routes declared the way every feature declares them, answering who asked. */
const probe: StaffExtension = (scope) => {
  scope.route({
    method: 'GET',
    url: '/staff/probe',
    action: 'workspace.view',
    handler: (request, reply, { user }) =>
      reply.type('text/html').send(`<p>${user.id}</p><input type="hidden" name="_csrf" value="${scope.csrf.token(request, reply)}">`),
  });
  scope.route({
    method: 'POST',
    url: '/staff/probe/jobs/:id',
    action: 'job.edit',
    target: { kind: 'job', param: 'id' },
    handler: (_request, _reply, { jobId, teamRole }) => ({ jobId, teamRole }),
  });
  scope.route({ method: 'GET', url: '/staff/probe/audit', action: 'audit.view', handler: () => ({ ok: true }) });
};

describe('the staff scope', () => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await testApp({ deps: { staffExtensions: [probe], staffIdleMinutes: 5 } });
    [jobId] = (await createJobs({ db: t.database.db, inputs: [buildJob({ status: 'draft' })] })).ids as [number];
  });
  afterAll(() => t.close());

  it('sends a signed-out visitor to the sign-in page and back afterwards', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/staff/probe?x=1', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fprobe%3Fx%3D1');
  });

  it('refuses a signed-out form post with 401', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/staff/probe/jobs/${jobId}`, payload: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'signed_out' });
  });

  it('refuses a post without the anti-forgery token', async () => {
    const user = await createStaff(t.database.db, { role: 'admin' });
    const client = await staffClient(t.app, t.database.db, user.id);
    await client.get('/staff/probe');
    const res = await client.post(`/staff/probe/jobs/${jobId}`, { _csrf: 'forged' }, { accept: 'application/json' });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'csrf_invalid' });
  });

  it('asks the policy with the user’s place on the job’s team', async () => {
    const onTeam = await createStaff(t.database.db, { role: 'recruiter' });
    const offTeam = await createStaff(t.database.db, { role: 'recruiter' });
    await addToJobTeam(t.database.db, jobId, onTeam.id, 'recruiter');
    const member = await staffClient(t.app, t.database.db, onTeam.id);
    await member.get('/staff/probe');
    const allowed = await member.post(`/staff/probe/jobs/${jobId}`, {}, { accept: 'application/json' });
    expect(allowed.statusCode).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ jobId, teamRole: 'recruiter' });

    const stranger = await staffClient(t.app, t.database.db, offTeam.id);
    await stranger.get('/staff/probe');
    expect((await stranger.post(`/staff/probe/jobs/${jobId}`, {}, { accept: 'application/json' })).statusCode).toBe(403);
    expect((await stranger.get('/staff/probe/audit', { accept: 'application/json' })).statusCode).toBe(403);
  });

  it('answers 404 for a job that does not exist, before asking the policy', async () => {
    const user = await createStaff(t.database.db, { role: 'recruiter' });
    const client = await staffClient(t.app, t.database.db, user.id);
    await client.get('/staff/probe');
    expect((await client.post('/staff/probe/jobs/99999999', {}, { accept: 'application/json' })).statusCode).toBe(404);
    expect((await client.post('/staff/probe/jobs/abc', {}, { accept: 'application/json' })).statusCode).toBe(404);
  });

  it('ends a session left idle longer than the limit', async () => {
    const user = await createStaff(t.database.db, { role: 'interviewer' });
    const client = await staffClient(t.app, t.database.db, user.id);
    expect((await client.get('/staff/probe')).statusCode).toBe(200);
    await t.database.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 6 * 60_000) }).where(eq(sessions.subjectId, user.id));
    const res = await client.get('/staff/probe');
    expect(res.statusCode).toBe(303);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.subjectId, user.id))).toHaveLength(0);
  });

  it('keeps a table of every route with the action it checks', () => {
    expect(t.app.staffRouteTable.filter((r) => r.url.startsWith('/staff/probe'))).toEqual([
      { method: 'GET', url: '/staff/probe', action: 'workspace.view', target: 'none' },
      { method: 'POST', url: '/staff/probe/jobs/:id', action: 'job.edit', target: 'job' },
      { method: 'GET', url: '/staff/probe/audit', action: 'audit.view', target: 'none' },
    ]);
  });
});
