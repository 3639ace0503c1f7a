import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applicationAnswers, applicationEvents, applications, auditEvents, authTokens, people, resumes } from '../../db/schema/index.ts';

const ACTIVE = sql`${applications.stage} not in ('hired', 'rejected', 'withdrawn')`;

export async function findApplicationByKey(db: Db, idempotencyKey: string) {
  const rows = await db
    .select({ id: applications.id, jobId: applications.jobId, personId: applications.personId })
    .from(applications)
    .where(eq(applications.idempotencyKey, idempotencyKey));
  return rows[0];
}

/** The person with this email (any letter case), created or brought up to date with what they just gave. */
export async function upsertPerson(
  tx: Db,
  person: { email: string; name: string; phone: string | null; location: string | null; links: Array<{ label: string; url: string }> },
): Promise<number> {
  const result = (await tx.execute(sql`
    insert into ${people} (email, name, phone, location, links)
    values (${person.email}, ${person.name}, ${person.phone}, ${person.location}, ${JSON.stringify(person.links)}::jsonb)
    on conflict (lower(email)) do update set
      name = excluded.name,
      phone = coalesce(excluded.phone, ${people.phone}),
      location = coalesce(excluded.location, ${people.location}),
      links = case when excluded.links = '[]'::jsonb then ${people.links} else excluded.links end,
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
