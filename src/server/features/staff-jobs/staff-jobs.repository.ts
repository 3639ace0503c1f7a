import { and, asc, desc, eq, exists, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  applicationAnswers,
  applications,
  jobEvents,
  jobQuestions,
  jobs,
  jobTeam,
  staffNotifications,
  staffUsers,
  teams,
} from '../../db/schema/index.ts';
import type { StaffRole, TeamRole } from '../../../domain/policy.ts';
import type { JobStatus, QuestionKind } from '../../../shared/contracts/jobs.ts';

// SQL of the staff job pages: lists, history, hiring teams, questions with answers, notifications.

/** One row of the staff job list. */
export interface StaffJobListRow {
  id: number;
  requisitionId: string;
  title: string;
  status: JobStatus;
  teamName: string;
  hiringManagers: string[];
  applications: number;
  updatedAt: Date;
}

/** The escaped pattern of a word for ILIKE: `%` and `_` typed by a person match themselves. */
const containing = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A page of the jobs a member of staff may see (`memberId`: only jobs whose hiring team they
 * are on; undefined: every job), newest change first, with the total.
 */
export async function listStaffJobs(
  db: Db,
  options: { memberId: number | undefined; status: JobStatus | undefined; words: string[]; limit: number; offset: number },
): Promise<{ rows: StaffJobListRow[]; total: number }> {
  const conditions: Array<SQL | undefined> = [
    options.memberId === undefined
      ? undefined
      : exists(db.select({ one: sql`1` }).from(jobTeam).where(and(eq(jobTeam.jobId, jobs.id), eq(jobTeam.userId, options.memberId)))),
    options.status ? eq(jobs.status, options.status) : undefined,
    ...options.words.map((word) => ilike(jobs.title, containing(word))),
  ];
  const where = and(...conditions);
  const [rows, counted] = await Promise.all([
    db
      .select({
        id: jobs.id,
        requisitionId: jobs.requisitionId,
        title: jobs.title,
        status: jobs.status,
        teamName: teams.name,
        hiringManagers: sql<string[]>`array(
          select ${staffUsers.name} from ${jobTeam} join ${staffUsers} on ${staffUsers.id} = ${jobTeam.userId}
          where ${jobTeam.jobId} = ${jobs.id} and ${jobTeam.role} = 'hiring_manager' order by ${staffUsers.name})`,
        applications: sql<number>`(select count(*)::int from ${applications} where ${applications.jobId} = ${jobs.id})`,
        updatedAt: jobs.updatedAt,
      })
      .from(jobs)
      .innerJoin(teams, eq(teams.id, jobs.teamId))
      .where(where)
      .orderBy(desc(jobs.updatedAt), desc(jobs.id))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, status: r.status as JobStatus, applications: Number(r.applications), hiringManagers: r.hiringManagers ?? [] })),
    total: Number(counted[0]?.n ?? 0),
  };
}

/** What the staff pages need of a job besides its public fields. */
export interface JobState {
  id: number;
  title: string;
  status: JobStatus;
  postedAt: Date | null;
  anonymizedScreening: boolean;
  createdAt: Date;
}

const stateColumns = {
  id: jobs.id,
  title: jobs.title,
  status: jobs.status,
  postedAt: jobs.postedAt,
  anonymizedScreening: jobs.anonymizedScreening,
  createdAt: jobs.createdAt,
};

export async function findJobState(db: Db, id: number): Promise<JobState | undefined> {
  const [row] = await db.select(stateColumns).from(jobs).where(eq(jobs.id, id));
  return row ? { ...row, status: row.status as JobStatus } : undefined;
}

/** The job's state, its row locked until the transaction ends, so two changes of one job run one after the other. */
export async function lockJobState(tx: Db, id: number): Promise<JobState | undefined> {
  const [row] = await tx.select(stateColumns).from(jobs).where(eq(jobs.id, id)).for('update');
  return row ? { ...row, status: row.status as JobStatus } : undefined;
}

/** Sets a job's status; `post` also dates it posted now when it never was. */
export async function setJobStatus(tx: Db, id: number, status: JobStatus, options: { post: boolean }): Promise<void> {
  await tx
    .update(jobs)
    .set({ status, updatedAt: sql`now()`, ...(options.post ? { postedAt: sql`coalesce(${jobs.postedAt}, now())` } : {}) })
    .where(eq(jobs.id, id));
}

/** Marks a job as changed (its principles or questions) without rewriting its row. */
export async function touchJob(tx: Db, id: number): Promise<void> {
  await tx.update(jobs).set({ updatedAt: sql`now()` }).where(eq(jobs.id, id));
}

/** A member of a job's hiring team. */
export interface TeamMember {
  userId: number;
  name: string;
  email: string;
  role: StaffRole;
  teamRole: TeamRole;
}

const TEAM_ORDER = sql`case ${jobTeam.role} when 'hiring_manager' then 0 when 'recruiter' then 1 else 2 end`;

export async function findHiringTeam(db: Db, jobId: number): Promise<TeamMember[]> {
  const rows = await db
    .select({ userId: jobTeam.userId, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role, teamRole: jobTeam.role })
    .from(jobTeam)
    .innerJoin(staffUsers, eq(staffUsers.id, jobTeam.userId))
    .where(eq(jobTeam.jobId, jobId))
    .orderBy(TEAM_ORDER, asc(staffUsers.name));
  return rows.map((r) => ({ ...r, role: r.role as StaffRole, teamRole: r.teamRole as TeamRole }));
}

/** Replaces a job's hiring team. */
export async function replaceHiringTeam(tx: Db, jobId: number, members: Array<{ userId: number; teamRole: TeamRole }>): Promise<void> {
  await tx.delete(jobTeam).where(eq(jobTeam.jobId, jobId));
  if (members.length) await tx.insert(jobTeam).values(members.map((m) => ({ jobId, userId: m.userId, role: m.teamRole })));
}

/** Enabled staff, by name: who may be put on a hiring team. */
export async function findEnabledStaff(db: Db): Promise<Array<{ id: number; name: string; email: string; role: StaffRole }>> {
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
  return rows.map((r) => ({ ...r, role: r.role as StaffRole }));
}

/** Categories jobs already use, for the form's suggestions. */
export async function findCategories(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ category: jobs.category }).from(jobs).orderBy(asc(jobs.category)).limit(200);
  return rows.map((r) => r.category);
}

/** One step of a job's history. */
export interface JobEventRow {
  id: number;
  at: Date;
  actorName: string | null;
  action: string;
  fromStatus: JobStatus | null;
  toStatus: JobStatus | null;
  comment: string | null;
}

export async function findJobEvents(db: Db, jobId: number): Promise<JobEventRow[]> {
  const rows = await db
    .select({
      id: jobEvents.id,
      at: jobEvents.at,
      actorName: staffUsers.name,
      action: jobEvents.action,
      fromStatus: jobEvents.fromStatus,
      toStatus: jobEvents.toStatus,
      comment: jobEvents.comment,
    })
    .from(jobEvents)
    .leftJoin(staffUsers, eq(staffUsers.id, jobEvents.actorId))
    .where(eq(jobEvents.jobId, jobId))
    .orderBy(asc(jobEvents.at), asc(jobEvents.id));
  return rows.map((r) => ({ ...r, fromStatus: r.fromStatus as JobStatus | null, toStatus: r.toStatus as JobStatus | null }));
}

export async function insertJobEvent(
  tx: Db,
  event: { jobId: number; actorId: number; action: string; fromStatus: JobStatus | null; toStatus: JobStatus | null; comment?: string | null },
): Promise<void> {
  await tx.insert(jobEvents).values({ ...event, comment: event.comment || null });
}

/** Who last submitted the job for approval, if anyone. */
export async function findLastSubmitter(tx: Db, jobId: number): Promise<number | undefined> {
  const [row] = await tx
    .select({ actorId: jobEvents.actorId })
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.action, 'submitted')))
    .orderBy(desc(jobEvents.at), desc(jobEvents.id))
    .limit(1);
  return row?.actorId ?? undefined;
}

/** A job's screening questions, in order, with how many answers each has. */
export async function findQuestionsWithAnswers(
  db: Db,
  jobId: number,
): Promise<Array<{ id: number; label: string; kind: QuestionKind; required: boolean; options: string[]; answers: number }>> {
  const rows = await db
    .select({
      id: jobQuestions.id,
      label: jobQuestions.label,
      kind: jobQuestions.kind,
      required: jobQuestions.required,
      options: jobQuestions.options,
      answers: sql<number>`(select count(*)::int from ${applicationAnswers} where ${applicationAnswers.questionId} = ${jobQuestions.id})`,
    })
    .from(jobQuestions)
    .where(eq(jobQuestions.jobId, jobId))
    .orderBy(asc(jobQuestions.position), asc(jobQuestions.id));
  return rows.map((r) => ({ ...r, kind: r.kind as QuestionKind, answers: Number(r.answers) }));
}

/**
 * Writes a job's questions as the form left them: rows with an id are updated in place (so
 * answers keep pointing at them), new rows inserted, `removeIds` deleted. Positions follow the
 * order given.
 */
export async function saveQuestions(
  tx: Db,
  jobId: number,
  questions: Array<{ id: number | null; label: string; kind: QuestionKind; required: boolean; options: string[] }>,
  removeIds: number[],
): Promise<void> {
  if (removeIds.length) await tx.delete(jobQuestions).where(and(eq(jobQuestions.jobId, jobId), inArray(jobQuestions.id, removeIds)));
  for (const [position, q] of questions.entries()) {
    const values = { position, label: q.label, kind: q.kind, required: q.required, options: q.options };
    if (q.id === null) await tx.insert(jobQuestions).values({ jobId, ...values });
    else await tx.update(jobQuestions).set(values).where(and(eq(jobQuestions.id, q.id), eq(jobQuestions.jobId, jobId)));
  }
}

/** How many applications a job has, whatever their stage. */
export async function countApplications(db: Db, jobId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(applications).where(eq(applications.jobId, jobId));
  return Number(row?.n ?? 0);
}

export async function insertNotifications(tx: Db, rows: Array<{ userId: number; kind: string; text: string; href: string }>): Promise<void> {
  if (rows.length) await tx.insert(staffNotifications).values(rows);
}
