import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  applicationEvents,
  applicationNotes,
  applications,
  jobEvents,
  jobs,
  jobTeam,
  people,
  principles,
  resumes,
  staffNotifications,
  staffUsers,
  teams,
} from '../../db/schema/index.ts';

// SQL of the staff home page and the notifications page. Lists of jobs follow the policy's
// rule for lists: admins see every job, everyone else only the jobs whose team they are on.

/** Only rows of jobs whose hiring team has `userId` on it; no condition at all when `all`. */
function onTeamOf(jobId: SQL | typeof jobs.id, userId: number, all: boolean): SQL | undefined {
  if (all) return undefined;
  return sql`exists (select 1 from ${jobTeam} where ${jobTeam.jobId} = ${jobId} and ${jobTeam.userId} = ${userId})`;
}

/** Jobs waiting for approval, oldest first, each with the user's place on its team (null when not on it). */
export async function listPendingJobs(db: Db, options: { userId: number; all: boolean }) {
  return db
    .select({ id: jobs.id, title: jobs.title, requisitionId: jobs.requisitionId, updatedAt: jobs.updatedAt, teamRole: jobTeam.role })
    .from(jobs)
    .leftJoin(jobTeam, and(eq(jobTeam.jobId, jobs.id), eq(jobTeam.userId, options.userId)))
    .where(and(eq(jobs.status, 'pending_approval'), options.all ? undefined : sql`${jobTeam.userId} is not null`))
    .orderBy(jobs.updatedAt, jobs.id)
    .limit(100);
}

/** Applications in `stages` per job and stage, on the jobs where the user holds one of `teamRoles`. */
export async function countApplicationsInStages(db: Db, options: { userId: number; teamRoles: readonly string[]; stages: readonly string[] }) {
  const rows = await db
    .select({ jobId: jobs.id, title: jobs.title, status: jobs.status, teamRole: jobTeam.role, stage: applications.stage, n: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(jobTeam, and(eq(jobTeam.jobId, jobs.id), eq(jobTeam.userId, options.userId)))
    .where(and(inArray(jobTeam.role, [...options.teamRoles]), inArray(applications.stage, [...options.stages])))
    .groupBy(jobs.id, jobs.title, jobs.status, jobTeam.role, applications.stage)
    .orderBy(jobs.title, jobs.id);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The newest lifecycle events of the jobs the user may list, with the actor's name. */
export async function listRecentJobEvents(db: Db, options: { userId: number; all: boolean; limit: number }) {
  return db
    .select({
      id: jobEvents.id,
      at: jobEvents.at,
      action: jobEvents.action,
      fromStatus: jobEvents.fromStatus,
      toStatus: jobEvents.toStatus,
      comment: jobEvents.comment,
      actorName: staffUsers.name,
      jobId: jobs.id,
      jobTitle: jobs.title,
    })
    .from(jobEvents)
    .innerJoin(jobs, eq(jobs.id, jobEvents.jobId))
    .leftJoin(staffUsers, eq(staffUsers.id, jobEvents.actorId))
    .where(onTeamOf(jobs.id, options.userId, options.all))
    .orderBy(desc(jobEvents.at), desc(jobEvents.id))
    .limit(options.limit);
}

/**
 * The newest timeline events of applications to the jobs the user may list, with who acted
 * (a member of staff by name, else the candidate) and what decides whether the candidate's
 * name may be shown (anonymized screening).
 */
export async function listRecentApplicationEvents(db: Db, options: { userId: number; all: boolean; limit: number }) {
  return db
    .select({
      id: applicationEvents.id,
      at: applicationEvents.at,
      kind: applicationEvents.kind,
      fromStage: applicationEvents.fromStage,
      toStage: applicationEvents.toStage,
      actorType: applicationEvents.actorType,
      detail: applicationEvents.detail,
      staffName: staffUsers.name,
      applicationId: applications.id,
      stage: applications.stage,
      personName: people.name,
      jobId: jobs.id,
      jobTitle: jobs.title,
      anonymizedScreening: jobs.anonymizedScreening,
    })
    .from(applicationEvents)
    .innerJoin(applications, eq(applications.id, applicationEvents.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(people, eq(people.id, applications.personId))
    .leftJoin(staffUsers, and(eq(applicationEvents.actorType, 'staff'), eq(staffUsers.id, applicationEvents.actorId)))
    .where(onTeamOf(jobs.id, options.userId, options.all))
    .orderBy(desc(applicationEvents.at), desc(applicationEvents.id))
    .limit(options.limit);
}

const notificationColumns = {
  id: staffNotifications.id,
  kind: staffNotifications.kind,
  text: staffNotifications.text,
  href: staffNotifications.href,
  readAt: staffNotifications.readAt,
  createdAt: staffNotifications.createdAt,
};

/** A user's notifications, newest first. */
export async function listNotifications(db: Db, options: { userId: number; limit: number; offset: number }) {
  return db
    .select(notificationColumns)
    .from(staffNotifications)
    .where(eq(staffNotifications.userId, options.userId))
    .orderBy(desc(staffNotifications.createdAt), desc(staffNotifications.id))
    .limit(options.limit)
    .offset(options.offset);
}

export async function countNotifications(db: Db, userId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(staffNotifications).where(eq(staffNotifications.userId, userId));
  return Number(row?.n ?? 0);
}

/** Marks one of the user's notifications read; false when the user has no notification with that id. */
export async function markNotificationRead(db: Db, userId: number, id: number): Promise<boolean> {
  // coalesce keeps the first time it was read; the row still comes back, so "already read" is not "not yours".
  const rows = await db
    .update(staffNotifications)
    .set({ readAt: sql`coalesce(${staffNotifications.readAt}, now())` })
    .where(and(eq(staffNotifications.id, id), eq(staffNotifications.userId, userId)))
    .returning({ id: staffNotifications.id });
  return rows.length > 0;
}

/** Marks every unread notification of the user read; returns how many. */
export async function markAllNotificationsRead(db: Db, userId: number): Promise<number> {
  const rows = await db
    .update(staffNotifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(staffNotifications.userId, userId), isNull(staffNotifications.readAt)))
    .returning({ id: staffNotifications.id });
  return rows.length;
}

// The demo workspace (demo-workspace.ts): plain inserts, called inside its one transaction.

export async function countStaffUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(staffUsers);
  return Number(row?.n ?? 0);
}

/** Waits, until the transaction ends, for any other process seeding the demo workspace. */
export async function lockDemoSeed(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7240012)`);
}

/** Teams and principles of the loaded content, in the pack's order. */
export async function listPackEntries(db: Db) {
  const [teamRows, principleRows] = await Promise.all([
    db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams).orderBy(teams.position, teams.id),
    db.select({ id: principles.id, slug: principles.slug, name: principles.name }).from(principles).orderBy(principles.position, principles.id),
  ]);
  return { teams: teamRows, principles: principleRows };
}

export async function insertStaffUser(tx: Db, user: typeof staffUsers.$inferInsert): Promise<number> {
  const [row] = await tx.insert(staffUsers).values(user).returning({ id: staffUsers.id });
  return row!.id;
}

export async function insertJobTeam(tx: Db, rows: Array<typeof jobTeam.$inferInsert>): Promise<void> {
  if (rows.length) await tx.insert(jobTeam).values(rows);
}

export async function insertJobEvents(tx: Db, rows: Array<typeof jobEvents.$inferInsert>): Promise<void> {
  if (rows.length) await tx.insert(jobEvents).values(rows);
}

/** Dates a job back to when its history says it was created and last changed. */
export async function setJobDates(tx: Db, jobId: number, dates: { createdAt: Date; updatedAt: Date }): Promise<void> {
  await tx.update(jobs).set(dates).where(eq(jobs.id, jobId));
}

/** The person with this email (any letter case), added when there is none. */
export async function findOrInsertPerson(tx: Db, person: { email: string; name: string; phone: string | null; location: string | null; createdAt: Date }): Promise<number> {
  await tx.insert(people).values(person).onConflictDoNothing();
  const [row] = await tx.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = lower(${person.email})`);
  return row!.id;
}

export async function insertPastedResume(tx: Db, resume: { personId: number; text: string; createdAt: Date }): Promise<number> {
  const [row] = await tx
    .insert(resumes)
    .values({ personId: resume.personId, filename: 'Pasted resume', contentType: 'text/plain', size: Buffer.byteLength(resume.text), storageKey: null, text: resume.text, createdAt: resume.createdAt })
    .returning({ id: resumes.id });
  return row!.id;
}

export async function insertApplicationRow(tx: Db, application: typeof applications.$inferInsert): Promise<number> {
  const [row] = await tx.insert(applications).values(application).returning({ id: applications.id });
  return row!.id;
}

export async function insertApplicationEvents(tx: Db, rows: Array<typeof applicationEvents.$inferInsert>): Promise<void> {
  if (rows.length) await tx.insert(applicationEvents).values(rows);
}

export async function insertNotes(tx: Db, rows: Array<typeof applicationNotes.$inferInsert>): Promise<void> {
  if (rows.length) await tx.insert(applicationNotes).values(rows);
}

export async function insertNotifications(tx: Db, rows: Array<typeof staffNotifications.$inferInsert>): Promise<void> {
  if (rows.length) await tx.insert(staffNotifications).values(rows);
}
