import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Stage } from '../../../domain/pipeline.ts';
import type { RetentionFacts } from '../../../domain/retention.ts';
import type { Db } from '../../db/client.ts';
import {
  applicationAnswers,
  applicationEvents,
  applications,
  auditEvents,
  authTokens,
  candidateAccounts,
  jobAlerts,
  jobQuestions,
  jobs,
  mailMessages,
  people,
  resumes,
  savedJobs,
  sessions,
} from '../../db/schema/index.ts';

/** The person row, locked until the transaction ends so two erasures (or an apply) cannot interleave. */
export async function lockPerson(tx: Db, personId: number): Promise<{ email: string; anonymizedAt: Date | null } | undefined> {
  const result = (await tx.execute(sql`select email, anonymized_at from ${people} where id = ${personId} for update`)) as unknown as {
    rows: Array<{ email: string; anonymized_at: Date | string | null }>;
  };
  const row = result.rows[0];
  return row ? { email: row.email, anonymizedAt: row.anonymized_at === null ? null : new Date(row.anonymized_at) } : undefined;
}

/** Deletes everything personal of a person but the person row and their applications; returns the resume files to delete. */
export async function deletePersonalRows(tx: Db, personId: number, email: string): Promise<{ storageKeys: string[]; applications: number; resumes: number; mail: number }> {
  const apps = await tx.select({ id: applications.id }).from(applications).where(eq(applications.personId, personId));
  const ids = apps.map((a) => a.id);
  if (ids.length) await tx.delete(applicationAnswers).where(inArray(applicationAnswers.applicationId, ids));
  // The answers are gone; the applications stay as anonymous rows (stage, job, dates) so counts survive.
  if (ids.length) await tx.update(applications).set({ resumeId: null }).where(inArray(applications.id, ids));
  const removed = await tx.delete(resumes).where(eq(resumes.personId, personId)).returning({ storageKey: resumes.storageKey });
  await tx.delete(savedJobs).where(eq(savedJobs.personId, personId));
  await tx.delete(jobAlerts).where(eq(jobAlerts.personId, personId));
  await tx.delete(authTokens).where(eq(authTokens.personId, personId));
  await tx.delete(sessions).where(and(eq(sessions.kind, 'candidate'), eq(sessions.subjectId, personId)));
  await tx.delete(candidateAccounts).where(eq(candidateAccounts.personId, personId));
  const mail = await tx.delete(mailMessages).where(sql`lower(${mailMessages.toAddress}) = lower(${email})`).returning({ id: mailMessages.id });
  // Audit events stay (who did what, when), but the values they recorded about the person go:
  // a profile change keeps only that it happened, not the old and new name or phone.
  await tx.execute(sql`
    update audit_events set before = null, after = null
    where (subject_type = 'person' and subject_id = ${String(personId)})
       or (actor_type = 'candidate' and actor_id = ${personId})
       or (subject_type = 'application' and subject_id in (select id::text from applications where person_id = ${personId}))`);
  return {
    storageKeys: removed.flatMap((r) => (r.storageKey ? [r.storageKey] : [])),
    applications: ids.length,
    resumes: removed.length,
    mail: mail.length,
  };
}

/**
 * Withdraws the person's open applications, with a timeline event each, so that staff
 * pipelines hold no one who asked to be forgotten. Returns how many there were.
 */
export async function withdrawActiveApplications(tx: Db, personId: number, actor: 'candidate' | 'system'): Promise<number> {
  const result = (await tx.execute(sql`
    with open as (
      select id, stage from ${applications}
      where person_id = ${personId} and stage not in ('hired', 'rejected', 'withdrawn')
      for update
    ), moved as (
      update ${applications} a set stage = 'withdrawn', updated_at = now()
      from open where a.id = open.id
      returning a.id, open.stage as from_stage
    )
    insert into ${applicationEvents} (application_id, kind, from_stage, to_stage, actor_type, actor_id)
    select id, 'withdrawn', from_stage, 'withdrawn', ${actor}, ${actor === 'candidate' ? personId : null}::int from moved
    returning application_id`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}

/** Replaces what identifies the person; the row stays so applications keep their person. */
export async function anonymizePerson(tx: Db, personId: number): Promise<void> {
  await tx
    .update(people)
    .set({ email: `erased-${personId}@invalid`, name: '', phone: null, location: null, links: [], anonymizedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(people.id, personId));
}

/** An audit event about a person that carries no personal data. */
export async function insertPersonAudit(
  tx: Db,
  event: { action: string; personId: number; actor: 'candidate' | 'system'; after?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: event.actor,
    actorId: event.actor === 'candidate' ? event.personId : null,
    action: event.action,
    subjectType: 'person',
    subjectId: String(event.personId),
    after: event.after ?? null,
  });
}

// ── Export ──────────────────────────────────────────────────────────────────

export async function findPersonForExport(db: Db, personId: number) {
  const [row] = await db
    .select({
      email: people.email,
      name: people.name,
      phone: people.phone,
      location: people.location,
      links: people.links,
      createdAt: people.createdAt,
      updatedAt: people.updatedAt,
      accountCreatedAt: candidateAccounts.createdAt,
      emailVerifiedAt: candidateAccounts.emailVerifiedAt,
      hasPassword: sql<boolean>`${candidateAccounts.passwordHash} is not null`,
    })
    .from(people)
    .leftJoin(candidateAccounts, eq(candidateAccounts.personId, people.id))
    .where(and(eq(people.id, personId), isNull(people.anonymizedAt)));
  return row;
}

export async function findApplicationsForExport(db: Db, personId: number) {
  return db
    .select({
      id: applications.id,
      jobId: applications.jobId,
      jobTitle: jobs.title,
      requisitionId: jobs.requisitionId,
      stage: applications.stage,
      source: applications.source,
      resumeId: applications.resumeId,
      consentProcessing: applications.consentProcessing,
      consentTalentPool: applications.consentTalentPool,
      confirmedAt: applications.confirmedAt,
      createdAt: applications.createdAt,
      updatedAt: applications.updatedAt,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(applications.personId, personId))
    .orderBy(asc(applications.id));
}

export async function findAnswersForExport(db: Db, applicationIds: number[]) {
  if (applicationIds.length === 0) return [];
  return db
    .select({ applicationId: applicationAnswers.applicationId, question: jobQuestions.label, value: applicationAnswers.value })
    .from(applicationAnswers)
    .innerJoin(jobQuestions, eq(jobQuestions.id, applicationAnswers.questionId))
    .where(inArray(applicationAnswers.applicationId, applicationIds))
    .orderBy(asc(applicationAnswers.applicationId), asc(jobQuestions.position));
}

export async function findEventsForExport(db: Db, applicationIds: number[]) {
  if (applicationIds.length === 0) return [];
  return db
    .select({ applicationId: applicationEvents.applicationId, at: applicationEvents.at, kind: applicationEvents.kind, fromStage: applicationEvents.fromStage, toStage: applicationEvents.toStage })
    .from(applicationEvents)
    .where(inArray(applicationEvents.applicationId, applicationIds))
    .orderBy(asc(applicationEvents.applicationId), asc(applicationEvents.at), asc(applicationEvents.id));
}

export async function findSavedJobsForExport(db: Db, personId: number) {
  return db
    .select({ jobId: savedJobs.jobId, jobTitle: jobs.title, savedAt: savedJobs.savedAt })
    .from(savedJobs)
    .innerJoin(jobs, eq(jobs.id, savedJobs.jobId))
    .where(eq(savedJobs.personId, personId))
    .orderBy(asc(savedJobs.savedAt));
}

export async function findAlertsForExport(db: Db, personId: number) {
  return db
    .select({ query: jobAlerts.query, frequency: jobAlerts.frequency, lastSentAt: jobAlerts.lastSentAt, createdAt: jobAlerts.createdAt })
    .from(jobAlerts)
    .where(eq(jobAlerts.personId, personId))
    .orderBy(asc(jobAlerts.id));
}

export async function findResumesForExport(db: Db, personId: number) {
  return db
    .select({ id: resumes.id, filename: resumes.filename, contentType: resumes.contentType, size: resumes.size, storageKey: resumes.storageKey, text: resumes.text, createdAt: resumes.createdAt })
    .from(resumes)
    .where(eq(resumes.personId, personId))
    .orderBy(asc(resumes.id));
}

// ── Retention ───────────────────────────────────────────────────────────────

/**
 * The facts of every person not yet anonymized whose applications were all last changed
 * before `cutoff`: the only people the rule could erase. The rule itself decides.
 */
export async function findRetentionCandidates(db: Db, cutoff: Date): Promise<Array<{ personId: number; facts: RetentionFacts }>> {
  const result = (await db.execute(sql`
    select p.id, p.legal_hold, p.anonymized_at,
           coalesce(json_agg(json_build_object('stage', a.stage, 'updatedAtMs', floor(extract(epoch from a.updated_at) * 1000)) order by a.id), '[]'::json) as applications,
           bool_or(a.consent_talent_pool) as talent_pool
    from ${people} p
    join ${applications} a on a.person_id = p.id
    where p.anonymized_at is null
    group by p.id
    having max(a.updated_at) < ${cutoff.toISOString()}::timestamptz
    order by p.id`)) as unknown as {
    rows: Array<{ id: number; legal_hold: boolean; anonymized_at: unknown; applications: Array<{ stage: string; updatedAtMs: number }> | string; talent_pool: boolean }>;
  };
  return result.rows.map((row) => {
    const apps = typeof row.applications === 'string' ? (JSON.parse(row.applications) as Array<{ stage: string; updatedAtMs: number }>) : row.applications;
    return {
      personId: Number(row.id),
      facts: {
        applications: apps.map((a) => ({ stage: a.stage as Stage, updatedAt: new Date(Number(a.updatedAtMs)) })),
        talentPoolConsent: row.talent_pool === true,
        legalHold: row.legal_hold === true,
        anonymized: row.anonymized_at !== null,
      },
    };
  });
}
