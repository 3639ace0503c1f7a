import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { multipart } from '../../../../test/support/multipart.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, selfIdentifications } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';

let t: TestApp;
let applyPath: string;
let jobId: number;
const REPORT = '/staff/reports/self-identification';

beforeAll(async () => {
  t = await testApp();
  const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Kiln Engineer' })] });
  jobId = ids[0]!;
  applyPath = `/jobs/${jobId}/kiln-engineer/apply`;
});
afterAll(() => t.close());

const apply = (n: number, extra: Record<string, string> = {}) => {
  const body = multipart({
    idempotencyKey: randomUUID(),
    name: `Applicant ${n}`,
    email: `applicant.${n}.${randomUUID().slice(0, 6)}@example.test`,
    consentProcessing: 'yes',
    resumeText: 'Fires kilns.',
    ...extra,
  });
  return t.app.inject({ method: 'POST', url: applyPath, payload: body.payload, headers: { ...body.headers, accept: 'text/html' }, remoteAddress: `10.9.${n}.1` });
};
const stored = async () => (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(selfIdentifications))[0]!.n;

describe(`voluntary self-identification on ${testEngine}`, () => {
  it('is off by default: the form asks nothing and answers sent anyway are not kept', async () => {
    const page = await t.app.inject({ url: applyPath, headers: { accept: 'text/html' } });
    expect(page.body).not.toContain('Voluntary self-identification');
    expect((await apply(1, { selfId_gender: 'woman' })).statusCode).toBe(303);
    expect(await stored()).toBe(0);
  });

  it('is switched on by an admin only, and the switch is audited', async () => {
    const recruiter = await createStaff(t.database.db, { role: 'recruiter' });
    const asRecruiter = await staffClient(t.app, t.database.db, recruiter.id);
    expect((await asRecruiter.get(REPORT)).statusCode).toBe(200);
    expect((await asRecruiter.post(REPORT, { enabled: 'yes' })).statusCode).toBe(403);

    const admin = await createStaff(t.database.db, { role: 'admin' });
    const asAdmin = await staffClient(t.app, t.database.db, admin.id);
    await asAdmin.get(REPORT);
    const res = await asAdmin.post(REPORT, { enabled: 'yes' });
    expect(res.statusCode).toBe(303);
    const [event] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, 'self_identification.enabled'));
    expect(event).toMatchObject({ actorType: 'staff', actorId: admin.id, action: 'setting.updated', before: { value: false }, after: { value: true } });
  });

  it('asks optional questions with "prefer not to say", and refuses an answer that is not offered', async () => {
    const page = await t.app.inject({ url: applyPath, headers: { accept: 'text/html' } });
    expect(page.body).toContain('Voluntary self-identification (optional)');
    expect(page.body).toContain('name="selfId_gender" value="prefer_not_to_say"');
    const refused = await apply(2, { selfId_gender: 'robot' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#selfId_gender"');
    expect(await stored()).toBe(0);
  });

  it('keeps the answers apart: the job and the day, never the person or the application', async () => {
    expect((await apply(3, { selfId_gender: 'woman', selfId_veteran: 'no' })).statusCode).toBe(303);
    const [row] = await t.database.db.select().from(selfIdentifications);
    expect(row!.jobId).toBe(jobId);
    expect(row!.answers).toEqual({ gender: 'woman', veteran: 'no' });
    expect(Object.keys(row!)).toEqual(['id', 'jobId', 'answers', 'createdAt']);
    const midnight = new Date(row!.createdAt);
    expect(midnight.getUTCHours() + midnight.getUTCMinutes() + midnight.getUTCSeconds()).toBe(0);
    // Leaving every question blank stores nothing at all.
    expect((await apply(4)).statusCode).toBe(303);
    expect(await stored()).toBe(1);
  });

  it('reports only groups of at least five', async () => {
    const recruiter = await createStaff(t.database.db, { role: 'recruiter' });
    const client = await staffClient(t.app, t.database.db, recruiter.id);
    let page = await client.get(`${REPORT}?job=${jobId}`);
    expect(page.body).toContain('Fewer than 5 people answered');
    for (let n = 10; n < 16; n++) expect((await apply(n, { selfId_gender: 'woman' })).statusCode).toBe(303);
    for (let n = 20; n < 25; n++) expect((await apply(n, { selfId_gender: 'man' })).statusCode).toBe(303);
    expect((await apply(30, { selfId_gender: 'non_binary' })).statusCode).toBe(303);
    page = await client.get(`${REPORT}?job=${jobId}`);
    // 7 women, 5 men, 1 non-binary: the 1 is hidden, and the 5 with it so that it cannot be worked out.
    expect(page.body).toMatch(/<th scope="row">Woman<\/th><td>7<\/td>/);
    expect(page.body).toMatch(/<th scope="row">Man<\/th><td>Hidden \(small group\)<\/td>/);
    expect(page.body).toMatch(/<th scope="row">Non-binary<\/th><td>Hidden \(small group\)<\/td>/);
  });

  it('is not for interviewers or hiring managers', async () => {
    for (const role of ['interviewer', 'hiring_manager'] as const) {
      const user = await createStaff(t.database.db, { role });
      const client = await staffClient(t.app, t.database.db, user.id);
      expect((await client.get(REPORT)).statusCode).toBe(403);
    }
  });
});
