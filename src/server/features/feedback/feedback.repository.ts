import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  applicationAnswers,
  applications,
  feedback,
  feedbackRevisions,
  interviews,
  jobQuestions,
  jobs,
  loops,
  people,
  principles,
  resumes,
  staffUsers,
  teams,
} from '../../db/schema/index.ts';

// SQL only. Every function takes the handle it must use: `tx` inside a transaction.

/** An interview as every loop page reads it: who holds it, in what role, on which principles, and when (joined to staff_users). */
const interviewColumns = {
  id: interviews.id,
  interviewerId: interviews.interviewerId,
  interviewerName: staffUsers.name,
  role: interviews.role,
  principles: interviews.principles,
  status: interviews.status,
  startsAt: interviews.startsAt,
  durationMinutes: interviews.durationMinutes,
};

/** One interview with its loop, application, job, candidate and resume text; undefined when it does not exist. */
export async function findInterviewDetail(db: Db, interviewId: number) {
  const [row] = await db
    .select({
      ...interviewColumns,
      timeZone: interviews.timeZone,
      room: interviews.room,
      videoUrl: interviews.videoUrl,
      loop: { id: loops.id, status: loops.status, hiringManagerId: loops.hiringManagerId },
      application: { id: applications.id, stage: applications.stage },
      job: { id: jobs.id, title: jobs.title, level: jobs.level, anonymizedScreening: jobs.anonymizedScreening, teamName: teams.name },
      person: { name: people.name, email: people.email, phone: people.phone, location: people.location, links: people.links, anonymizedAt: people.anonymizedAt },
      resumeText: resumes.text,
    })
    .from(interviews)
    .innerJoin(staffUsers, eq(staffUsers.id, interviews.interviewerId))
    .innerJoin(loops, eq(loops.id, interviews.loopId))
    .innerJoin(applications, eq(applications.id, loops.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(teams, eq(teams.id, jobs.teamId))
    .innerJoin(people, eq(people.id, applications.personId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId))
    .where(eq(interviews.id, interviewId));
  return row;
}

/** The answers to the job's screening questions, in the questions' order. */
export async function listAnswers(db: Db, applicationId: number) {
  return db
    .select({ label: jobQuestions.label, value: applicationAnswers.value })
    .from(applicationAnswers)
    .innerJoin(jobQuestions, eq(jobQuestions.id, applicationAnswers.questionId))
    .where(eq(applicationAnswers.applicationId, applicationId))
    .orderBy(asc(jobQuestions.position));
}

/** Names and summaries of principles by slug (slugs the content pack lacks are left out). */
export async function findPrinciples(db: Db, slugs: readonly string[]) {
  if (slugs.length === 0) return [];
  return db
    .select({ id: principles.id, slug: principles.slug, name: principles.name, summary: principles.summary })
    .from(principles)
    .where(inArray(principles.slug, [...slugs]));
}

/**
 * The interviews of a loop in loop order, with their interviewers, times, and how far their
 * feedback got (never its content): whether it was submitted, its latest revision and when.
 * The kit, the loop feedback page and the debrief all read a loop through this.
 */
export async function listLoopInterviews(db: Db, loopId: number) {
  return db
    .select({
      ...interviewColumns,
      position: interviews.position,
      feedbackId: feedback.id,
      feedbackStatus: feedback.status,
      revision: feedback.revision,
      submittedAt: feedback.submittedAt,
    })
    .from(interviews)
    .innerJoin(staffUsers, eq(staffUsers.id, interviews.interviewerId))
    .leftJoin(feedback, eq(feedback.interviewId, interviews.id))
    .where(eq(interviews.loopId, loopId))
    .orderBy(asc(interviews.position), asc(interviews.id));
}

export type LoopInterview = Awaited<ReturnType<typeof listLoopInterviews>>[number];

/** The feedback row (the working copy) of an interview, or undefined. */
export async function findFeedback(db: Db, interviewId: number) {
  const [row] = await db.select().from(feedback).where(eq(feedback.interviewId, interviewId));
  return row;
}

/** Makes sure the interview has a feedback row, then locks it for the rest of the transaction. */
export async function lockFeedback(tx: Db, interviewId: number, authorId: number) {
  await tx.insert(feedback).values({ interviewId, authorId }).onConflictDoNothing({ target: feedback.interviewId });
  const [row] = await tx.select().from(feedback).where(eq(feedback.interviewId, interviewId)).for('update');
  return row!;
}

/** Stores the working copy as typed; status, revision and submitted_at are left as they are. */
export async function writeWorkingCopy(tx: Db, feedbackId: number, content: { evidence: unknown; vote: string | null; authorId: number }): Promise<Date> {
  const [row] = await tx
    .update(feedback)
    .set({ evidence: content.evidence, vote: content.vote, authorId: content.authorId, updatedAt: sql`now()` })
    .where(eq(feedback.id, feedbackId))
    .returning({ updatedAt: feedback.updatedAt });
  return row!.updatedAt;
}

/** Marks the working copy as submitted as `revision`. */
export async function markSubmitted(tx: Db, feedbackId: number, revision: number): Promise<Date> {
  const [row] = await tx
    .update(feedback)
    .set({ status: 'submitted', revision, submittedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(feedback.id, feedbackId))
    .returning({ submittedAt: feedback.submittedAt });
  return row!.submittedAt!;
}

/** Keeps a submitted revision; revisions are only ever added. */
export async function insertRevision(tx: Db, revision: { feedbackId: number; revision: number; evidence: unknown; vote: string; submittedAt: Date }): Promise<void> {
  await tx.insert(feedbackRevisions).values(revision);
}

/** Every submitted revision of the given feedback, newest first. */
export async function listRevisions(db: Db, feedbackIds: readonly number[]) {
  if (feedbackIds.length === 0) return [];
  return db
    .select({ feedbackId: feedbackRevisions.feedbackId, revision: feedbackRevisions.revision, evidence: feedbackRevisions.evidence, vote: feedbackRevisions.vote, submittedAt: feedbackRevisions.submittedAt })
    .from(feedbackRevisions)
    .where(inArray(feedbackRevisions.feedbackId, [...feedbackIds]))
    .orderBy(asc(feedbackRevisions.feedbackId), desc(feedbackRevisions.revision));
}

