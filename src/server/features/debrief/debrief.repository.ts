import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  applicationEvents,
  applications,
  debriefs,
  debriefVotes,
  feedbackRevisions,
  jobs,
  jobTeam,
  loops,
  people,
  principles,
  staffUsers,
} from '../../db/schema/index.ts';

// SQL of the debrief room only. Every function takes the handle it must use: `tx` inside a
// transaction.

/**
 * The loop of an application with its debrief (if open), application, job and person; undefined
 * when there is no loop. The loop feedback page reads it too, for the debrief's state.
 */
export async function findDebriefLoop(db: Db, applicationId: number, options: { lock?: boolean } = {}) {
  const query = db
    .select({
      loop: { id: loops.id, status: loops.status, hiringManagerId: loops.hiringManagerId, recycledFromLoopId: loops.recycledFromLoopId },
      debrief: {
        loopId: debriefs.loopId,
        openedAt: debriefs.openedAt,
        openedBy: debriefs.openedBy,
        earlyReason: debriefs.earlyReason,
        decision: debriefs.decision,
        decisionLevel: debriefs.decisionLevel,
        recycleJobId: debriefs.recycleJobId,
        recycleNote: debriefs.recycleNote,
        memo: debriefs.memo,
        decidedAt: debriefs.decidedAt,
        decidedBy: debriefs.decidedBy,
        secondsToDecision: debriefs.secondsToDecision,
      },
      application: {
        id: applications.id,
        stage: applications.stage,
        personId: applications.personId,
        resumeId: applications.resumeId,
        source: applications.source,
        consentProcessing: applications.consentProcessing,
        consentTalentPool: applications.consentTalentPool,
        confirmedAt: applications.confirmedAt,
      },
      job: { id: jobs.id, title: jobs.title, level: jobs.level, stages: jobs.stages, anonymizedScreening: jobs.anonymizedScreening },
      person: { name: people.name, anonymizedAt: people.anonymizedAt },
    })
    .from(loops)
    .innerJoin(applications, eq(applications.id, loops.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(people, eq(people.id, applications.personId))
    .leftJoin(debriefs, eq(debriefs.loopId, loops.id))
    .where(eq(loops.applicationId, applicationId));
  // The loop and application rows are locked so two opens, votes or decisions take turns.
  const [row] = options.lock ? await query.for('update', { of: [loops, applications] }) : await query;
  if (!row) return undefined;
  return { ...row, debrief: row.debrief?.loopId == null ? null : row.debrief };
}

export type DebriefLoop = NonNullable<Awaited<ReturnType<typeof findDebriefLoop>>>;

/** The loop a recycled loop came from, by id, with its application's job; undefined when there is none. */
export async function findLoopById(db: Db, loopId: number) {
  const [row] = await db
    .select({ id: loops.id, applicationId: loops.applicationId, jobTitle: jobs.title, decision: debriefs.decision })
    .from(loops)
    .innerJoin(applications, eq(applications.id, loops.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(debriefs, eq(debriefs.loopId, loops.id))
    .where(eq(loops.id, loopId));
  return row;
}

/** The application a loop was recycled into, if any. */
export async function findRecycledInto(db: Db, loopId: number): Promise<{ applicationId: number } | undefined> {
  const [row] = await db.select({ applicationId: loops.applicationId }).from(loops).where(eq(loops.recycledFromLoopId, loopId));
  return row;
}

/** The latest submitted revision of each of the given feedback rows (drafts are never read). */
export async function listLatestRevisions(db: Db, feedbackIds: readonly number[]) {
  if (feedbackIds.length === 0) return [];
  return db
    .selectDistinctOn([feedbackRevisions.feedbackId], {
      feedbackId: feedbackRevisions.feedbackId,
      revision: feedbackRevisions.revision,
      evidence: feedbackRevisions.evidence,
      vote: feedbackRevisions.vote,
      submittedAt: feedbackRevisions.submittedAt,
    })
    .from(feedbackRevisions)
    .where(inArray(feedbackRevisions.feedbackId, [...feedbackIds]))
    .orderBy(asc(feedbackRevisions.feedbackId), desc(feedbackRevisions.revision));
}

/** The final votes recorded in a loop's debrief. */
export async function listVotes(db: Db, loopId: number) {
  return db
    .select({ memberId: debriefVotes.memberId, firstVote: debriefVotes.firstVote, finalVote: debriefVotes.finalVote, reason: debriefVotes.reason, at: debriefVotes.at })
    .from(debriefVotes)
    .where(eq(debriefVotes.loopId, loopId));
}

/** Records a member's final vote, or replaces the one they recorded before. */
export async function upsertVote(tx: Db, vote: { loopId: number; memberId: number; firstVote: string | null; finalVote: string; reason: string | null }): Promise<void> {
  await tx
    .insert(debriefVotes)
    .values(vote)
    .onConflictDoUpdate({
      target: [debriefVotes.loopId, debriefVotes.memberId],
      set: { firstVote: vote.firstVote, finalVote: vote.finalVote, reason: vote.reason, at: sql`now()` },
    });
}

/** Opens the debrief of a loop; answers false when it was already open. */
export async function insertDebrief(tx: Db, row: { loopId: number; openedBy: number; earlyReason: string | null }): Promise<boolean> {
  const inserted = await tx.insert(debriefs).values(row).onConflictDoNothing({ target: debriefs.loopId }).returning({ loopId: debriefs.loopId });
  return inserted.length > 0;
}

/** Writes the decision, only if none is recorded yet; answers whether it was written. */
export async function recordDecision(
  tx: Db,
  decision: {
    loopId: number;
    decision: string;
    decisionLevel: number | null;
    recycleJobId: number | null;
    recycleNote: string | null;
    memo: string;
    decidedAt: Date;
    decidedBy: number;
    secondsToDecision: number | null;
  },
): Promise<boolean> {
  const { loopId, ...values } = decision;
  const written = await tx
    .update(debriefs)
    .set(values)
    .where(and(eq(debriefs.loopId, loopId), isNull(debriefs.decision)))
    .returning({ loopId: debriefs.loopId });
  return written.length > 0;
}

export async function setLoopStatus(tx: Db, loopId: number, status: string): Promise<void> {
  await tx.update(loops).set({ status, updatedAt: sql`now()` }).where(eq(loops.id, loopId));
}

/** Names of principles by slug, in the content pack's order. */
export async function findPrincipleNames(db: Db, slugs: readonly string[]) {
  if (slugs.length === 0) return [];
  return db
    .select({ slug: principles.slug, name: principles.name, position: principles.position })
    .from(principles)
    .where(inArray(principles.slug, [...slugs]))
    .orderBy(asc(principles.position));
}

/** Names of staff by id. */
export async function findStaffNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, [...new Set(ids)]));
  return new Map(found.map((s) => [s.id, s.name]));
}

/** Who is told about the debrief: the given staff (the loop's members) and the job's recruiters, enabled accounts only. */
export async function listRecipients(db: Db, options: { userIds: readonly number[]; jobId: number }): Promise<Array<{ id: number; name: string; email: string }>> {
  const recruiters = await db.select({ userId: jobTeam.userId }).from(jobTeam).where(and(eq(jobTeam.jobId, options.jobId), eq(jobTeam.role, 'recruiter')));
  const ids = [...new Set([...options.userIds, ...recruiters.map((r) => r.userId)])];
  if (ids.length === 0) return [];
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
    .from(staffUsers)
    .where(and(inArray(staffUsers.id, ids), isNull(staffUsers.disabledAt)))
    .orderBy(asc(staffUsers.id));
}

/** Open jobs other than `exceptJobId`, by title: where a recycled candidate may be considered. */
export async function listOpenJobs(db: Db, exceptJobId: number) {
  return db
    .select({ id: jobs.id, title: jobs.title, level: jobs.level })
    .from(jobs)
    .where(and(eq(jobs.status, 'open'), ne(jobs.id, exceptJobId)))
    .orderBy(asc(jobs.title), asc(jobs.id));
}

export async function findJob(db: Db, jobId: number) {
  const [row] = await db.select({ id: jobs.id, title: jobs.title, status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
  return row;
}

/** The hiring manager on a job's team (the lowest staff id when there are several), or null. */
export async function findJobHiringManager(db: Db, jobId: number): Promise<number | null> {
  const [row] = await db
    .select({ userId: jobTeam.userId })
    .from(jobTeam)
    .where(and(eq(jobTeam.jobId, jobId), eq(jobTeam.role, 'hiring_manager')))
    .orderBy(asc(jobTeam.userId))
    .limit(1);
  return row?.userId ?? null;
}

/** Whether the person has an application to the job that is not hired, rejected or withdrawn. */
export async function hasActiveApplication(db: Db, options: { personId: number; jobId: number }): Promise<boolean> {
  const found = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.personId, options.personId), eq(applications.jobId, options.jobId), sql`${applications.stage} not in ('hired', 'rejected', 'withdrawn')`))
    .limit(1);
  return found.length > 0;
}

/**
 * Moves an application to another stage: the row (with the reason when rejecting), its
 * timeline event. The caller locked the row, checked the move and records the audit event.
 */
export async function moveApplication(tx: Db, move: { applicationId: number; from: string; to: string; actorId: number; reason: string | null; detail: string | null }): Promise<void> {
  const rejecting = move.to === 'rejected';
  await tx
    .update(applications)
    .set({ stage: move.to, stageEnteredAt: sql`now()`, updatedAt: sql`now()`, ...(rejecting ? { rejectReason: move.reason } : {}) })
    .where(eq(applications.id, move.applicationId));
  await insertApplicationEvent(tx, {
    applicationId: move.applicationId,
    kind: rejecting ? 'rejected' : 'moved',
    fromStage: move.from,
    toStage: move.to,
    actorId: move.actorId,
    detail: rejecting ? move.reason : move.detail,
  });
}

export async function insertApplicationEvent(
  tx: Db,
  event: { applicationId: number; kind: string; fromStage: string | null; toStage: string | null; actorId: number; detail: string | null },
): Promise<void> {
  await tx.insert(applicationEvents).values({ ...event, actorType: 'staff' });
}

/** A new application of a person (a recycled candidate), at the given stage; answers its id. */
export async function insertApplication(
  tx: Db,
  row: {
    personId: number;
    jobId: number;
    resumeId: number | null;
    source: string;
    stage: string;
    idempotencyKey: string;
    consentProcessing: boolean;
    consentTalentPool: boolean;
    confirmedAt: Date | null;
  },
): Promise<number> {
  const [inserted] = await tx.insert(applications).values(row).returning({ id: applications.id });
  return inserted!.id;
}

/** The loop of a recycled application: planning, no interviews yet, linked to the loop it came from. */
export async function insertRecycledLoop(tx: Db, loop: { applicationId: number; hiringManagerId: number | null; recycledFromLoopId: number }): Promise<number> {
  const [row] = await tx.insert(loops).values({ ...loop, status: 'planning' }).returning({ id: loops.id });
  return row!.id;
}
