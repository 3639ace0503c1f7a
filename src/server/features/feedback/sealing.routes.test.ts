import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormClient } from '../../../../test/support/account-client.ts';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applicationEvents, applicationNotes, auditEvents, debriefs, jobEvents, mailMessages, staffNotifications } from '../../db/schema/index.ts';
import type { StaffRouteEntry } from '../staff/staff.scope.ts';
import { addApplication, addJob, addLoop, buildLoopWorld, feedbackFields, LOOP_PRINCIPLES, type LoopWorld } from './feedback.test-support.ts';

/*
 * The sealing test: the whole app with every staff extension in the repository, one loop of
 * six (four interviewers, a bar raiser from outside the team, the hiring manager), each with a
 * unique marker in their evidence. For every reader — each member, a recruiter on the job
 * outside the loop, an admin, and an interviewer of another job — before and after each member
 * submits, every GET route of the staff route table is opened, and no body may carry a marker
 * the reader is not entitled to. The outbox, audit log, notifications and timelines may never
 * carry one.
 */

const MEMBER_NAMES = ['interviewer 1', 'interviewer 2', 'interviewer 3', 'interviewer 4', 'the bar raiser', 'the hiring manager'];

const mark = () => `m${randomBytes(5).toString('hex')}k`;

type Reader = { key: string; id: number; kind: 'member' | 'overseer' | 'outsider'; memberIndex?: number };

let t: TestApp;
let w: LoopWorld;
let routes: StaffRouteEntry[] = [];
let other: { jobId: number; applicationId: number; interviewId: number; interviewer: { id: number } };
const clients = new Map<number, FormClient>();
/** Per member (by interview index): the marker of their first draft, of their submitted feedback, and of a later revision. */
const markers: Array<{ draft: string; submitted: string; later: string }> = [];
const otherMarker = mark();
/** What has happened so far. */
const state = { submitted: new Set<number>(), laterSubmitted: false, debrief: false };
let readers: Reader[] = [];

beforeAll(async () => {
  // The whole app as buildApp wires it: every staff route there is, so a route added later is walked too.
  t = await testApp();
  routes = t.app.staffRouteTable;
  const db = t.database.db;
  w = await buildLoopWorld(db);
  for (let i = 0; i < w.members.length; i += 1) markers.push({ draft: mark(), submitted: mark(), later: mark() });

  // Another job, with its own loop and an interviewer who is on nothing of ours.
  const otherJob = await addJob(db, { title: 'Warehouse Systems Lead' });
  const otherInterviewer = await createStaff(db, { role: 'interviewer', name: 'Oto Elsewhere' });
  await addToJobTeam(db, otherJob, otherInterviewer.id, 'interviewer');
  await addToJobTeam(db, otherJob, w.recruiter.id, 'recruiter');
  const otherApplication = await addApplication(db, { jobId: otherJob, name: 'Olga Other' });
  const { interviewIds } = await addLoop(db, { applicationId: otherApplication, hiringManagerId: null, interviews: [{ interviewerId: otherInterviewer.id, role: 'interviewer', principles: ['ownership', 'dive-deep'] }] });
  other = { jobId: otherJob, applicationId: otherApplication, interviewId: interviewIds[0]!, interviewer: otherInterviewer };

  readers = [
    ...w.members.map((m, i): Reader => ({ key: MEMBER_NAMES[i]!, id: m.id, kind: 'member', memberIndex: i })),
    { key: 'recruiter outside the loop', id: w.recruiter.id, kind: 'overseer' },
    { key: 'admin', id: w.admin.id, kind: 'overseer' },
    { key: 'interviewer of another job', id: otherInterviewer.id, kind: 'outsider' },
  ];
  for (const r of readers) clients.set(r.id, await staffClient(t.app, db, r.id));

  // The other loop's feedback is submitted: its marker must never show in ours.
  const o = clients.get(otherInterviewer.id)!;
  await o.get(`/staff/interviews/${other.interviewId}/feedback`);
  expect((await o.post(`/staff/interviews/${other.interviewId}/feedback`, { ...feedbackFields(['ownership', 'dive-deep'], otherMarker), intent: 'submit' })).statusCode).toBe(303);

  // Every member starts a draft carrying their draft marker.
  for (let i = 0; i < w.members.length; i += 1) {
    const c = clients.get(w.members[i]!.id)!;
    await c.get(formUrl(i));
    const res = await c.post(formUrl(i), { ...feedbackFields(LOOP_PRINCIPLES[i]!, markers[i]!.draft, 'not_inclined'), intent: 'draft' });
    expect(res.statusCode).toBe(303);
  }
}, 120_000);
afterAll(() => t?.close());

const formUrl = (i: number) => `/staff/interviews/${w.interviewIds[i]}/feedback`;
const feedbackPage = () => `/staff/applications/${w.applicationId}/feedback`;
const feedbackApi = () => `/staff/api/applications/${w.applicationId}/feedback`;

/** What the rule says, written out independently of src/domain/sealing.ts. */
function expectedView(r: Reader): 'full' | 'status' | 'none' {
  if (r.kind === 'member') return state.debrief || state.submitted.has(r.memberIndex!) ? 'full' : 'status';
  if (r.kind === 'overseer') return state.debrief ? 'full' : 'status';
  return 'none';
}

/** Markers the reader may not see anywhere: drafts of others always; others' feedback unless the view is full and it is submitted. */
function forbiddenFor(r: Reader): string[] {
  const view = expectedView(r);
  const out = [otherMarker];
  markers.forEach((m, i) => {
    if (r.memberIndex === i) return;
    out.push(m.draft);
    if (view !== 'full' || !state.submitted.has(i)) out.push(m.submitted);
    if (view !== 'full' || !state.laterSubmitted || i !== 0) out.push(m.later);
  });
  if (r.id === other.interviewer.id) out.splice(out.indexOf(otherMarker), 1);
  return out;
}

/** Markers the feedback page and API must show the reader: every other member's submitted feedback, under "full". */
function requiredFor(r: Reader): string[] {
  if (expectedView(r) !== 'full') return [];
  const out: string[] = [];
  markers.forEach((m, i) => {
    if (r.memberIndex === i || !state.submitted.has(i)) return;
    out.push(m.submitted);
    if (i === 0 && state.laterSubmitted) out.push(m.later);
  });
  return out;
}

/** Every URL of the GET routes, with each :param filled by the ids it may take. */
function getUrls(): string[] {
  const ours = { job: [w.jobId, other.jobId], application: [w.applicationId, other.applicationId], interview: [...w.interviewIds, other.interviewId] };
  const urls = new Set<string>();
  for (const route of routes.filter((r) => r.method === 'GET')) {
    let variants = [route.url];
    for (const [, param] of route.url.matchAll(/:(\w+)/g)) {
      const values = /interview/i.test(param!)
        ? ours.interview
        : /application/i.test(param!)
          ? ours.application
          : /job/i.test(param!)
            ? ours.job
            : route.target === 'job'
              ? ours.job
              : route.target === 'interview'
                ? ours.interview
                : route.target === 'application'
                  ? ours.application
                  : [w.applicationId, w.jobId, w.loopId, w.interviewIds[0]!];
      variants = variants.flatMap((url) => values.map((v) => url.replace(`:${param}`, String(v))));
    }
    for (const v of variants) urls.add(v);
  }
  return [...urls];
}

/** Opens every GET route as the reader and checks the sealed view. */
async function walk(r: Reader): Promise<void> {
  const c = clients.get(r.id)!;
  const forbidden = forbiddenFor(r);
  const leaks: string[] = [];
  const urls = getUrls();
  // A few at a time: PostgreSQL serves them side by side; PGlite takes them in turn.
  for (let i = 0; i < urls.length; i += 4) {
    await Promise.all(
      urls.slice(i, i + 4).map(async (url) => {
        const res = await c.get(url);
        for (const m of forbidden) if (res.body.includes(m)) leaks.push(`${url} (${res.statusCode}) shows ${m}`);
      }),
    );
  }
  expect(leaks, `${r.key} sees what is sealed`).toEqual([]);

  const view = expectedView(r);
  const page = await c.get(feedbackPage());
  const api = await c.get(feedbackApi(), { accept: 'application/json' });
  if (view === 'none') {
    expect(page.statusCode, `${r.key}: feedback page`).toBe(403);
    expect(api.statusCode, `${r.key}: feedback API`).toBe(403);
    return;
  }
  expect(page.statusCode, `${r.key}: feedback page`).toBe(200);
  expect(api.statusCode, `${r.key}: feedback API`).toBe(200);
  const json = api.json() as { view: string; members: Array<{ interviewer: { id: number }; submitted: boolean; feedback?: { vote: string } }> };
  expect(json.view, `${r.key}: view`).toBe(view);
  // "Who has submitted" is right for everyone who may read at all.
  expect(json.members.map((m) => m.submitted)).toEqual(w.members.map((_, i) => state.submitted.has(i)));
  for (const m of json.members) {
    const own = m.interviewer.id === r.id;
    const submitted = w.members.findIndex((x) => x.id === m.interviewer.id);
    const shows = own ? state.submitted.has(submitted) : view === 'full' && state.submitted.has(submitted);
    expect(Boolean(m.feedback), `${r.key}: feedback of ${m.interviewer.id} in the API`).toBe(shows);
    if (m.feedback) expect(m.feedback.vote).toBe(submitted === 0 && state.laterSubmitted ? 'strongly_inclined' : 'inclined');
  }
  for (const m of requiredFor(r)) {
    expect(page.body, `${r.key}: feedback page shows ${m}`).toContain(m);
    expect(api.body, `${r.key}: feedback API shows ${m}`).toContain(m);
  }
  if (view === 'status') expect(page.body).toContain('Feedback is sealed');
}

/** The outbox, audit log, notifications and timelines never carry evidence. */
async function storesCarryNoEvidence(): Promise<void> {
  const db = t.database.db;
  const stored = JSON.stringify([
    await db.select().from(mailMessages),
    await db.select().from(auditEvents),
    await db.select().from(staffNotifications),
    await db.select().from(applicationEvents),
    await db.select().from(applicationNotes),
    await db.select().from(jobEvents),
  ]);
  for (const m of [otherMarker, ...markers.flatMap((x) => [x.draft, x.submitted, x.later])]) expect(stored).not.toContain(m);
}

async function walkEveryone(): Promise<void> {
  await walkSome(readers);
}

async function walkSome(some: Reader[]): Promise<void> {
  for (const r of some) await walk(r);
  await storesCarryNoEvidence();
}

const member = (i: number) => readers.find((r) => r.memberIndex === i)!;
const recruiter = () => readers.find((r) => r.id === w.recruiter.id)!;

describe(`sealed feedback on every staff route (${testEngine})`, () => {
  it('walks the routes of every staff extension, ours among them', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toContain('GET /staff/interviews/:id/kit');
    expect(urls).toContain('GET /staff/applications/:id/feedback');
    expect(urls).toContain('GET /staff/api/applications/:id/feedback');
    // Other features' pages are walked too, whether buildApp wires them or this test adds them.
    expect(routes.filter((r) => r.method === 'GET' && !r.url.includes('/feedback') && !r.url.includes('/kit')).length).toBeGreaterThan(5);
  });

  it('shows no one any evidence while every member has only a draft', async () => {
    await walkEveryone();
  }, 300_000);

  for (let i = 0; i < 6; i += 1) {
    it(`opens the loop's feedback to ${MEMBER_NAMES[i]} once they submit, and to no one else`, async () => {
      const c = clients.get(w.members[i]!.id)!;
      await c.get(formUrl(i));
      const res = await c.post(formUrl(i), { ...feedbackFields(LOOP_PRINCIPLES[i]!, markers[i]!.submitted, 'inclined'), intent: 'submit' });
      expect(res.statusCode).toBe(303);
      state.submitted.add(i);
      // Everyone once all are in; before that the one who just submitted, the next one (who has
      // not, while others have) and the recruiter.
      if (i === 5) await walkEveryone();
      else await walkSome([member(i), member(i + 1), recruiter()]);
    }, 300_000);
  }

  it('keeps a draft made after submitting to its author, and shows the next revision with its history once submitted', async () => {
    const c = clients.get(w.members[0]!.id)!;
    await c.get(formUrl(0));
    expect((await c.post(formUrl(0), { ...feedbackFields(LOOP_PRINCIPLES[0]!, markers[0]!.later, 'strongly_inclined'), intent: 'draft' })).statusCode).toBe(303);
    await walkSome([member(0), member(1)]);
    expect((await c.post(formUrl(0), { ...feedbackFields(LOOP_PRINCIPLES[0]!, markers[0]!.later, 'strongly_inclined'), intent: 'submit' })).statusCode).toBe(303);
    state.laterSubmitted = true;
    await walkEveryone();
    // The first revision stays readable as history.
    const page = await clients.get(w.members[1]!.id)!.get(feedbackPage());
    expect(page.body).toContain(markers[0]!.submitted);
    expect(page.body).toContain('Earlier revisions (1)');
  }, 300_000);

  it('opens everything to the recruiter and the admin once the debrief opens, and still nothing to outsiders', async () => {
    await t.database.db.insert(debriefs).values({ loopId: w.loopId, openedBy: w.barRaiser.id });
    state.debrief = true;
    await walkEveryone();
  }, 300_000);
});
