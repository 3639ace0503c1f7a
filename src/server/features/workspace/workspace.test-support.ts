import { randomUUID } from 'node:crypto';
import { buildJob } from '../../../../test/support/builders.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { JobInput } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { applicationEvents, applications, auditEvents, people } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import type { WorkspaceOptions } from './workspace.routes.ts';

// Helpers for the workspace's tests (not a test file itself).

/** The whole app with the workspace's pages, mail recorded in memory. */
export async function workspaceApp(options: WorkspaceOptions = {}): Promise<TestApp & { mail: RecordingMail }> {
  const mail = new RecordingMail();
  const t = await testApp({ deps: { staffWaiting: [...(options.waiting ?? [])], mail } });
  return Object.assign(t, { mail });
}

/** A job of the default content pack written as the import does; answers its id. */
export async function addJob(db: Db, overrides: Partial<JobInput> = {}): Promise<number> {
  const { ids } = await createJobs({ db, inputs: [buildJob(overrides)] });
  return ids[0]!;
}

let people_ = 0;

/** A person's application to a job in `stage`, with its "applied" event; answers the application id. */
export async function addApplication(db: Db, options: { jobId: number; stage?: string; name?: string; at?: Date }): Promise<number> {
  people_ += 1;
  const [person] = await db
    .insert(people)
    .values({ email: `applicant.${people_}.${randomUUID().slice(0, 8)}@example.com`, name: options.name ?? `Applicant ${people_}` })
    .returning({ id: people.id });
  const at = options.at ?? new Date();
  const [row] = await db
    .insert(applications)
    .values({ personId: person!.id, jobId: options.jobId, stage: options.stage ?? 'applied', idempotencyKey: randomUUID(), consentProcessing: true, confirmedAt: at, createdAt: at })
    .returning({ id: applications.id });
  await db.insert(applicationEvents).values({ applicationId: row!.id, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: person!.id, at });
  return row!.id;
}

/** Appends audit events straight to the log, as the features that record them do. */
export async function appendAudit(db: Db, events: Array<Partial<typeof auditEvents.$inferInsert> & { action: string }>): Promise<void> {
  await db.insert(auditEvents).values(events.map((e) => ({ actorType: 'system', subjectType: 'test', ...e })));
}

/** Every audit event as stored, for comparing before and after. */
export async function snapshotAudit(db: Db) {
  return db.select().from(auditEvents).orderBy(auditEvents.id);
}
