import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { FormClient } from '../../../../test/support/account-client.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { addApplication, addJob, addLoop, feedbackFields } from '../feedback/feedback.test-support.ts';

// Helpers for the debrief tests (not a test file itself).

/**
 * Adds an extension unless buildApp already wired routes at `probe`: the debrief routes (and
 * the pipeline's, for the veto test) are passed in until the lead wires them, and the tests
 * keep working, unchanged, once they are.
 */
/** The whole app (buildApp wires the debrief room with every other staff feature) and a recording mail. */
export async function debriefApp(): Promise<TestApp & { mail: RecordingMail }> {
  const mail = new RecordingMail();
  const t = await testApp({ deps: { mail } });
  return { ...t, mail };
}

type Staff = { id: number; name: string; email: string };

/** A unique word to plant in feedback and look for in pages, emails and stores. */
export const marker = () => `m${randomBytes(5).toString('hex')}k`;

export const PRINCIPLE_SETS = [
  ['customer-obsession', 'ownership'],
  ['dive-deep', 'bias-for-action'],
  ['deliver-results', 'earn-trust'],
  ['insist-on-the-highest-standards', 'invent-and-simplify'],
  ['hire-and-develop-the-best', 'learn-and-be-curious'],
];

/** One hiring with a loop ready for its debrief. */
export interface DebriefWorld {
  jobId: number;
  applicationId: number;
  loopId: number;
  admin: Staff;
  recruiter: Staff;
  manager: Staff;
  interviewers: Staff[];
  barRaiser: Staff;
  /** The interviews, in order: the interviewers, the bar raiser, then the hiring manager when they interview. */
  interviewIds: number[];
  /** Who holds each interview, in the order of `interviewIds`. */
  interviewees: Staff[];
  /** When the last interview ended. */
  lastEnd: Date;
  clients: Map<number, FormClient>;
}

/**
 * A job with its team, an application in the onsite loop, and a confirmed loop with scheduled
 * interviews that are over: `interviewers` interviewers, a bar raiser from outside the team,
 * and the hiring manager (interviewing unless `managerInterviews` is false).
 */
export async function debriefWorld(
  t: TestApp,
  options: { interviewers?: number; managerInterviews?: boolean; title?: string; candidate?: string } = {},
): Promise<DebriefWorld> {
  const db = t.database.db;
  const jobId = await addJob(db, { title: options.title ?? 'Staff Ledger Engineer' });
  const admin = await createStaff(db, { role: 'admin', name: 'Ada Admin' });
  const recruiter = await createStaff(db, { role: 'recruiter', name: 'Rui Recruiter' });
  const manager = await createStaff(db, { role: 'hiring_manager', name: 'Hana Manager' });
  const interviewers: Staff[] = [];
  for (let i = 0; i < (options.interviewers ?? 3); i += 1) interviewers.push(await createStaff(db, { role: 'interviewer', name: `Ivo Interviewer ${i + 1}` }));
  const barRaiser = await createStaff(db, { role: 'interviewer', name: 'Bea Raiser', barRaiser: true });
  await addToJobTeam(db, jobId, manager.id, 'hiring_manager');
  await addToJobTeam(db, jobId, recruiter.id, 'recruiter');
  for (const i of interviewers) await addToJobTeam(db, jobId, i.id, 'interviewer');
  const applicationId = await addApplication(db, { jobId, name: options.candidate ?? 'Carmen Candidate' });
  const interviewees = [...interviewers, barRaiser, ...(options.managerInterviews === false ? [] : [manager])];
  const roles = interviewees.map((p) => (p === barRaiser ? 'bar_raiser' : p === manager ? 'hiring_manager' : 'interviewer'));
  // Back to back, an hour each, ending an hour or more ago.
  const first = new Date(Math.floor(Date.now() / 60_000) * 60_000 - (interviewees.length + 1) * 3600_000);
  const { loopId, interviewIds } = await addLoop(db, {
    applicationId,
    hiringManagerId: manager.id,
    interviews: interviewees.map((p, i) => ({
      interviewerId: p.id,
      role: roles[i]!,
      principles: PRINCIPLE_SETS[i % PRINCIPLE_SETS.length]!,
      scheduled: { startsAt: new Date(first.getTime() + i * 3600_000), timeZone: 'Europe/Lisbon' },
    })),
  });
  const lastEnd = new Date(first.getTime() + interviewees.length * 3600_000);
  const clients = new Map<number, FormClient>();
  for (const s of [admin, recruiter, manager, ...interviewers, barRaiser]) clients.set(s.id, await staffClient(t.app, db, s.id));
  return { jobId, applicationId, loopId, admin, recruiter, manager, interviewers, barRaiser, interviewIds, interviewees, lastEnd, clients };
}

/** Submits the feedback of interview `index` of the world, every part carrying `mark`. */
export async function submitFeedback(w: DebriefWorld, index: number, mark: string, vote = 'inclined', intent: 'submit' | 'draft' = 'submit'): Promise<void> {
  const c = w.clients.get(w.interviewees[index]!.id)!;
  const url = `/staff/interviews/${w.interviewIds[index]}/feedback`;
  await c.get(url);
  const res = await c.post(url, { ...feedbackFields(PRINCIPLE_SETS[index % PRINCIPLE_SETS.length]!, mark, vote), intent });
  expect(res.statusCode, `feedback of interview ${index}`).toBe(303);
}

/** A client's GET then POST of a debrief form (the page gives the CSRF token). */
export async function postDebrief(c: FormClient, applicationId: number, action: 'open' | 'vote' | 'decide', fields: Record<string, string>) {
  await c.get(`/staff/applications/${applicationId}/debrief`);
  return c.post(`/staff/applications/${applicationId}/debrief/${action}`, fields);
}
