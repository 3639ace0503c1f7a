import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, jobEvents, jobQuestions, jobs, jobTeam, staffNotifications } from '../../db/schema/index.ts';
import { applicationAnswers, applications } from '../../db/schema/applications.ts';
import { people } from '../../db/schema/people.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import type { FormClient } from '../../../../test/support/account-client.ts';
import type { Db } from '../../db/client.ts';
import { createdId, jobForm, postFields, readForm, type Fields } from './staff-jobs.testing.ts';

describe(`jobs in the staff workspace on ${testEngine}`, () => {
  let t: TestApp;
  let db: Db;
  const mail = new RecordingMail();
  let recruiter: { id: number; email: string; name: string };
  let manager: { id: number; email: string; name: string };
  let interviewer: { id: number; email: string; name: string };
  let outsider: { id: number; email: string; name: string };
  let admin: { id: number; email: string; name: string };
  let asRecruiter: FormClient;
  let asManager: FormClient;
  let asInterviewer: FormClient;
  let asOutsider: FormClient;
  let asAdmin: FormClient;
  let jobId: number;

  beforeAll(async () => {
    t = await testApp({ deps: { mail } });
    db = t.database.db;
    recruiter = await createStaff(db, { role: 'recruiter', name: 'Rita Recruiter' });
    manager = await createStaff(db, { role: 'hiring_manager', name: 'Hal Manager' });
    interviewer = await createStaff(db, { role: 'interviewer', name: 'Ivy Interviewer' });
    outsider = await createStaff(db, { role: 'recruiter', name: 'Otto Outsider' });
    admin = await createStaff(db, { role: 'admin', name: 'Ada Admin' });
    asRecruiter = await staffClient(t.app, db, recruiter.id);
    asManager = await staffClient(t.app, db, manager.id);
    asInterviewer = await staffClient(t.app, db, interviewer.id);
    asOutsider = await staffClient(t.app, db, outsider.id);
    asAdmin = await staffClient(t.app, db, admin.id);
  });
  afterAll(() => t.close());

  const publicPage = (id: number) => t.app.inject({ url: `/jobs/${id}`, headers: { accept: 'text/html' } });
  const statusOf = async (id: number) => (await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id)))[0]!.status;

  async function transition(client: FormClient, id: number, action: string, comment = '') {
    await client.get(`/staff/jobs/${id}`);
    return client.post(`/staff/jobs/${id}/transition`, { action, comment });
  }

  async function create(client: FormClient, overrides: Partial<Fields> = {}) {
    await client.get('/staff/jobs/new');
    return postFields(t.app, client, '/staff/jobs', jobForm({ hiringManager: String(manager.id), ...overrides } as Fields & { hiringManager: string }));
  }

  it('offers the form with the pack’s principles and the staff who may manage the job', async () => {
    const res = await asRecruiter.get('/staff/jobs/new');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="principles" value="customer-obsession"');
    expect(res.body).toContain(`<option value="${manager.id}">Hal Manager (Hiring manager)</option>`);
    // A recruiter may not be hiring manager, an interviewer may not be recruiter.
    expect(res.body).not.toContain('Rita Recruiter (Recruiter)</option>');
    expect(res.body).not.toContain(`id="recruiters-${interviewer.id}"`);
    expect(res.body).toContain(`id="interviewers-${interviewer.id}"`);
    expect((await asInterviewer.get('/staff/jobs/new', { accept: 'application/json' })).statusCode).toBe(403);
  });

  it('creates a draft in one step: the job, its team with the creator, its history and an audit event', async () => {
    const res = await create(asRecruiter, { interviewers: [String(interviewer.id)] });
    jobId = createdId(res);
    expect(await statusOf(jobId)).toBe('draft');
    const team = await db.select({ userId: jobTeam.userId, role: jobTeam.role }).from(jobTeam).where(eq(jobTeam.jobId, jobId));
    expect(team.sort((a, b) => a.userId - b.userId)).toEqual(
      [
        { userId: recruiter.id, role: 'recruiter' },
        { userId: manager.id, role: 'hiring_manager' },
        { userId: interviewer.id, role: 'interviewer' },
      ].sort((a, b) => a.userId - b.userId),
    );
    const [row] = await db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(row).toMatchObject({ title: 'Principal Ledger Engineer', level: 6, headcount: 2, payMin: 150000, payMax: 210000, postedAt: null });
    expect(await db.select({ action: jobEvents.action }).from(jobEvents).where(eq(jobEvents.jobId, jobId))).toEqual([{ action: 'created' }]);
    const audit = await db.select().from(auditEvents).where(and(eq(auditEvents.action, 'job.created'), eq(auditEvents.subjectId, String(jobId))));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ title: 'Principal Ledger Engineer', principles: ['customer-obsession', 'ownership', 'dive-deep'] });
    const page = await asRecruiter.get(`/staff/jobs/${jobId}?notice=created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>ledger</strong>');
    expect(page.body).toContain('Which ledger systems have you run?');
    expect(page.body).toContain(`href="/staff/jobs/${jobId}/board"`);
    expect((await publicPage(jobId)).statusCode).toBe(404);
  });

  it('keeps everything typed when the form is refused, and names each problem', async () => {
    const before = (await db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]!.n;
    const res = await create(asRecruiter, {
      title: 'X',
      category: 'Ledger Things',
      payMin: 'lots',
      principles: ['ownership', 'dive-deep'],
      'loc1-country': 'USA',
      'q2-label': 'Pick one',
      'q2-kind': 'single_choice',
      'q2-options': 'Only one',
      description: 'Typed with care & kept',
    });
    expect(res.statusCode).toBe(400);
    for (const field of ['title', 'loc1-country', 'payMin', 'principles', 'q2-options']) expect(res.body).toContain(`href="#${field}"`);
    expect(res.body).toContain('Choose at least 3 principles');
    expect(res.body).toContain('value="Ledger Things"');
    expect(res.body).toContain('Typed with care &amp; kept</textarea>');
    expect(res.body).toContain('value="lots"');
    expect(readForm(res.body, '/staff/jobs').principles).toEqual(['ownership', 'dive-deep']);
    expect(res.body).toContain('<title>Error: New job');
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]!.n).toBe(before);
  });

  it('shows a sanitized preview of the description without saving anything', async () => {
    const before = (await db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]!.n;
    const res = await create(asRecruiter, { description: '**Bold** move <script>alert(1)</script>', intent: 'preview' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<strong>Bold</strong> move');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('**Bold** move &lt;script&gt;');
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]!.n).toBe(before);
  });

  it('lets only the hiring team see and change the job, each as their place allows', async () => {
    for (const url of [`/staff/jobs/${jobId}`, `/staff/jobs/${jobId}/edit`]) expect((await asOutsider.get(url)).statusCode).toBe(403);
    await asOutsider.get('/staff/jobs');
    expect((await asOutsider.post(`/staff/jobs/${jobId}/transition`, { action: 'submit' })).statusCode).toBe(403);
    expect((await postFields(t.app, asOutsider, `/staff/jobs/${jobId}`, jobForm({ hiringManager: String(manager.id) }))).statusCode).toBe(403);

    const seen = await asInterviewer.get(`/staff/jobs/${jobId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('name="action"');
    expect(seen.body).not.toContain(`/staff/jobs/${jobId}/edit`);
    expect((await asInterviewer.get(`/staff/jobs/${jobId}/edit`)).statusCode).toBe(403);
    expect((await asInterviewer.post(`/staff/jobs/${jobId}/transition`, { action: 'submit' })).statusCode).toBe(403);
    expect((await asInterviewer.post(`/staff/jobs/${jobId}/transition`, { action: 'cancel', comment: 'no' })).statusCode).toBe(403);
    expect(await statusOf(jobId)).toBe('draft');
  });

  it('lists the jobs a user may see, with filters', async () => {
    const mine = await asRecruiter.get('/staff/jobs');
    expect(mine.body).toContain(`href="/staff/jobs/${jobId}"`);
    expect(mine.body).toContain('href="/staff/jobs/new"');
    const theirs = await asOutsider.get('/staff/jobs');
    expect(theirs.body).not.toContain(`href="/staff/jobs/${jobId}"`);
    expect(theirs.body).toContain('You are on no hiring team yet.');
    expect((await asInterviewer.get('/staff/jobs')).body).not.toContain('href="/staff/jobs/new"');
    expect((await asAdmin.get('/staff/jobs?q=ledger&status=draft')).body).toContain(`href="/staff/jobs/${jobId}"`);
    expect((await asAdmin.get('/staff/jobs?q=ledger&status=open')).body).not.toContain(`href="/staff/jobs/${jobId}"`);
    expect((await asAdmin.get('/staff/jobs?q=nothing-like-it')).body).toContain('No job matches these filters.');
    expect((await asAdmin.get('/staff/jobs?status=bogus', { accept: 'application/json' })).statusCode).toBe(400);
  });

  it('pages through hundreds of jobs that have no team', async () => {
    await createJobs({ db, inputs: Array.from({ length: 120 }, (_, i) => buildJob({ title: `Demo Paging Role ${i}`, status: i % 2 ? 'open' : 'draft' })) });
    const first = await asAdmin.get('/staff/jobs?q=paging');
    expect(first.body).toContain('120 jobs match · page 1 of 3');
    expect(first.body.match(/<tr>/g)!.length - 1).toBe(50);
    expect(first.body).toContain('href="/staff/jobs?q=paging&amp;page=2"');
    const last = await asAdmin.get('/staff/jobs?q=paging&page=3');
    expect(last.body.match(/<tr>/g)!.length - 1).toBe(20);
    expect((await asAdmin.get('/staff/jobs?q=paging&page=4', { accept: 'application/json' })).statusCode).toBe(404);
    expect((await asRecruiter.get('/staff/jobs?q=paging')).body).toContain('No job matches these filters.');
  });

  it('runs the whole life of a job: submit, send back, approve, publish, hold, reopen, close', async () => {
    // A recruiter cannot approve, even their own job.
    expect((await transition(asRecruiter, jobId, 'approve')).statusCode).toBe(403);

    expect((await transition(asRecruiter, jobId, 'submit')).headers.location).toBe(`/staff/jobs/${jobId}?notice=submit`);
    expect(await statusOf(jobId)).toBe('pending_approval');
    const [note] = await db.select().from(staffNotifications).where(eq(staffNotifications.userId, manager.id));
    expect(note).toMatchObject({ kind: 'approval_waiting', href: `/staff/jobs/${jobId}` });
    expect(mail.last(manager.email, 'job_approval_waiting').text).toContain(`https://careers.example.test/staff/jobs/${jobId}`);
    expect(mail.to(recruiter.email)).toHaveLength(0);

    // Waiting for approval: frozen.
    expect((await asRecruiter.get(`/staff/jobs/${jobId}/edit`)).statusCode).toBe(409);
    expect((await postFields(t.app, asRecruiter, `/staff/jobs/${jobId}`, jobForm({ hiringManager: String(manager.id) }))).statusCode).toBe(409);

    const noComment = await transition(asManager, jobId, 'send_back', '   ');
    expect(noComment.statusCode).toBe(400);
    expect(noComment.body).toContain('href="#comment-send_back"');
    expect(noComment.body).toMatch(/id="comment-send_back-error"/);
    expect(await statusOf(jobId)).toBe('pending_approval');

    expect((await transition(asManager, jobId, 'send_back', 'Say more about on-call')).statusCode).toBe(303);
    expect(await statusOf(jobId)).toBe('draft');
    const [back] = await db.select().from(staffNotifications).where(and(eq(staffNotifications.userId, recruiter.id), eq(staffNotifications.kind, 'job_sent_back')));
    expect(back!.text).toContain('Say more about on-call');

    // The recruiter edits the draft and submits again; the manager approves.
    const edit = await asRecruiter.get(`/staff/jobs/${jobId}/edit`);
    const fields = readForm(edit.body, `/staff/jobs/${jobId}`);
    expect(fields).toMatchObject({ title: 'Principal Ledger Engineer', hiringManager: String(manager.id), 'q1-label': 'Which ledger systems have you run?' });
    const saved = await postFields(t.app, asRecruiter, `/staff/jobs/${jobId}`, { ...fields, basicQualifications: `${fields.basicQualifications}\nOn-call leadership`, intent: 'save' });
    expect(saved.headers.location).toBe(`/staff/jobs/${jobId}?notice=saved`);
    expect((await transition(asRecruiter, jobId, 'submit')).statusCode).toBe(303);
    expect((await transition(asManager, jobId, 'approve')).statusCode).toBe(303);
    const [open] = await db.select({ status: jobs.status, postedAt: jobs.postedAt }).from(jobs).where(eq(jobs.id, jobId));
    expect(open!.status).toBe('open');
    expect(open!.postedAt).toBeInstanceOf(Date);

    const search = await t.app.inject({ url: '/jobs?q=ledger', headers: { accept: 'text/html' } });
    expect(search.body).toContain(`/jobs/${jobId}/principal-ledger-engineer`);
    expect((await t.app.inject({ url: `/jobs/${jobId}/principal-ledger-engineer`, headers: { accept: 'text/html' } })).statusCode).toBe(200);

    expect((await transition(asRecruiter, jobId, 'hold')).statusCode).toBe(303);
    expect((await t.app.inject({ url: `/jobs/${jobId}/principal-ledger-engineer`, headers: { accept: 'text/html' } })).statusCode).toBe(410);
    expect((await transition(asRecruiter, jobId, 'resume')).statusCode).toBe(303);
    expect((await t.app.inject({ url: `/jobs/${jobId}/principal-ledger-engineer`, headers: { accept: 'text/html' } })).statusCode).toBe(200);
    // Approving again does not move the date it was posted.
    expect((await db.select({ postedAt: jobs.postedAt }).from(jobs).where(eq(jobs.id, jobId)))[0]!.postedAt).toEqual(open!.postedAt);

    const refused = await transition(asRecruiter, jobId, 'resume');
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('cannot be changed by “Reopen”');

    expect((await transition(asRecruiter, jobId, 'close_filled')).statusCode).toBe(303);
    expect(await statusOf(jobId)).toBe('closed_filled');
    expect((await t.app.inject({ url: '/jobs?q=ledger', headers: { accept: 'text/html' } })).body).not.toContain(`/jobs/${jobId}/`);
  });

  it('refuses with 409 every action the status does not allow', async () => {
    for (const action of ['submit', 'approve', 'send_back', 'hold', 'resume', 'close_filled']) {
      const res = await transition(asManager, jobId, action, 'a reason');
      expect(res.statusCode, action).toBe(409);
    }
    expect((await transition(asManager, jobId, 'cancel', 'a reason')).statusCode).toBe(409);
    expect((await asManager.get(`/staff/jobs/${jobId}/edit`)).statusCode).toBe(409);
    expect((await transition(asManager, jobId, 'explode')).statusCode).toBe(400);

    const { ids } = await createJobs({ db, inputs: [buildJob({ status: 'draft', postedAt: null })] });
    const draft = ids[0]!;
    await db.insert(jobTeam).values({ jobId: draft, userId: manager.id, role: 'hiring_manager' });
    for (const action of ['approve', 'send_back', 'hold', 'resume', 'close_filled']) expect((await transition(asManager, draft, action, 'why')).statusCode, action).toBe(409);
    const noReason = await transition(asManager, draft, 'cancel');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#comment-cancel"');
    expect((await transition(asManager, draft, 'cancel', 'Budget moved')).statusCode).toBe(303);
    expect(await statusOf(draft)).toBe('closed_cancelled');
    expect((await publicPage(draft)).statusCode).toBe(404);
  });

  it('lists every step of the history with who, what and why', async () => {
    const page = await asRecruiter.get(`/staff/jobs/${jobId}`);
    const steps = [...page.body.matchAll(/<th scope="row">(Created|Edited|Submitted for approval|Sent back|Approved and published|Put on hold|Reopened|Closed as filled)<\/th>/g)].map((m) => m[1]);
    expect(steps).toEqual(['Created', 'Submitted for approval', 'Sent back', 'Edited', 'Submitted for approval', 'Approved and published', 'Put on hold', 'Reopened', 'Closed as filled']);
    expect(page.body).toContain('Pending approval → Draft');
    expect(page.body).toContain('Say more about on-call');
    expect(page.body).toContain('Hal Manager');
    const audits = await db.select({ action: auditEvents.action, before: auditEvents.before, after: auditEvents.after }).from(auditEvents).where(eq(auditEvents.subjectId, String(jobId)));
    expect(audits.map((a) => a.action)).toEqual([
      'job.created', 'job.submitted', 'job.sent_back', 'job.edited', 'job.submitted', 'job.approved', 'job.held', 'job.resumed', 'job.closed_filled',
    ]);
    expect(audits.find((a) => a.action === 'job.edited')).toMatchObject({
      before: { basicQualifications: ['5+ years building services', 'On-call experience'] },
      after: { basicQualifications: ['5+ years building services', 'On-call experience', 'On-call leadership'] },
    });
    expect(Object.keys(audits.find((a) => a.action === 'job.edited')!.after as object)).toEqual(['basicQualifications']);
    expect(audits.find((a) => a.action === 'job.approved')).toMatchObject({ before: { status: 'pending_approval' }, after: { status: 'open' } });
  });

  it('keeps questions that have answers: their ids stay and they cannot be removed', async () => {
    const id = createdId(await create(asRecruiter, { title: 'Answered Questions Role', 'q2-label': 'Can you start soon?', 'q2-kind': 'yes_no' }));
    const questions = await db.select().from(jobQuestions).where(eq(jobQuestions.jobId, id)).orderBy(jobQuestions.position);
    const [person] = await db.insert(people).values({ email: 'answered@example.test' }).returning({ id: people.id });
    const [application] = await db
      .insert(applications)
      .values({ personId: person!.id, jobId: id, idempotencyKey: 'answered-1', consentProcessing: true })
      .returning({ id: applications.id });
    await db.insert(applicationAnswers).values({ applicationId: application!.id, questionId: questions[0]!.id, value: 'Several' });

    const edit = await asRecruiter.get(`/staff/jobs/${id}/edit`);
    expect(edit.body).not.toContain('id="q1-remove"');
    expect(edit.body).toContain('id="q2-remove"');
    const fields = readForm(edit.body, `/staff/jobs/${id}`);
    const kind = await postFields(t.app, asRecruiter, `/staff/jobs/${id}`, { ...fields, 'q1-kind': 'long_text', intent: 'save' });
    expect(kind.statusCode).toBe(400);
    expect(kind.body).toContain('href="#q1-kind"');
    // A stale or forged removal of the answered question is refused too.
    const removal = await postFields(t.app, asRecruiter, `/staff/jobs/${id}`, { ...fields, 'q1-remove': 'yes', intent: 'save' });
    expect(removal.statusCode).toBe(400);
    expect(removal.body).toContain('already has 1 answer(s) and cannot be removed');

    const ok = await postFields(t.app, asRecruiter, `/staff/jobs/${id}`, {
      ...fields,
      'q1-label': 'Which ledger systems have you run, and at what scale?',
      'q2-remove': 'yes',
      'q3-label': 'Preferred start month',
      'q3-kind': 'single_choice',
      'q3-options': 'January\r\nFebruary',
      intent: 'save',
    });
    expect(ok.statusCode).toBe(303);
    const after = await db.select().from(jobQuestions).where(eq(jobQuestions.jobId, id)).orderBy(jobQuestions.position);
    expect(after.map((q) => [q.id === questions[0]!.id, q.label, q.options])).toEqual([
      [true, 'Which ledger systems have you run, and at what scale?', []],
      [false, 'Preferred start month', ['January', 'February']],
    ]);
  });

  it('keeps every location of an imported job that has more than the form’s three rows', async () => {
    const places = ['Austin', 'Boston', 'Denver', 'Miami'].map((city) => ({ city, region: null, country: 'US', latitude: null, longitude: null }));
    const id = (await createJobs({ db, inputs: [buildJob({ title: 'Four Cities Role', locations: places, status: 'draft', postedAt: null })] })).ids[0]!;
    const fields = readForm((await asAdmin.get(`/staff/jobs/${id}/edit`)).body, `/staff/jobs/${id}`);
    expect(fields.locationRows).toBe('4');
    const res = await postFields(t.app, asAdmin, `/staff/jobs/${id}`, { ...fields, hiringManager: String(manager.id), headcount: '3', intent: 'save' });
    expect(res.headers.location).toBe(`/staff/jobs/${id}?notice=saved`);
    const [row] = await db.select({ locations: jobs.locations, headcount: jobs.headcount }).from(jobs).where(eq(jobs.id, id));
    expect(row!.locations.map((l) => l.city)).toEqual(['Austin', 'Boston', 'Denver', 'Miami']);
    expect(row!.headcount).toBe(3);
  });

  it('adds more question rows without JavaScript, keeping what was typed', async () => {
    const res = await create(asRecruiter, { title: 'Many Questions Role', intent: 'more_questions' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="questionRows" value="5"');
    expect(res.body).toContain('id="q5-label"');
    expect(res.body).toContain('value="Many Questions Role"');
  });

  it('refuses a team where one person holds two places, or an editor who leaves it', async () => {
    const twice = await create(asRecruiter, { interviewers: [String(manager.id)] });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('Hal Manager is already on the team as hiring manager');

    const id = createdId(await create(asRecruiter, { title: 'Team Rules Role' }));
    const fields = readForm((await asRecruiter.get(`/staff/jobs/${id}/edit`)).body, `/staff/jobs/${id}`);
    const leaving = await postFields(t.app, asRecruiter, `/staff/jobs/${id}`, { ...fields, recruiters: [], intent: 'save' });
    expect(leaving.statusCode).toBe(400);
    expect(leaving.body).toContain('Keep yourself on the hiring team');
  });

  it('lets a hiring manager create a job they manage, and an admin one they are not on', async () => {
    await asManager.get('/staff/jobs/new');
    const mine = createdId(await postFields(t.app, asManager, '/staff/jobs', jobForm({ hiringManager: String(manager.id), title: 'Managed Role' })));
    expect(await db.select({ userId: jobTeam.userId, role: jobTeam.role }).from(jobTeam).where(eq(jobTeam.jobId, mine))).toEqual([
      { userId: manager.id, role: 'hiring_manager' },
    ]);
    await asAdmin.get('/staff/jobs/new');
    const theirs = createdId(await postFields(t.app, asAdmin, '/staff/jobs', jobForm({ hiringManager: String(manager.id), title: 'Admin Made Role' })));
    expect(await db.select({ userId: jobTeam.userId }).from(jobTeam).where(eq(jobTeam.jobId, theirs))).toEqual([{ userId: manager.id }]);
  });
});
