import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGlobalAction, isInterviewAction, isLoopAction, STAFF_ROLES, type Action, type StaffRole, type TeamRole } from '../../../domain/policy.ts';
import { GLOBAL_EXPECTED, interviewExpected, JOB_EXPECTED, loopExpected } from '../../../../test/support/policy-expectations.ts';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { mailMessages } from '../../db/schema/index.ts';
import { addApplication, addJob, addLoop } from '../feedback/feedback.test-support.ts';
import type { StaffRouteEntry } from './staff.scope.ts';

/*
 * The authorization matrix: every staff route × every role × the user's own job, another job,
 * and no job (an id that does not exist). "Own" means the user sits on the job's hiring team in
 * the seat of their role (admins sit on no team), is a member of its application's loop, and
 * holds an interview of it. Each answer is compared with the hand-written expectations of
 * test/support/policy-expectations.ts: a deny is exactly 403 (404 where there is no job), an
 * allow is anything but 401 or 403. Any unexpected allow fails the test.
 */

type Context = 'own' | 'other' | 'none';
const SEAT: Record<StaffRole, TeamRole | null> = { admin: null, recruiter: 'recruiter', hiring_manager: 'hiring_manager', interviewer: 'interviewer' };
const MISSING = 987654;

interface World {
  users: Record<StaffRole, number>;
  job: Record<Exclude<Context, 'none'>, number>;
  application: Record<Exclude<Context, 'none'>, number>;
  /** The interview each user holds in the own loop, and one in the other loop that is nobody's of ours. */
  ownInterview: Record<StaffRole, number>;
  otherInterview: number;
  mailId: number;
  /** A user the /staff/users/:id routes may change (disable, demote) without touching the cast. */
  spare: number;
}

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  const users = {} as Record<StaffRole, number>;
  for (const role of STAFF_ROLES) users[role] = (await createStaff(db, { role })).id;
  const ownJob = await addJob(db, { title: 'Matrix Own Job' });
  const otherJob = await addJob(db, { title: 'Matrix Other Job' });
  for (const role of STAFF_ROLES) if (SEAT[role]) await addToJobTeam(db, ownJob, users[role], SEAT[role]);
  const strangers = { manager: await createStaff(db, { role: 'hiring_manager' }), interviewer: await createStaff(db, { role: 'interviewer' }) };
  await addToJobTeam(db, otherJob, strangers.manager.id, 'hiring_manager');
  await addToJobTeam(db, otherJob, strangers.interviewer.id, 'interviewer');
  const ownApp = await addApplication(db, { jobId: ownJob, name: 'Own Candidate' });
  const otherApp = await addApplication(db, { jobId: otherJob, name: 'Other Candidate' });
  const own = await addLoop(db, {
    applicationId: ownApp,
    hiringManagerId: users.hiring_manager,
    interviews: STAFF_ROLES.map((role) => ({ interviewerId: users[role], role: role === 'hiring_manager' ? 'hiring_manager' : 'interviewer', principles: ['ownership', 'dive-deep'] })),
  });
  const other = await addLoop(db, {
    applicationId: otherApp,
    hiringManagerId: strangers.manager.id,
    interviews: [{ interviewerId: strangers.interviewer.id, role: 'interviewer', principles: ['ownership', 'dive-deep'] }],
  });
  const [mail] = await db.insert(mailMessages).values({ kind: 'test', toAddress: 'x@example.test', subject: 's', textBody: 't', transport: 'outbox' }).returning({ id: mailMessages.id });
  w = {
    users,
    job: { own: ownJob, other: otherJob },
    application: { own: ownApp, other: otherApp },
    ownInterview: Object.fromEntries(STAFF_ROLES.map((role, i) => [role, own.interviewIds[i]!])) as Record<StaffRole, number>,
    otherInterview: other.interviewIds[0]!,
    mailId: mail!.id,
    spare: (await createStaff(db, { role: 'interviewer' })).id,
  };
}, 120_000);
afterAll(() => t.close());

/** The contexts that make sense for a route: global routes have no job. */
function contextsOf(route: StaffRouteEntry): Context[] {
  return route.target === 'none' ? ['none'] : ['own', 'other', 'none'];
}

/** What the hand-written table expects: 'allow', 'deny' (403) or 'missing' (404). */
function expected(route: StaffRouteEntry, role: StaffRole, context: Context): 'allow' | 'deny' | 'missing' {
  const action: Action = route.action;
  if (route.target === 'none') {
    if (!isGlobalAction(action)) throw new Error(`${route.url}: ${action} without a target`);
    return GLOBAL_EXPECTED[action].includes(role) ? 'allow' : 'deny';
  }
  if (context === 'none') return 'missing';
  const seat = context === 'own' ? SEAT[role] : null;
  let allowed: boolean;
  if (isInterviewAction(action)) allowed = interviewExpected(action, role, seat, context === 'own');
  else if (isLoopAction(action)) allowed = loopExpected(action, role, seat, context === 'own');
  else if (isGlobalAction(action)) throw new Error(`${route.url}: ${action} with a target`);
  else allowed = role === 'admin' || (seat !== null && JOB_EXPECTED[action].includes(seat));
  return allowed ? 'allow' : 'deny';
}

/** The route's URL with its parameters filled in for the role and context. */
function urlFor(route: StaffRouteEntry, role: StaffRole, context: Context): string {
  const interview = context === 'own' ? w.ownInterview[role] : context === 'other' ? w.otherInterview : MISSING;
  const targetId =
    context === 'none'
      ? MISSING
      : route.target === 'job'
        ? w.job[context]
        : route.target === 'application'
          ? w.application[context]
          : route.target === 'interview'
            ? interview
            : 0;
  return route.url.replace(/:(\w+)/g, (_whole, name: string) => {
    if (route.target !== 'none' && name === 'id') return String(targetId);
    if (name === 'interviewId') return String(interview);
    if (route.url.startsWith('/staff/users/')) return String(w.spare);
    if (route.url.startsWith('/staff/outbox/')) return String(w.mailId);
    return String(targetId || 1);
  });
}

describe(`the authorization matrix on ${testEngine}`, () => {
  it('answers every staff route for every role on its own job, another job and no job exactly as the policy table says', async () => {
    const routes = t.app.staffRouteTable;
    expect(routes.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    let cases = 0;
    for (const route of routes) {
      for (const role of STAFF_ROLES) {
        for (const context of contextsOf(route)) {
          cases += 1;
          // A fresh session each time: a route may end the session (sign-out) or change the user.
          const client = await staffClient(t.app, t.database.db, w.users[role]);
          await client.get('/staff/notifications');
          const url = urlFor(route, role, context);
          const res = route.method === 'GET' ? await client.get(url) : await client.post(url, {});
          const want = expected(route, role, context);
          const got = res.statusCode === 403 ? 'deny' : res.statusCode === 404 && want === 'missing' ? 'missing' : res.statusCode === 401 ? 'signed-out' : 'allow';
          if (got !== want) wrong.push(`${route.method} ${url} (${route.action}) as ${role} on ${context}: expected ${want}, got ${res.statusCode}`);
        }
      }
    }
    expect(cases).toBeGreaterThan(250);
    expect(wrong).toEqual([]);
  }, 600_000);
});
