import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { checkMove, stagesOf } from '../../../domain/pipeline.ts';
import { applicationEvents, applications, auditEvents, debriefs, debriefVotes, interviews, loops, mailMessages, staffNotifications } from '../../db/schema/index.ts';
import { addJob, feedbackFields } from '../feedback/feedback.test-support.ts';
import { debriefApp, debriefWorld, marker, postDebrief, PRINCIPLE_SETS, submitFeedback, type DebriefWorld } from './debrief.test-support.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import type { RecordingMail } from '../../../../test/support/recording-mail.ts';

let t: TestApp & { mail: RecordingMail };

beforeAll(async () => {
  // The pipeline's move and reject routes, for the veto: passed in until buildApp wires them.
  t = await debriefApp();
});
afterAll(() => t?.close());

const db = () => t.database.db;
const page = (w: DebriefWorld) => `/staff/applications/${w.applicationId}/debrief`;
const client = (w: DebriefWorld, who: { id: number }) => w.clients.get(who.id)!;

async function debriefRow(w: DebriefWorld) {
  const [row] = await db().select().from(debriefs).where(eq(debriefs.loopId, w.loopId));
  return row;
}
async function loopStatus(w: DebriefWorld) {
  const [row] = await db().select({ status: loops.status }).from(loops).where(eq(loops.id, w.loopId));
  return row!.status;
}
async function applicationRow(id: number) {
  const [row] = await db().select().from(applications).where(eq(applications.id, id));
  return row!;
}
async function audits(action: string, subjectId: number | string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, String(subjectId))))
    .orderBy(asc(auditEvents.id));
}
async function submitAll(w: DebriefWorld, marks: string[], votes: string[]) {
  for (let i = 0; i < w.interviewIds.length; i += 1) await submitFeedback(w, i, marks[i]!, votes[i] ?? 'inclined');
}

describe(`the debrief room (${testEngine})`, () => {
  describe('sealing until it opens', () => {
    let w: DebriefWorld;
    const submitted: string[] = [];
    const drafts: string[] = [];
    let outsider: { id: number };

    beforeAll(async () => {
      w = await debriefWorld(t, { interviewers: 3 });
      outsider = await createStaff(db(), { role: 'interviewer', name: 'Oto Elsewhere' });
      w.clients.set(outsider.id, await staffClient(t.app, db(), outsider.id));
      for (let i = 0; i < w.interviewIds.length; i += 1) {
        submitted.push(marker());
        drafts.push(marker());
      }
      // Everyone submits, then starts a new draft that nobody else may ever see.
      for (let i = 0; i < w.interviewIds.length; i += 1) {
        await submitFeedback(w, i, submitted[i]!);
        await submitFeedback(w, i, drafts[i]!, 'strongly_inclined', 'draft');
      }
    });

    const readers = () => [...w.interviewees, w.recruiter, w.admin];

    it('shows no one any evidence, signal or vote before it opens, only who has submitted', async () => {
      for (const r of readers()) {
        const res = await client(w, r).get(page(w));
        expect(res.statusCode, r.name).toBe(200);
        for (const m of [...submitted, ...drafts]) expect(res.body, `${r.name} sees ${m}`).not.toContain(m);
        expect(res.body).toContain('Who has submitted');
        expect(res.body).not.toContain('Signals by principle and interviewer');
        expect(res.body).not.toContain('Strongly inclined');
      }
      expect((await client(w, outsider).get(page(w))).statusCode).toBe(403);
    });

    it('shows every member all submitted feedback once it opens, and never a draft', async () => {
      const res = await postDebrief(client(w, w.interviewers[0]!), w.applicationId, 'open', {});
      expect(res.statusCode).toBe(303);
      for (const r of readers()) {
        const body = (await client(w, r).get(page(w))).body;
        for (const m of submitted) expect(body, `${r.name} sees ${m}`).toContain(m);
        for (const m of drafts) expect(body, `${r.name} never sees the draft ${m}`).not.toContain(m);
      }
      expect((await client(w, outsider).get(page(w))).statusCode).toBe(403);
    });

    it('writes no evidence into emails, the audit log, notifications or timelines', async () => {
      const stored = JSON.stringify([
        t.mail.sent,
        await db().select().from(mailMessages),
        await db().select().from(auditEvents),
        await db().select().from(staffNotifications),
        await db().select().from(applicationEvents),
      ]);
      for (const m of [...submitted, ...drafts]) expect(stored).not.toContain(m);
    });
  });

  describe('opening', () => {
    let w: DebriefWorld;
    const marks = [marker(), marker(), marker(), marker(), marker()];

    beforeAll(async () => {
      w = await debriefWorld(t, { interviewers: 3 });
      for (let i = 0; i < 3; i += 1) await submitFeedback(w, i, marks[i]!);
    });

    it('does not open for an interviewer while feedback is missing, and offers only the bar raiser an early opening', async () => {
      const interviewer = client(w, w.interviewers[0]!);
      const shown = await interviewer.get(page(w));
      expect(shown.body).not.toContain('Open the debrief early');
      expect(shown.body).toContain('3 of 5');
      const res = await interviewer.post(`${page(w)}/open`, { earlyReason: 'I would like to start' });
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('only the bar raiser can open it earlier');
      expect(await debriefRow(w)).toBeUndefined();
      expect((await client(w, w.barRaiser).get(page(w))).body).toContain('Open the debrief early');
    });

    it('refuses the bar raiser’s early opening without a reason, keeping the form', async () => {
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'open', { earlyReason: '   ' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#debrief-early-reason"');
      expect(res.body).toContain('Say why the debrief opens before every feedback is in.');
      expect(await debriefRow(w)).toBeUndefined();
    });

    it('refuses staff outside the loop, the job’s recruiter included', async () => {
      const res = await postDebrief(client(w, w.recruiter), w.applicationId, 'open', { earlyReason: 'Because' });
      expect(res.statusCode).toBe(403);
    });

    it('opens early for the bar raiser with a reason: the row, the loop, the stage, the audit event and the emails', async () => {
      t.mail.sent.length = 0;
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'open', { earlyReason: 'The hiring manager is away for two weeks' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`${page(w)}?notice=opened`);
      const row = await debriefRow(w);
      expect(row).toMatchObject({ openedBy: w.barRaiser.id, earlyReason: 'The hiring manager is away for two weeks', decision: null });
      expect(await loopStatus(w)).toBe('debrief');
      expect((await applicationRow(w.applicationId)).stage).toBe('debrief');
      const [opened] = await audits('debrief.opened', w.loopId);
      expect(opened).toMatchObject({ actorId: w.barRaiser.id, before: { status: 'confirmed' } });
      expect(opened!.after).toMatchObject({ early: true, earlyReason: 'The hiring manager is away for two weeks', submitted: 3, interviews: 5 });

      // Every member and the job's recruiter, once each; a link, and nothing of the feedback.
      const to = t.mail.sent.filter((m) => m.kind === 'debrief_ready').map((m) => m.to).sort();
      expect(to).toEqual([...w.interviewees, w.recruiter].map((s) => s.email).sort());
      const email = t.mail.last(w.interviewers[1]!.email, 'debrief_ready');
      expect(email.text).toContain(`https://careers.example.test${page(w)}`);
      for (const m of marks) expect(email.text + email.html).not.toContain(m);
      expect(email.text).not.toMatch(/inclined/i);
      expect(t.mail.linkPath(w.recruiter.email, 'debrief_ready')).toBe(page(w));
    });

    it('does not open twice', async () => {
      const res = await client(w, w.barRaiser).post(`${page(w)}/open`, { earlyReason: 'Again' });
      expect(res.statusCode).toBe(409);
    });

    it('opens for any member, without a reason, once every feedback is in', async () => {
      const v = await debriefWorld(t, { interviewers: 2 });
      await submitAll(v, [marker(), marker(), marker(), marker()], []);
      expect((await client(v, v.interviewers[1]!).get(page(v))).body).toContain('Open the debrief</button>');
      const res = await postDebrief(client(v, v.interviewers[1]!), v.applicationId, 'open', {});
      expect(res.statusCode).toBe(303);
      expect(await debriefRow(v)).toMatchObject({ openedBy: v.interviewers[1]!.id, earlyReason: null });
      const [opened] = await audits('debrief.opened', v.loopId);
      expect(opened!.after).toMatchObject({ early: false, earlyReason: null });
    });
  });

  describe('final votes', () => {
    let w: DebriefWorld;

    beforeAll(async () => {
      // The hiring manager holds the loop but does not interview.
      w = await debriefWorld(t, { interviewers: 2, managerInterviews: false });
      await submitAll(w, [marker(), marker(), marker()], ['inclined', 'not_inclined', 'strongly_inclined']);
    });

    it('takes no vote before the debrief opens', async () => {
      const res = await postDebrief(client(w, w.interviewers[0]!), w.applicationId, 'vote', { vote: 'inclined' });
      expect(res.statusCode).toBe(409);
      await postDebrief(client(w, w.interviewers[0]!), w.applicationId, 'open', {});
    });

    it('shows each member’s first vote from their feedback, and “not yet” before a final one', async () => {
      const body = (await client(w, w.recruiter).get(page(w))).body;
      expect(body).toContain('First vote (in their feedback)');
      expect(body).toContain('None (did not interview)');
      expect(body.match(/Not yet/g)?.length).toBe(4);
    });

    it('records a vote that matches the feedback without a reason', async () => {
      const res = await postDebrief(client(w, w.interviewers[0]!), w.applicationId, 'vote', { vote: 'inclined', reason: '' });
      expect(res.statusCode).toBe(303);
      const [vote] = await db().select().from(debriefVotes).where(and(eq(debriefVotes.loopId, w.loopId), eq(debriefVotes.memberId, w.interviewers[0]!.id)));
      expect(vote).toMatchObject({ firstVote: 'inclined', finalVote: 'inclined', reason: null });
    });

    it('refuses a changed vote without a reason, showing the form again as typed', async () => {
      const res = await postDebrief(client(w, w.interviewers[1]!), w.applicationId, 'vote', { vote: 'inclined', reason: '' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#debrief-vote-reason"');
      expect(res.body).toMatch(/id="debrief-vote-inclined"[^>]*checked/);
      expect(await db().select().from(debriefVotes).where(and(eq(debriefVotes.loopId, w.loopId), eq(debriefVotes.memberId, w.interviewers[1]!.id)))).toEqual([]);
    });

    it('records a changed vote with its reason, and audits the vote and the change without the reason', async () => {
      const res = await postDebrief(client(w, w.interviewers[1]!), w.applicationId, 'vote', { vote: 'inclined', reason: 'The bar raiser’s ownership evidence convinced me' });
      expect(res.statusCode).toBe(303);
      const [vote] = await db().select().from(debriefVotes).where(and(eq(debriefVotes.loopId, w.loopId), eq(debriefVotes.memberId, w.interviewers[1]!.id)));
      expect(vote).toMatchObject({ firstVote: 'not_inclined', finalVote: 'inclined', reason: 'The bar raiser’s ownership evidence convinced me' });
      const voted = await audits('debrief.voted', w.loopId);
      const mine = voted.find((a) => a.actorId === w.interviewers[1]!.id)!;
      expect(mine.after).toMatchObject({ firstVote: 'not_inclined', finalVote: 'inclined', changed: true });
      expect(JSON.stringify(mine)).not.toContain('convinced');
      const body = (await client(w, w.admin).get(page(w))).body;
      expect(body).toContain('Why: The bar raiser’s ownership evidence convinced me');
    });

    it('lets the hiring manager who did not interview vote without a reason: they have no first vote', async () => {
      const res = await postDebrief(client(w, w.manager), w.applicationId, 'vote', { vote: 'strongly_not_inclined' });
      expect(res.statusCode).toBe(303);
      const [vote] = await db().select().from(debriefVotes).where(and(eq(debriefVotes.loopId, w.loopId), eq(debriefVotes.memberId, w.manager.id)));
      expect(vote).toMatchObject({ firstVote: null, finalVote: 'strongly_not_inclined' });
    });

    it('refuses votes from staff outside the loop', async () => {
      expect((await postDebrief(client(w, w.recruiter), w.applicationId, 'vote', { vote: 'inclined' })).statusCode).toBe(403);
      expect((await postDebrief(client(w, w.admin), w.applicationId, 'vote', { vote: 'inclined' })).statusCode).toBe(403);
    });

    it('asks for a vote when none is chosen', async () => {
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'vote', {});
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#debrief-vote-strongly_inclined"');
    });
  });

  describe('the bar raiser’s veto', () => {
    let w: DebriefWorld;
    const marks = [marker(), marker(), marker(), marker(), marker()];
    const memo = `Ownership fell short in two interviews ${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      // Five members: three interviewers and the hiring manager inclined, the bar raiser not.
      w = await debriefWorld(t, { interviewers: 3 });
      await submitAll(w, marks, ['inclined', 'inclined', 'inclined', 'strongly_not_inclined', 'inclined']);
      await postDebrief(client(w, w.manager), w.applicationId, 'open', {});
      for (const member of [...w.interviewers, w.manager]) {
        expect((await postDebrief(client(w, member), w.applicationId, 'vote', { vote: 'inclined' })).statusCode).toBe(303);
      }
      expect((await postDebrief(client(w, w.barRaiser), w.applicationId, 'vote', { vote: 'strongly_not_inclined' })).statusCode).toBe(303);
    });

    it('shows the room: feedback side by side, a grid of signals in words with row and column headers', async () => {
      const body = (await client(w, w.interviewers[0]!).get(page(w))).body;
      for (const m of marks) expect(body).toContain(m);
      expect(body).toContain('Signals by principle and interviewer');
      expect(body).toMatch(/<th scope="col">Principle<\/th>/);
      expect(body).toMatch(/<th scope="row">Customer obsession<\/th><td class="debrief-signal debrief-signal--good">Good<\/td>/);
      expect(body).toContain('Record my final vote');
      expect(body).not.toContain('Record the decision</button>');
      expect((await client(w, w.barRaiser).get(page(w))).body).toContain('Record the decision</button>');
    });

    it('refuses the decision to the hiring manager, however the votes stand, and the page says who decides', async () => {
      const res = await postDebrief(client(w, w.manager), w.applicationId, 'decide', { decision: 'hire', level: '5', memo: 'Four of five inclined.' });
      // The policy lets members act in the debrief; the debrief rule keeps the decision to the bar raiser.
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('Only the bar raiser records the decision.');
      expect((await debriefRow(w))!.decision).toBeNull();
    });

    it('asks the bar raiser for the memo and shows what was typed', async () => {
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'no_hire', memo: ' ' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#debrief-memo"');
      expect(res.body).toMatch(/id="debrief-decision-no_hire"[^>]*checked/);
    });

    it('rejects the application with the reason when the bar raiser decides no hire, in one go', async () => {
      t.mail.sent.length = 0;
      const before = await applicationRow(w.applicationId);
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'no_hire', memo, level: '5' });
      expect(res.statusCode).toBe(303);
      const row = (await debriefRow(w))!;
      expect(row).toMatchObject({ decision: 'no_hire', decisionLevel: null, memo, decidedBy: w.barRaiser.id });
      // From the end of the last interview to the decision.
      expect(row.secondsToDecision).toBe(Math.round((row.decidedAt!.getTime() - w.lastEnd.getTime()) / 1000));
      expect(row.secondsToDecision).toBeGreaterThanOrEqual(3600);
      expect(await loopStatus(w)).toBe('decided');

      const app = await applicationRow(w.applicationId);
      expect(app).toMatchObject({ stage: 'rejected', rejectReason: 'No hire after the debrief' });
      expect(app.stageEnteredAt.getTime()).toBeGreaterThan(before.stageEnteredAt.getTime());
      const events = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, w.applicationId)).orderBy(asc(applicationEvents.id));
      expect(events.slice(-2).map((e) => [e.kind, e.toStage, e.detail])).toEqual([
        ['decided', null, 'Debrief decision: No hire'],
        ['rejected', 'rejected', 'No hire after the debrief'],
      ]);
      const [decided] = await audits('debrief.decided', w.loopId);
      expect(decided).toMatchObject({ actorId: w.barRaiser.id, before: { decision: null, loopStatus: 'debrief', stage: 'debrief' } });
      expect(decided!.after).toMatchObject({ decision: 'no_hire', loopStatus: 'decided', stage: 'rejected', secondsToDecision: row.secondsToDecision });
      expect(await audits('application.rejected', w.applicationId)).toHaveLength(1);

      // Everyone is told the decision, and only that.
      const to = t.mail.sent.filter((m) => m.kind === 'debrief_decided').map((m) => m.to).sort();
      expect(to).toEqual([...w.interviewees, w.recruiter].map((s) => s.email).sort());
      const email = t.mail.last(w.manager.email, 'debrief_decided');
      expect(email.text).toContain('No hire');
      for (const secret of [...marks, memo]) expect(email.text + email.html).not.toContain(secret);
    });

    it('refuses a second decision, the bar raiser’s included, and the page says the decision stands', async () => {
      const again = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'hire', level: '5', memo: 'On reflection, hire.' });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('That decision stands and cannot be overridden.');
      const manager = await client(w, w.manager).post(`${page(w)}/decide`, { decision: 'hire', level: '5', memo: 'Overrule.' });
      expect(manager.statusCode).toBe(409);
      expect((await debriefRow(w))!.decision).toBe('no_hire');
      const body = (await client(w, w.recruiter).get(page(w))).body;
      expect(body).toContain('Decision: No hire');
      expect(body).toContain('The bar raiser’s no hire stands: nobody can override it.');
      expect(body).toContain(memo);
    });

    it('takes no more votes', async () => {
      expect((await postDebrief(client(w, w.interviewers[0]!), w.applicationId, 'vote', { vote: 'strongly_inclined', reason: 'Changed my mind' })).statusCode).toBe(409);
    });

    it('lets nothing move the application out of rejected: the board’s move and the application page', async () => {
      const recruiter = client(w, w.recruiter);
      await recruiter.get(`/staff/applications/${w.applicationId}`);
      const moved = await recruiter.post(`/staff/applications/${w.applicationId}/move`, { to: 'offer' });
      expect(moved.statusCode).toBe(409);
      await recruiter.get(`/staff/jobs/${w.jobId}/board`);
      const board = await recruiter.post(`/staff/jobs/${w.jobId}/board/move`, { applicationId: String(w.applicationId), to: 'onsite_loop' });
      expect(board.statusCode).toBe(409);
      expect((await applicationRow(w.applicationId)).stage).toBe('rejected');
      // The rule behind both: a rejection is final, whatever stage is asked for.
      for (const to of stagesOf(null)) expect(checkMove({ from: 'rejected', to, stages: stagesOf(null) }).ok).toBe(false);
    });
  });

  describe('hire', () => {
    it('moves the application to the offer stage with the level, and tells everyone the decision', async () => {
      const w = await debriefWorld(t, { interviewers: 2 });
      await submitAll(w, [marker(), marker(), marker(), marker()], []);
      await postDebrief(client(w, w.barRaiser), w.applicationId, 'open', {});
      t.mail.sent.length = 0;
      const memo = 'Strong on every principle; raised the bar on dive deep.';
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'hire', level: '6', memo, recycleJob: '1', note: 'ignored' });
      expect(res.statusCode).toBe(303);
      expect(await debriefRow(w)).toMatchObject({ decision: 'hire', decisionLevel: 6, recycleJobId: null, recycleNote: null, memo });
      expect((await applicationRow(w.applicationId)).stage).toBe('offer');
      const [moved] = await audits('application.moved', w.applicationId).then((a) => a.filter((x) => (x.after as { stage: string }).stage === 'offer'));
      expect(moved).toMatchObject({ before: { stage: 'debrief' }, after: { stage: 'offer' } });
      expect(t.mail.last(w.recruiter.email, 'debrief_decided').text).toContain('Hire at level 6');
      const body = (await client(w, w.manager).get(page(w))).body;
      expect(body).toContain('Decision: Hire at level 6 (Principal)');
    });

    it('needs a level between 1 and 8', async () => {
      const w = await debriefWorld(t, { interviewers: 1 });
      await submitAll(w, [marker(), marker(), marker()], []);
      await postDebrief(client(w, w.barRaiser), w.applicationId, 'open', {});
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'hire', level: '9', memo: 'Yes' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#debrief-level"');
      expect((await debriefRow(w))!.decision).toBeNull();
    });
  });

  describe('recycle', () => {
    let w: DebriefWorld;
    let otherJob: number;
    const marks = [marker(), marker(), marker(), marker()];

    beforeAll(async () => {
      w = await debriefWorld(t, { interviewers: 2, title: 'Senior Ledger Engineer' });
      otherJob = await addJob(db(), { title: 'Payments Operations Analyst' });
      await submitAll(w, marks, []);
      await postDebrief(client(w, w.barRaiser), w.applicationId, 'open', {});
    });

    it('offers open jobs other than this one, and asks for both the job and the note', async () => {
      const shown = (await client(w, w.barRaiser).get(page(w))).body;
      expect(shown).toContain(`<option value="${otherJob}">Payments Operations Analyst (#${otherJob})</option>`);
      expect(shown).not.toContain(`<option value="${w.jobId}">`);
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'recycle', memo: 'Better fit elsewhere' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#debrief-recycle-job"');
      expect(res.body).toContain('href="#debrief-note"');
      const same = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'recycle', recycleJob: String(w.jobId), note: 'n', memo: 'm' });
      expect(same.statusCode).toBe(400);
      expect(same.body).toContain('Choose an open job other than this one');
    });

    it('refuses when the candidate already has an active application for that job, and records nothing', async () => {
      const app = await applicationRow(w.applicationId);
      const [active] = await db()
        .insert(applications)
        .values({ personId: app.personId, jobId: otherJob, stage: 'screen', idempotencyKey: randomUUID(), consentProcessing: true })
        .returning({ id: applications.id });
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', { decision: 'recycle', recycleJob: String(otherJob), note: 'Fits operations', memo: 'Recycle' });
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('already has an active application for Payments Operations Analyst');
      expect((await debriefRow(w))!.decision).toBeNull();
      expect((await applicationRow(w.applicationId)).stage).toBe('debrief');
      await db().update(applications).set({ stage: 'withdrawn' }).where(eq(applications.id, active!.id));
    });

    it('rejects this application as recycled and makes a new one for the same person, linked by its loop', async () => {
      const original = await applicationRow(w.applicationId);
      const res = await postDebrief(client(w, w.barRaiser), w.applicationId, 'decide', {
        decision: 'recycle',
        recycleJob: String(otherJob),
        note: 'Strong operator; the level of this job is too high.',
        memo: 'Recycle to operations.',
      });
      expect(res.statusCode).toBe(303);
      expect(await debriefRow(w)).toMatchObject({ decision: 'recycle', recycleJobId: otherJob, recycleNote: 'Strong operator; the level of this job is too high.' });
      expect(await applicationRow(w.applicationId)).toMatchObject({ stage: 'rejected', rejectReason: 'Recycled to Payments Operations Analyst' });

      const [loop] = await db().select().from(loops).where(eq(loops.recycledFromLoopId, w.loopId));
      expect(loop).toMatchObject({ status: 'planning' });
      expect(await db().select().from(interviews).where(eq(interviews.loopId, loop!.id))).toEqual([]);
      const fresh = await applicationRow(loop!.applicationId);
      expect(fresh).toMatchObject({
        personId: original.personId,
        jobId: otherJob,
        stage: 'applied',
        source: original.source,
        resumeId: original.resumeId,
        consentProcessing: original.consentProcessing,
        consentTalentPool: original.consentTalentPool,
      });
      expect(fresh.confirmedAt?.getTime()).toBe(original.confirmedAt?.getTime());
      expect(fresh.idempotencyKey).not.toBe(original.idempotencyKey);
      const [recycled] = await audits('application.recycled', w.applicationId);
      expect(recycled!.after).toMatchObject({ applicationId: fresh.id, jobId: otherJob, loopId: loop!.id, stage: 'applied' });
      const [applied] = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, fresh.id));
      expect(applied).toMatchObject({ kind: 'applied', toStage: 'applied' });
      expect(t.mail.last(w.recruiter.email, 'debrief_decided').text).toContain('considered for Payments Operations Analyst');
    });

    it('shows the earlier feedback to the new loop’s members once they submit their own, and to its recruiter once its debrief opens', async () => {
      const [loop] = await db().select().from(loops).where(eq(loops.recycledFromLoopId, w.loopId));
      const newApp = loop!.applicationId;
      const newPage = `/staff/applications/${newApp}/debrief`;
      const interviewer = await createStaff(db(), { role: 'interviewer', name: 'Nia Newloop' });
      const recruiter = await createStaff(db(), { role: 'recruiter', name: 'Rita Newjob' });
      await addToJobTeam(db(), otherJob, interviewer.id, 'interviewer');
      await addToJobTeam(db(), otherJob, recruiter.id, 'recruiter');
      const [interview] = await db()
        .insert(interviews)
        .values({ loopId: loop!.id, interviewerId: interviewer.id, role: 'interviewer', principles: PRINCIPLE_SETS[0]!, icalUid: `debrief-${randomUUID()}@example.test` })
        .returning({ id: interviews.id });
      const nia = await staffClient(t.app, db(), interviewer.id);
      const rita = await staffClient(t.app, db(), recruiter.id);

      const sealed = await nia.get(newPage);
      expect(sealed.statusCode).toBe(200);
      expect(sealed.body).toContain('Feedback from the earlier loop');
      for (const m of marks) expect(sealed.body).not.toContain(m);

      const mine = marker();
      await nia.get(`/staff/interviews/${interview!.id}/feedback`);
      expect((await nia.post(`/staff/interviews/${interview!.id}/feedback`, { ...feedbackFields(PRINCIPLE_SETS[0]!, mine), intent: 'submit' })).statusCode).toBe(303);
      const opened = await nia.get(newPage);
      for (const m of marks) expect(opened.body).toContain(m);
      expect(opened.body).not.toContain(mine);

      const overseer = await rita.get(newPage);
      for (const m of [...marks, mine]) expect(overseer.body).not.toContain(m);
      expect((await postDebrief(nia, newApp, 'open', {})).statusCode).toBe(303);
      const after = await rita.get(newPage);
      for (const m of [...marks, mine]) expect(after.body).toContain(m);
    });
  });
});
