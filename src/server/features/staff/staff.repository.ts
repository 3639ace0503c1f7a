import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications, auditEvents, interviews, jobTeam, jobs, loops, sessions, staffNotifications, staffUsers } from '../../db/schema/index.ts';
import type { StaffRole, TeamRole } from '../../../domain/policy.ts';

/** A staff session with its user, when the session exists, has not expired and the user is enabled. */
export async function findStaffSession(db: Db, tokenHash: string) {
  const [row] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      barRaiser: staffUsers.barRaiser,
      demo: staffUsers.demo,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(staffUsers, eq(staffUsers.id, sessions.subjectId))
    .where(and(eq(sessions.tokenHash, tokenHash), eq(sessions.kind, 'staff'), gt(sessions.expiresAt, sql`now()`), isNull(staffUsers.disabledAt)));
  return row ? { ...row, role: row.role as StaffRole } : undefined;
}

export async function insertStaffSession(db: Db, session: { tokenHash: string; userId: number; expiresAt: Date; userAgent: string | null }) {
  await db.insert(sessions).values({ tokenHash: session.tokenHash, kind: 'staff', subjectId: session.userId, expiresAt: session.expiresAt, userAgent: session.userAgent });
}

export async function slideStaffSession(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: sql`now()`, expiresAt }).where(and(eq(sessions.tokenHash, tokenHash), eq(sessions.kind, 'staff')));
}

export async function deleteStaffSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.tokenHash, tokenHash), eq(sessions.kind, 'staff')));
}

/** Ends every session of a staff user (role changed, disabled, signed out everywhere). */
export async function deleteStaffSessionsOf(tx: Db, userId: number): Promise<void> {
  await tx.delete(sessions).where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, userId)));
}

/** The user's place on a job's hiring team, or null; undefined when the job does not exist. */
export async function findJobTeamRole(db: Db, jobId: number, userId: number): Promise<{ teamRole: TeamRole | null } | undefined> {
  const [row] = await db
    .select({ id: jobs.id, teamRole: jobTeam.role })
    .from(jobs)
    .leftJoin(jobTeam, and(eq(jobTeam.jobId, jobs.id), eq(jobTeam.userId, userId)))
    .where(eq(jobs.id, jobId));
  return row ? { teamRole: (row.teamRole as TeamRole | null) ?? null } : undefined;
}

/** The job of an application and the user's place on its hiring team; undefined when the application does not exist. */
export async function findApplicationTeamRole(
  db: Db,
  applicationId: number,
  userId: number,
): Promise<{ jobId: number; teamRole: TeamRole | null } | undefined> {
  const [row] = await db
    .select({ jobId: applications.jobId, teamRole: jobTeam.role })
    .from(applications)
    .leftJoin(jobTeam, and(eq(jobTeam.jobId, applications.jobId), eq(jobTeam.userId, userId)))
    .where(eq(applications.id, applicationId));
  return row ? { jobId: row.jobId, teamRole: (row.teamRole as TeamRole | null) ?? null } : undefined;
}

/** The job of an interview, the user's place on its team, and whether the interview is theirs; undefined when it does not exist. */
export async function findInterviewAccess(
  db: Db,
  interviewId: number,
  userId: number,
): Promise<{ jobId: number; applicationId: number; teamRole: TeamRole | null; isInterviewer: boolean } | undefined> {
  const [row] = await db
    .select({ jobId: applications.jobId, applicationId: applications.id, teamRole: jobTeam.role, interviewerId: interviews.interviewerId })
    .from(interviews)
    .innerJoin(loops, eq(loops.id, interviews.loopId))
    .innerJoin(applications, eq(applications.id, loops.applicationId))
    .leftJoin(jobTeam, and(eq(jobTeam.jobId, applications.jobId), eq(jobTeam.userId, userId)))
    .where(eq(interviews.id, interviewId));
  return row
    ? { jobId: row.jobId, applicationId: row.applicationId, teamRole: (row.teamRole as TeamRole | null) ?? null, isInterviewer: row.interviewerId === userId }
    : undefined;
}

/** Whether the user is a member of the application's loop: one of its interviewers (bar raiser included) or its hiring manager. */
export async function isLoopMember(db: Db, applicationId: number, userId: number): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(loops)
    .leftJoin(interviews, and(eq(interviews.loopId, loops.id), eq(interviews.interviewerId, userId)))
    .where(and(eq(loops.applicationId, applicationId), sql`(${interviews.id} is not null or ${loops.hiringManagerId} = ${userId})`))
    .limit(1);
  return rows.length > 0;
}

export async function countUnreadNotifications(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(staffNotifications)
    .where(and(eq(staffNotifications.userId, userId), isNull(staffNotifications.readAt)));
  return Number(row?.n ?? 0);
}

/** What an audit event records of a staff change. */
export interface StaffAuditEvent {
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends an audit event; call it inside the transaction that makes the change. */
export async function recordStaffAudit(tx: Db, event: StaffAuditEvent): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: event.actorId === null ? 'system' : 'staff',
    actorId: event.actorId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId === null ? null : String(event.subjectId),
    before: event.before ?? null,
    after: event.after ?? null,
  });
}
