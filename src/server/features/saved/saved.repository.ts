import { and, asc, desc, eq, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { candidateAccounts, jobAlerts, jobs, people, savedJobs } from '../../db/schema/index.ts';
import { isPublic } from '../jobs/jobs.repository.ts';

/** Saves a job for a person; false when it was saved already. */
export async function insertSavedJob(tx: Db, personId: number, jobId: number): Promise<boolean> {
  const rows = await tx.insert(savedJobs).values({ personId, jobId }).onConflictDoNothing().returning({ jobId: savedJobs.jobId });
  return rows.length > 0;
}

/** Removes a person's saved job; false when they had not saved it. */
export async function deleteSavedJob(tx: Db, personId: number, jobId: number): Promise<boolean> {
  const rows = await tx
    .delete(savedJobs)
    .where(and(eq(savedJobs.personId, personId), eq(savedJobs.jobId, jobId)))
    .returning({ jobId: savedJobs.jobId });
  return rows.length > 0;
}

/** A person's saved jobs, most recently saved first, each with whether anyone may still see it. */
export function findSavedJobs(db: Db, personId: number) {
  return db
    .select({ id: jobs.id, slug: jobs.slug, title: jobs.title, savedAt: savedJobs.savedAt, open: sql<boolean>`${isPublic}` })
    .from(savedJobs)
    .innerJoin(jobs, eq(jobs.id, savedJobs.jobId))
    .where(eq(savedJobs.personId, personId))
    .orderBy(desc(savedJobs.savedAt), desc(jobs.id));
}

/** A job by id with whether it is public, or undefined. */
export async function findJobForSaving(db: Db, jobId: number) {
  const rows = await db.select({ id: jobs.id, slug: jobs.slug, title: jobs.title, open: sql<boolean>`${isPublic}` }).from(jobs).where(eq(jobs.id, jobId));
  return rows[0];
}

export type AlertRow = typeof jobAlerts.$inferSelect;

export async function insertAlert(tx: Db, values: { personId: number; query: string; frequency: string }): Promise<AlertRow> {
  const [row] = await tx.insert(jobAlerts).values(values).returning();
  return row!;
}

/** Deletes an alert of this person (or of anyone, when personId is null); the deleted row or undefined. */
export async function deleteAlert(tx: Db, id: number, personId: number | null): Promise<AlertRow | undefined> {
  const rows = await tx
    .delete(jobAlerts)
    .where(and(eq(jobAlerts.id, id), personId === null ? undefined : eq(jobAlerts.personId, personId)))
    .returning();
  return rows[0];
}

export function findAlerts(db: Db, personId: number): Promise<AlertRow[]> {
  return db.select().from(jobAlerts).where(eq(jobAlerts.personId, personId)).orderBy(asc(jobAlerts.id));
}

export async function findAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  const rows = await db.select().from(jobAlerts).where(eq(jobAlerts.id, id));
  return rows[0];
}

/**
 * Alerts of a frequency not sent since `since`, with their person's address; only confirmed
 * addresses get digests, so an account opened with someone else's address sends them nothing.
 */
export function findDueAlerts(db: Db, frequency: string, since: Date) {
  return db
    .select({ id: jobAlerts.id, personId: jobAlerts.personId, query: jobAlerts.query, lastSentAt: jobAlerts.lastSentAt, email: people.email })
    .from(jobAlerts)
    .innerJoin(people, eq(people.id, jobAlerts.personId))
    .innerJoin(candidateAccounts, eq(candidateAccounts.personId, jobAlerts.personId))
    .where(and(eq(jobAlerts.frequency, frequency), lt(jobAlerts.lastSentAt, since), isNotNull(candidateAccounts.emailVerifiedAt)))
    .orderBy(asc(jobAlerts.id));
}

/**
 * Marks an alert sent at `to`, only if it is still due (not sent since `since`): the one update
 * that decides which run sends this digest, so two runs at once never both send it.
 */
export async function claimAlert(db: Db, id: number, since: Date, to: Date): Promise<boolean> {
  const rows = await db
    .update(jobAlerts)
    .set({ lastSentAt: to })
    .where(and(eq(jobAlerts.id, id), lt(jobAlerts.lastSentAt, since)))
    .returning({ id: jobAlerts.id });
  return rows.length > 0;
}
