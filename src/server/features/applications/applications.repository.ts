import { and, isNotNull, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applicationAnswers, applicationEvents, applications, auditEvents, authTokens, jobs, people, resumes, selfIdentifications } from '../../db/schema/index.ts';

const ACTIVE = sql`${applications.stage} not in ('hired', 'rejected', 'withdrawn')`;

export async function findApplicationByKey(db: Db, idempotencyKey: string) {
  const rows = await db
    .select({ id: applications.id, jobId: applications.jobId, personId: applications.personId })
    .from(applications)
    .where(eq(applications.idempotencyKey, idempotencyKey));
  return rows[0];
}

/**
 * The person with this email (any letter case), created or brought up to date with what they
 * just gave — unless they have a confirmed account: then only they change their profile, so a
 * stranger who types their address cannot rewrite it.
 */
export async function upsertPerson(
  tx: Db,
  person: { email: string; name: string; phone: string | null; location: string | null; links: Array<{ label: string; url: string }> },
  options: { asThePersonSignedIn?: boolean } = {},
): Promise<number> {
  // A confirmed account's profile changes only through its owner (signed in as that person).
  const locked = options.asThePersonSignedIn
    ? sql`false`
    : sql`exists (select 1 from candidate_accounts ca where ca.person_id = people.id and ca.email_verified_at is not null)`;
  const result = (await tx.execute(sql`
    insert into ${people} (email, name, phone, location, links)
    values (${person.email}, ${person.name}, ${person.phone}, ${person.location}, ${JSON.stringify(person.links)}::jsonb)
    on conflict (lower(email)) do update set
      name = case when ${locked} then ${people.name} else excluded.name end,
      phone = case when ${locked} then ${people.phone} else coalesce(excluded.phone, ${people.phone}) end,
      location = case when ${locked} then ${people.location} else coalesce(excluded.location, ${people.location}) end,
      links = case when ${locked} or excluded.links = '[]'::jsonb then ${people.links} else excluded.links end,
      updated_at = now()
    returning id`)) as unknown as { rows: Array<{ id: number }> };
  return result.rows[0]!.id;
}

export async function findActiveApplication(db: Db, personId: number, jobId: number): Promise<number | undefined> {
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.personId, personId), eq(applications.jobId, jobId), ACTIVE));
  return rows[0]?.id;
}

export async function insertResume(tx: Db, resume: typeof resumes.$inferInsert): Promise<number> {
  const [row] = await tx.insert(resumes).values(resume).returning({ id: resumes.id });
  return row!.id;
}

export async function insertApplication(
  tx: Db,
  application: typeof applications.$inferInsert,
  answers: Array<{ questionId: number; value: unknown }>,
): Promise<number> {
  const [row] = await tx.insert(applications).values(application).returning({ id: applications.id });
  const id = row!.id;
  if (answers.length) await tx.insert(applicationAnswers).values(answers.map((a) => ({ applicationId: id, questionId: a.questionId, value: a.value })));
  await tx.insert(applicationEvents).values({ applicationId: id, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: application.personId });
  await tx.insert(auditEvents).values({
    actorType: 'candidate',
    actorId: application.personId,
    action: 'application.created',
    subjectType: 'application',
    subjectId: String(id),
    after: { jobId: application.jobId, stage: 'applied', source: application.source },
  });
  return id;
}

/** Stores self-identification answers apart: the job and the day only, never the person, the application or the time. */
export async function insertSelfIdentification(tx: Db, jobId: number, answers: Record<string, string>): Promise<void> {
  await tx.insert(selfIdentifications).values({ jobId, answers, createdAt: sql`date_trunc('day', now())` });
}

/** Stores a one-time token's hash for a person, for `purpose`, valid until `expiresAt`. */
export async function insertToken(db: Db, token: { tokenHash: string; purpose: string; personId: number; expiresAt: Date }): Promise<void> {
  await db.insert(authTokens).values(token);
}

/** Uses a one-time token: returns its person and purpose once, if it exists, is unused and unexpired. */
export async function useToken(tx: Db, tokenHash: string, purposePrefix: string): Promise<{ personId: number; purpose: string } | undefined> {
  const rows = await tx
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        isNull(authTokens.usedAt),
        sql`${authTokens.expiresAt} > now()`,
        sql`${authTokens.purpose} like ${`${purposePrefix}%`}`,
      ),
    )
    .returning({ personId: authTokens.personId, purpose: authTokens.purpose });
  return rows[0];
}

/** Marks applications confirmed by their candidate, with a timeline event and an audit event each. */
export async function confirmApplications(tx: Db, personId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .update(applications)
    .set({ confirmedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(inArray(applications.id, ids), eq(applications.personId, personId), isNull(applications.confirmedAt)))
    .returning({ id: applications.id });
  for (const { id } of rows) {
    await tx.insert(applicationEvents).values({ applicationId: id, kind: 'confirmed', actorType: 'candidate', actorId: personId });
    await tx.insert(auditEvents).values({ actorType: 'candidate', actorId: personId, action: 'application.confirmed', subjectType: 'application', subjectId: String(id) });
  }
  return rows.map((r) => r.id);
}

/** A person's applications, newest first, with the job's title and address. */
export async function listApplicationsOfPerson(db: Db, personId: number) {
  return db
    .select({ id: applications.id, jobId: jobs.id, jobSlug: jobs.slug, jobTitle: jobs.title, stage: applications.stage, createdAt: applications.createdAt })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    // Only applications the person confirmed (by link, or by applying signed in): one a stranger sent with their address never shows.
    .where(and(eq(applications.personId, personId), isNotNull(applications.confirmedAt)))
    .orderBy(desc(applications.createdAt), desc(applications.id));
}

/** The timeline events of these applications, oldest first. */
export async function listApplicationEvents(db: Db, applicationIds: number[]) {
  if (applicationIds.length === 0) return [];
  return db
    .select({ applicationId: applicationEvents.applicationId, at: applicationEvents.at, kind: applicationEvents.kind, toStage: applicationEvents.toStage })
    .from(applicationEvents)
    .where(inArray(applicationEvents.applicationId, applicationIds))
    .orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
}

/** One application of this person with its job, or undefined (also when it is someone else's). */
export async function findApplicationOfPerson(db: Db, personId: number, applicationId: number) {
  const rows = await db
    .select({ id: applications.id, jobId: jobs.id, jobSlug: jobs.slug, jobTitle: jobs.title, stage: applications.stage, createdAt: applications.createdAt })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.id, applicationId), eq(applications.personId, personId)));
  return rows[0];
}

/** The stage of this person's application, locking the row until the transaction ends. */
export async function lockApplicationStage(tx: Db, personId: number, applicationId: number): Promise<string | undefined> {
  const rows = await tx
    .select({ stage: applications.stage })
    .from(applications)
    .where(and(eq(applications.id, applicationId), eq(applications.personId, personId)))
    .for('update');
  return rows[0]?.stage;
}

/** Moves an application to `to` with its timeline event and audit event; the caller has checked the move. */
export async function moveApplication(
  tx: Db,
  move: { applicationId: number; from: string; to: string; kind: string; actor: { type: string; id: number | null }; action: string },
): Promise<void> {
  await tx.update(applications).set({ stage: move.to, updatedAt: sql`now()` }).where(eq(applications.id, move.applicationId));
  await tx.insert(applicationEvents).values({
    applicationId: move.applicationId,
    kind: move.kind,
    fromStage: move.from,
    toStage: move.to,
    actorType: move.actor.type,
    actorId: move.actor.id,
  });
  await tx.insert(auditEvents).values({
    actorType: move.actor.type,
    actorId: move.actor.id,
    action: move.action,
    subjectType: 'application',
    subjectId: String(move.applicationId),
    before: { stage: move.from },
    after: { stage: move.to },
  });
}

const resumeColumns = {
  id: resumes.id,
  filename: resumes.filename,
  contentType: resumes.contentType,
  size: resumes.size,
  storageKey: resumes.storageKey,
  createdAt: resumes.createdAt,
};

/** A person's resumes, newest first (without their text). */
export async function listResumesOfPerson(db: Db, personId: number) {
  // A resume sent with an unconfirmed application may be a stranger's: it is not offered back.
  const trusted = sql`not exists (select 1 from ${applications} a where a.resume_id = ${resumes.id} and a.confirmed_at is null)`;
  return db
    .select(resumeColumns)
    .from(resumes)
    .where(and(eq(resumes.personId, personId), trusted))
    .orderBy(desc(resumes.createdAt), desc(resumes.id));
}

/** One resume of this person, with its text (for pasted resumes, which have no file), or undefined. */
export async function findResumeOfPerson(db: Db, personId: number, resumeId: number) {
  const rows = await db
    .select({ ...resumeColumns, text: resumes.text })
    .from(resumes)
    .where(and(eq(resumes.id, resumeId), eq(resumes.personId, personId)));
  return rows[0];
}

/** Deletes a resume of this person; answers what it was, or undefined when there is none. Applications keep working (resume_id is set null). */
export async function deleteResumeOfPerson(tx: Db, personId: number, resumeId: number) {
  const rows = await tx
    .delete(resumes)
    .where(and(eq(resumes.id, resumeId), eq(resumes.personId, personId)))
    .returning({ id: resumes.id, filename: resumes.filename, storageKey: resumes.storageKey });
  return rows[0];
}

/** What a person told us about themselves. */
export async function findProfile(db: Db, personId: number) {
  const rows = await db
    .select({ email: people.email, name: people.name, phone: people.phone, location: people.location, links: people.links })
    .from(people)
    .where(eq(people.id, personId));
  return rows[0];
}

/** Replaces a person's name, phone, location and links; answers the values before. */
export async function updateProfile(
  tx: Db,
  personId: number,
  profile: { name: string; phone: string | null; location: string | null; links: Array<{ label: string; url: string }> },
) {
  const [before] = await tx
    .select({ name: people.name, phone: people.phone, location: people.location, links: people.links })
    .from(people)
    .where(eq(people.id, personId))
    .for('update');
  await tx.update(people).set({ ...profile, updatedAt: sql`now()` }).where(eq(people.id, personId));
  return before;
}

/** Writes one audit event. */
export async function insertAudit(tx: Db, event: typeof auditEvents.$inferInsert): Promise<void> {
  await tx.insert(auditEvents).values(event);
}

/** The email address of a person, or undefined. */
export async function findPersonEmail(db: Db, personId: number): Promise<string | undefined> {
  const rows = await db.select({ email: people.email }).from(people).where(eq(people.id, personId));
  return rows[0]?.email;
}
