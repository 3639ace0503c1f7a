import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildJob } from '../../../../test/support/builders.ts';
import type { FormClient } from '../../../../test/support/account-client.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { addToJobTeam, createStaff } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { JobInput } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { applicationEvents, applications, people } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import { hashToken } from '../accounts/sessions.ts';
import { STAFF_COOKIE } from '../staff/staff.scope.ts';

// Helpers for the loop tests (not a test file itself).

/** The whole app with the loop pages, mail recorded in memory. */
export async function loopsApp(): Promise<TestApp & { mail: RecordingMail }> {
  const mail = new RecordingMail();
  const t = await testApp({ deps: { mail } });
  return Object.assign(t, { mail });
}

/** A job written as the import does; answers its id. */
export async function addJob(db: Db, overrides: Partial<JobInput> = {}): Promise<number> {
  const { ids } = await createJobs({ db, inputs: [buildJob(overrides)] });
  return ids[0]!;
}

let applicants = 0;

/** A person (new, or the one given) applying to a job in `stage`; answers the application and person ids. */
export async function addApplication(db: Db, options: { jobId: number; stage?: string; name?: string; personId?: number }): Promise<{ id: number; personId: number; email: string; name: string }> {
  applicants += 1;
  const name = options.name ?? `Applicant ${applicants}`;
  let personId = options.personId;
  let email = '';
  if (personId === undefined) {
    email = `applicant.${applicants}.${randomUUID().slice(0, 8)}@example.com`;
    const [person] = await db.insert(people).values({ email, name }).returning({ id: people.id });
    personId = person!.id;
  }
  const [row] = await db
    .insert(applications)
    .values({ personId, jobId: options.jobId, stage: options.stage ?? 'phone_interview', idempotencyKey: randomUUID(), consentProcessing: true, confirmedAt: new Date() })
    .returning({ id: applications.id });
  await db.insert(applicationEvents).values({ applicationId: row!.id, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: personId });
  return { id: row!.id, personId, email, name };
}

export type Person = { id: number; email: string; name: string };

/**
 * A job of level 4 emphasizing three principles, with its hiring team (a hiring manager at
 * level 6, a recruiter, an interviewer on the team), and staff outside it: a certified bar
 * raiser at level 6, an interviewer at level 5, a junior at level 2, and an admin.
 */
export async function loopCast(db: Db, label: string) {
  const manager = await createStaff(db, { role: 'hiring_manager', name: `${label} Hana Manager`, level: 6 });
  const recruiter = await createStaff(db, { role: 'recruiter', name: `${label} Rui Recruiter`, level: 5 });
  const teamInterviewer = await createStaff(db, { role: 'interviewer', name: `${label} Tess Teammate`, level: 5 });
  const barRaiser = await createStaff(db, { role: 'interviewer', name: `${label} Bea Raiser`, level: 6, barRaiser: true });
  const interviewer = await createStaff(db, { role: 'interviewer', name: `${label} Ivo Interviewer`, level: 5 });
  const junior = await createStaff(db, { role: 'interviewer', name: `${label} Jo Junior`, level: 2 });
  const jobId = await addJob(db, { title: `${label} Engineer`, level: 4, principles: ['customer-obsession', 'ownership', 'dive-deep'] });
  await addToJobTeam(db, jobId, manager.id, 'hiring_manager');
  await addToJobTeam(db, jobId, recruiter.id, 'recruiter');
  await addToJobTeam(db, jobId, teamInterviewer.id, 'interviewer');
  return { jobId, manager, recruiter, teamInterviewer, barRaiser, interviewer, junior };
}

/** Posts a form whose names may repeat (checkboxes), as a browser does, with the client's session and last CSRF token. */
export async function postEntries(app: FastifyInstance, client: FormClient, url: string, entries: Array<[string, string]>): Promise<LightMyRequestResponse> {
  const form = new URLSearchParams([['_csrf', client.csrf], ...entries]);
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: client.ip,
    payload: form.toString(),
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    },
  });
}

/** The text of an HTML page with tags dropped and the entities React writes decoded, for matching sentences. */
export function pageText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * Gives a client the CSRF token of its staff session, as a page it may open would: for users the
 * policy refuses every loop page, so a 403 is the policy's and not a missing token's.
 */
export function giveCsrf(client: FormClient, secret: string): void {
  const sessionHash = hashToken(client.cookies.get(STAFF_COOKIE)!);
  client.csrf = createHmac('sha256', secret).update(`csrf\0session:${sessionHash}`).digest('base64url');
}
