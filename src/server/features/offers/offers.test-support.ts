import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { FormClient } from '../../../../test/support/account-client.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { addToJobTeam, createStaff } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { JobInput } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { applicationEvents, applications, candidateAccounts, debriefs, loops, people, sessions } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import { hashToken, newToken, SESSION_COOKIE } from '../accounts/sessions.ts';

// Helpers for the offer tests (not a test file itself).

/** The whole app (buildApp wires the offer pages for staff and candidates) with mail recorded. */
export async function offersApp(): Promise<TestApp & { mail: RecordingMail }> {
  const mail = new RecordingMail();
  const t = await testApp({ deps: { mail } });
  return Object.assign(t, { mail });
}

/** A browser signed in as a candidate whose address is confirmed, by a session written straight to the database. */
export async function candidateClient(app: FastifyInstance, db: Db, personId: number, { verified = true } = {}): Promise<FormClient> {
  await db
    .insert(candidateAccounts)
    .values({ personId, emailVerifiedAt: verified ? new Date() : null })
    .onConflictDoNothing();
  const token = newToken();
  await db.insert(sessions).values({ tokenHash: hashToken(token), kind: 'candidate', subjectId: personId, expiresAt: new Date(Date.now() + 3600_000) });
  const client = new FormClient(app);
  client.cookies.set(SESSION_COOKIE, token);
  return client;
}

let people_ = 0;

/** A person applying to a job, the application at `stage` (the offer stage unless told). */
export async function addCandidate(db: Db, options: { jobId: number; name: string; stage?: string }): Promise<{ personId: number; applicationId: number; email: string; name: string }> {
  people_ += 1;
  const email = `candidate.${people_}.${randomUUID().slice(0, 8)}@example.com`;
  const [person] = await db.insert(people).values({ email, name: options.name }).returning({ id: people.id });
  const [row] = await db
    .insert(applications)
    .values({ personId: person!.id, jobId: options.jobId, stage: options.stage ?? 'offer', idempotencyKey: randomUUID(), consentProcessing: true, confirmedAt: new Date() })
    .returning({ id: applications.id });
  await db.insert(applicationEvents).values([
    { applicationId: row!.id, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: person!.id },
    { applicationId: row!.id, kind: 'moved', fromStage: 'applied', toStage: options.stage ?? 'offer', actorType: 'staff', actorId: null },
  ]);
  return { personId: person!.id, applicationId: row!.id, email, name: options.name };
}

/** A decided debrief for the application's loop: hire at `level`. */
export async function addHireDecision(db: Db, applicationId: number, level: number): Promise<void> {
  const [loop] = await db.insert(loops).values({ applicationId, status: 'decided' }).returning({ id: loops.id });
  await db.insert(debriefs).values({ loopId: loop!.id, decision: 'hire', decisionLevel: level, decidedAt: new Date() });
}

/**
 * A job of the default pack's first team ("amazon-web-services") with its hiring team — a hiring
 * manager, a recruiter and an interviewer — and a candidate whose application is at the offer stage.
 */
export async function offerCast(db: Db, label: string, overrides: Partial<JobInput> = {}) {
  const manager = await createStaff(db, { role: 'hiring_manager', name: `${label} Hana Manager` });
  const recruiter = await createStaff(db, { role: 'recruiter', name: `${label} Rui Recruiter` });
  const interviewer = await createStaff(db, { role: 'interviewer', name: `${label} Ivo Interviewer` });
  const { ids } = await createJobs({ db, inputs: [buildJob({ title: `${label} Platform Engineer`, level: 4, ...overrides })] });
  const jobId = ids[0]!;
  await addToJobTeam(db, jobId, manager.id, 'hiring_manager');
  await addToJobTeam(db, jobId, recruiter.id, 'recruiter');
  await addToJobTeam(db, jobId, interviewer.id, 'interviewer');
  return { jobId, manager, recruiter, interviewer };
}

/** The terms form as a recruiter fills it in. */
export function termsFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Senior Platform Engineer',
    level: '5',
    basePay: '185,000',
    currency: 'eur',
    payUnit: 'YEAR',
    startDate: '2031-02-03',
    signOnBonus: '20000',
    equity: '2,000 restricted stock units over four years',
    notes: 'Relocation to Dublin is paid, up to 10,000 EUR.',
    ...overrides,
  };
}

/** The text of an HTML page with tags dropped and the entities React writes decoded. */
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

/** The text of a PDF, as the resume reader extracts it. */
export async function pdfText(bytes: Buffer | Uint8Array): Promise<{ text: string; pages: number }> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text, totalPages } = await extractText(pdf, { mergePages: true });
  return { text, pages: totalPages };
}
