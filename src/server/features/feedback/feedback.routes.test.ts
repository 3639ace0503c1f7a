import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import { auditEvents, feedback, feedbackRevisions, interviews, jobs, applications } from '../../db/schema/index.ts';
import { addApplication, addLoop, buildLoopWorld, feedbackFields, feedbackTestApp, LOOP_PRINCIPLES, setBank, type LoopWorld } from './feedback.test-support.ts';

let t: TestApp;
let w: LoopWorld;

beforeAll(async () => {
  t = await feedbackTestApp();
  w = await buildLoopWorld(t.database.db, { resumeText: 'Rebuilt the settlement pipeline at Banco Exemplo.' });
  const db = t.database.db;
  await db
    .update(interviews)
    .set({ status: 'scheduled', startsAt: new Date('2031-06-10T07:00:00Z'), durationMinutes: 45, timeZone: 'Europe/Berlin', room: 'Room Ada, 3rd floor', videoUrl: 'https://video.example.com/r/abc' })
    .where(eq(interviews.id, w.interviewIds[0]!));
  await setBank(db, {
    'customer-obsession': [
      { question: 'Tell me about a customer you surprised.', followUps: ['What did they say?', 'What would you change?'], strongEvidence: 'Works backwards from the customer.' },
    ],
    ownership: [],
  });
});
afterAll(() => t.close());

const client = (userId: number) => staffClient(t.app, t.database.db, userId);
const kitUrl = (i: number) => `/staff/interviews/${w.interviewIds[i]}/kit`;
const formUrl = (i: number) => `/staff/interviews/${w.interviewIds[i]}/feedback`;

async function feedbackRow(interviewId: number) {
  const [row] = await t.database.db.select().from(feedback).where(eq(feedback.interviewId, interviewId));
  return row;
}

async function revisionsOf(interviewId: number) {
  const row = await feedbackRow(interviewId);
  if (!row) return [];
  return t.database.db.select().from(feedbackRevisions).where(eq(feedbackRevisions.feedbackId, row.id)).orderBy(feedbackRevisions.revision);
}

describe('the interview kit', () => {
  it('gives the interviewer the candidate, resume text, answers, time and place, and each principle with the bank’s questions', async () => {
    const res = await (await client(w.interviewers[0]!.id)).get(kitUrl(0));
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('Interview kit: Carmen Candidate');
    expect(html).toContain('Principal Payments Engineer');
    expect(html).toContain('Rebuilt the settlement pipeline at Banco Exemplo.');
    expect(html).toContain('Lisbon, Portugal');
    expect(html).toContain('https://portfolio.example.com/me');
    expect(html).toContain('Why this team?');
    expect(html).toContain('I love ledgers.');
    expect(html).toMatch(/Tuesday,? 10 June 2031, 09:00 \(Europe\/Berlin\)<\/time>, 45 minutes/);
    expect(html).toContain('Room Ada, 3rd floor');
    expect(html).toContain('href="https://video.example.com/r/abc"');
    expect(html).toContain('Customer obsession');
    expect(html).toContain('Tell me about a customer you surprised.');
    expect(html).toContain('What would you change?');
    expect(html).toContain('Works backwards from the customer.');
  });

  it('says so when the bank has no questions for an assigned principle', async () => {
    const html = (await (await client(w.interviewers[0]!.id)).get(kitUrl(0))).body;
    const ownership = html.slice(html.indexOf('id="kit-p-ownership"'));
    expect(ownership).toContain('No questions in the bank for this principle yet');
  });

  it('lists the other interviewers with the principles they cover, never their feedback', async () => {
    const other = await client(w.interviewers[1]!.id);
    await other.get(formUrl(1));
    const sent = await other.post(formUrl(1), { ...feedbackFields(LOOP_PRINCIPLES[1]!, 'kitsecretmarker'), intent: 'submit' });
    expect(sent.statusCode).toBe(303);
    const html = (await (await client(w.interviewers[0]!.id)).get(kitUrl(0))).body;
    const loop = html.slice(html.indexOf('id="kit-loop"'));
    expect(loop).toContain('Isa Two');
    expect(loop).toContain('<ul class="name-list"><li>Dive deep</li><li>Bias for action</li></ul>');
    expect(loop).toContain('Bea Raiser');
    expect(loop).toContain('Bar raiser');
    expect(html).not.toContain('kitsecretmarker');
    expect(html).not.toMatch(/Inclined|Strongly/);
  });

  it('gives the bar raiser, who is not on the hiring team, the resume text in the kit', async () => {
    const res = await (await client(w.barRaiser.id)).get(kitUrl(4));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Rebuilt the settlement pipeline at Banco Exemplo.');
  });

  it('links the feedback form for the interview’s own interviewer only', async () => {
    const own = (await (await client(w.interviewers[0]!.id)).get(kitUrl(0))).body;
    expect(own).toContain(`href="${formUrl(0)}"`);
    for (const user of [w.manager, w.recruiter, w.admin]) {
      const res = await (await client(user.id)).get(kitUrl(0));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Carmen Candidate');
      expect(res.body).not.toContain(`href="${formUrl(0)}"`);
    }
  });

  it('refuses the kit to another interviewer of the loop', async () => {
    expect((await (await client(w.interviewers[2]!.id)).get(kitUrl(0))).statusCode).toBe(403);
  });

  it('prints without the workspace navigation, with the same content and a way back', async () => {
    const res = await (await client(w.interviewers[0]!.id)).get(`${kitUrl(0)}/print`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('aria-label="Workspace"');
    expect(res.body).not.toContain('Sign out');
    expect(res.body).toContain('<h1>Interview kit: Carmen Candidate</h1>');
    expect(res.body).toContain('Tell me about a customer you surprised.');
    expect(res.body).toContain('Rebuilt the settlement pipeline at Banco Exemplo.');
    expect(res.body).toContain(`href="${kitUrl(0)}"`);
  });

  it('hides who the candidate is while anonymized screening applies, in the resume text too', async () => {
    const db = t.database.db;
    const jobId = await (async () => {
      const [job] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, w.jobId));
      return job!.id;
    })();
    const applicationId = await addApplication(db, { jobId, name: 'Zora Hidden', resumeText: 'Zora Hidden\nBuilt a ledger.' });
    await db.update(jobs).set({ anonymizedScreening: true }).where(eq(jobs.id, jobId));
    await db.update(applications).set({ stage: 'screen' }).where(eq(applications.id, applicationId));
    const { interviewIds } = await addLoop(db, { applicationId, hiringManagerId: w.manager.id, interviews: [{ interviewerId: w.interviewers[3]!.id, role: 'interviewer', principles: ['ownership', 'dive-deep'] }] });
    const html = (await (await client(w.interviewers[3]!.id)).get(`/staff/interviews/${interviewIds[0]}/kit`)).body;
    await db.update(jobs).set({ anonymizedScreening: false }).where(eq(jobs.id, jobId));
    expect(html).toContain(`Candidate #${applicationId}`);
    expect(html).toContain('Built a ledger.');
    expect(html).not.toContain('Zora');
    expect(html).not.toContain('portfolio.example.com');
  });

  it('answers 404 for an interview that does not exist', async () => {
    expect((await (await client(w.admin.id)).get('/staff/interviews/999999/kit')).statusCode).toBe(404);
  });
});

describe('the feedback form', () => {
  it('shows four labelled parts and a signal per assigned principle, the vote, and both buttons', async () => {
    const html = (await (await client(w.interviewers[2]!.id)).get(formUrl(2))).body;
    for (const p of LOOP_PRINCIPLES[2]!) {
      for (const part of ['situation', 'task', 'action', 'result']) {
        expect(html).toContain(`<label for="fb-${p}-${part}">`);
        expect(html).toContain(`name="e.${p}.${part}"`);
      }
      for (const s of ['strong', 'good', 'mixed', 'concerning', 'not_assessed']) expect(html).toContain(`id="fb-${p}-signal-${s}"`);
    }
    expect(html).toContain('<legend>1. Deliver results</legend>');
    for (const label of ['Strongly inclined', 'Inclined', 'Not inclined', 'Strongly not inclined']) expect(html).toContain(label);
    expect(html).toContain('>Save draft</button>');
    expect(html).toContain('>Submit feedback</button>');
    expect(html).toMatch(/<script type="module" src="\/assets\/feedback\.[\w-]+\.js">/);
    expect(html).toContain(`data-draft-url="${formUrl(2)}/draft"`);
  });

  it('saves a draft from the form as typed, without submitting it', async () => {
    const c = await client(w.interviewers[2]!.id);
    await c.get(formUrl(2));
    const res = await c.post(formUrl(2), { 'e.deliver-results.task': 'Half-written thought', 'e.earn-trust.signal': 'mixed', intent: 'draft' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${formUrl(2)}?notice=draft`);
    const page = await c.get(res.headers.location as string);
    expect(page.body).toContain('Half-written thought');
    expect(page.body).toMatch(/id="fb-earn-trust-signal-mixed"[^>]*checked/);
    expect(page.body).toMatch(/Draft saved at \d\d:\d\d UTC/);
    const row = await feedbackRow(w.interviewIds[2]!);
    expect(row).toMatchObject({ status: 'draft', revision: 0, submittedAt: null });
    expect(await revisionsOf(w.interviewIds[2]!)).toEqual([]);
  });

  it('saves a draft by JSON for the enhancement script, answering when it was saved', async () => {
    const c = await client(w.interviewers[2]!.id);
    await c.get(formUrl(2));
    const form = new URLSearchParams({ _csrf: c.csrf, 'e.deliver-results.action': 'Typed a bit more', vote: 'not_inclined' });
    const res = await t.app.inject({
      method: 'POST',
      url: `${formUrl(2)}/draft`,
      payload: form.toString(),
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { ok: boolean; savedAt: string };
    expect(body.ok).toBe(true);
    expect(Date.parse(body.savedAt)).not.toBeNaN();
    const row = await feedbackRow(w.interviewIds[2]!);
    expect(row!.vote).toBe('not_inclined');
    expect(JSON.stringify(row!.evidence)).toContain('Typed a bit more');
    expect(row!.status).toBe('draft');
  });

  it('refuses a JSON draft without the CSRF token', async () => {
    const c = await client(w.interviewers[2]!.id);
    const res = await t.app.inject({
      method: 'POST',
      url: `${formUrl(2)}/draft`,
      payload: 'vote=inclined',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses an incomplete submit with a summary linking to each field, keeping everything typed', async () => {
    const c = await client(w.interviewers[3]!.id);
    await c.get(formUrl(3));
    const res = await c.post(formUrl(3), { 'e.frugality.result': 'Cut the cloud bill <by half> & more', 'e.frugality.signal': 'strong', intent: 'submit' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: Feedback');
    expect(res.body).toContain('href="#fb-think-big-situation"');
    expect(res.body).toContain('Think big: write the evidence in at least one of situation, task, action or result');
    expect(res.body).toContain('href="#fb-think-big-signal-strong"');
    expect(res.body).toContain('href="#fb-vote-strongly_inclined"');
    expect(res.body).not.toContain('href="#fb-frugality-situation"');
    expect(res.body).toContain('Cut the cloud bill &lt;by half&gt; &amp; more');
    expect(res.body).toMatch(/id="fb-frugality-signal-strong"[^>]*checked/);
    const row = await feedbackRow(w.interviewIds[3]!);
    expect(row).toMatchObject({ status: 'draft', revision: 0 });
    expect(JSON.stringify(row!.evidence)).toContain('Cut the cloud bill');
    expect(await revisionsOf(w.interviewIds[3]!)).toEqual([]);
  });

  it('submits complete feedback as revision 1, recording the revision number but not the content in the audit log', async () => {
    const c = await client(w.interviewers[3]!.id);
    await c.get(formUrl(3));
    const res = await c.post(formUrl(3), { ...feedbackFields(LOOP_PRINCIPLES[3]!, 'firstrevisionmarker', 'strongly_inclined'), intent: 'submit' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${formUrl(3)}?notice=submitted`);
    const row = await feedbackRow(w.interviewIds[3]!);
    expect(row).toMatchObject({ status: 'submitted', revision: 1, vote: 'strongly_inclined' });
    expect(row!.submittedAt).toBeInstanceOf(Date);
    const revisions = await revisionsOf(w.interviewIds[3]!);
    expect(revisions.map((r) => [r.revision, r.vote])).toEqual([[1, 'strongly_inclined']]);
    expect(JSON.stringify(revisions[0]!.evidence)).toContain('firstrevisionmarker');
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'feedback.submitted'), eq(auditEvents.subjectId, String(w.interviewIds[3]))));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: 'staff', actorId: w.interviewers[3]!.id, subjectType: 'interview' });
    expect(events[0]!.after).toMatchObject({ revision: 1 });
    expect(JSON.stringify(events)).not.toContain('firstrevisionmarker');
    expect(JSON.stringify(events)).not.toContain('strongly_inclined');
    const page = await c.get(res.headers.location as string);
    expect(page.body).toContain('Submitted: revision 1.');
  });

  it('keeps the submitted revision intact while a later draft is saved, then adds revision 2 and shows the history', async () => {
    const c = await client(w.interviewers[3]!.id);
    await c.get(formUrl(3));
    await c.post(formUrl(3), { ...feedbackFields(LOOP_PRINCIPLES[3]!, 'secondrevisionmarker', 'inclined'), intent: 'draft' });
    let revisions = await revisionsOf(w.interviewIds[3]!);
    expect(revisions).toHaveLength(1);
    expect(JSON.stringify(revisions[0]!.evidence)).toContain('firstrevisionmarker');
    expect(revisions[0]!.vote).toBe('strongly_inclined');
    expect(await feedbackRow(w.interviewIds[3]!)).toMatchObject({ status: 'submitted', revision: 1 });
    const between = await c.get(formUrl(3));
    expect(between.body).toContain('You have changes that are not submitted');

    const res = await c.post(formUrl(3), { ...feedbackFields(LOOP_PRINCIPLES[3]!, 'secondrevisionmarker', 'inclined'), intent: 'submit' });
    expect(res.statusCode).toBe(303);
    revisions = await revisionsOf(w.interviewIds[3]!);
    expect(revisions.map((r) => [r.revision, r.vote])).toEqual([
      [1, 'strongly_inclined'],
      [2, 'inclined'],
    ]);
    expect(JSON.stringify(revisions[0]!.evidence)).toContain('firstrevisionmarker');
    expect(JSON.stringify(revisions[1]!.evidence)).toContain('secondrevisionmarker');
    const page = (await c.get(formUrl(3))).body;
    const history = page.slice(page.indexOf('id="feedback-history-title"'));
    expect(history).toContain('Revision 2, submitted');
    expect(history).toContain('Revision 1, submitted');
    expect(history).toContain('firstrevisionmarker');
    expect(history).toContain('secondrevisionmarker');
  });

  it('makes no new revision when the feedback is submitted again unchanged', async () => {
    const c = await client(w.interviewers[3]!.id);
    await c.get(formUrl(3));
    const res = await c.post(formUrl(3), { ...feedbackFields(LOOP_PRINCIPLES[3]!, 'secondrevisionmarker', 'inclined'), intent: 'submit' });
    expect(res.headers.location).toBe(`${formUrl(3)}?notice=unchanged`);
    expect(await revisionsOf(w.interviewIds[3]!)).toHaveLength(2);
  });

  it('opens and accepts the form for the interview’s own interviewer only: another interviewer, the hiring manager and an admin get 403', async () => {
    for (const user of [w.interviewers[0]!, w.manager, w.admin]) {
      const c = await client(user.id);
      expect((await c.get(formUrl(2))).statusCode).toBe(403);
      await c.get(kitUrl(user.id === w.interviewers[0]!.id ? 0 : 2)); // a page of theirs, for a valid CSRF token
      expect(c.csrf).not.toBe('');
      const post = await c.post(formUrl(2), { ...feedbackFields(LOOP_PRINCIPLES[2]!, 'intrudermarker'), intent: 'submit' });
      expect(post.statusCode).toBe(403);
      const draft = await c.post(`${formUrl(2)}/draft`, { vote: 'inclined' }, { accept: 'application/json' });
      expect(draft.statusCode).toBe(403);
    }
    expect(JSON.stringify((await feedbackRow(w.interviewIds[2]!))?.evidence ?? [])).not.toContain('intrudermarker');
  });

  it('refuses feedback on a cancelled interview', async () => {
    const db = t.database.db;
    const interviewer = await createStaff(db, { role: 'interviewer', name: 'Cal Cancelled' });
    await addToJobTeam(db, w.jobId, interviewer.id, 'interviewer');
    const applicationId = await addApplication(db, { jobId: w.jobId, name: 'Another Candidate' });
    const { interviewIds } = await addLoop(db, { applicationId, hiringManagerId: w.manager.id, interviews: [{ interviewerId: interviewer.id, role: 'interviewer', principles: ['ownership', 'dive-deep'] }] });
    await db.update(interviews).set({ status: 'cancelled' }).where(eq(interviews.id, interviewIds[0]!));
    const c = await client(interviewer.id);
    const page = await c.get(`/staff/interviews/${interviewIds[0]}/feedback`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This interview was cancelled.');
    expect(page.body).not.toContain('>Submit feedback</button>');
    const res = await c.post(`/staff/interviews/${interviewIds[0]}/feedback`, { ...feedbackFields(['ownership', 'dive-deep'], 'cancelledmarker'), intent: 'submit' });
    expect(res.statusCode).toBe(409);
  });

  it('sends a signed-out reader to sign in, and refuses a signed-out post', async () => {
    const get = await t.app.inject({ method: 'GET', url: formUrl(0), headers: { accept: 'text/html' } });
    expect(get.statusCode).toBe(303);
    expect(get.headers.location).toContain('/staff/sign-in?next=');
    const post = await t.app.inject({ method: 'POST', url: `${formUrl(0)}/draft`, payload: 'vote=inclined', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
    expect(post.statusCode).toBe(401);
  });
});

