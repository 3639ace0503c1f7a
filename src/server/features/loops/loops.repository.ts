import { and, asc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications, interviews, jobPrinciples, jobs, jobTeam, loops, people, principles, staffUsers, teams } from '../../db/schema/index.ts';

// SQL of the loop planner page, scheduling and the feedback reminders. Every function takes the
// handle it must use: inside a transaction, the `tx`.

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** A timestamp as the engine returns it from raw SQL (a Date, or text on some drivers). */
const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/** An application with its job and person, as the loop pages need them; undefined when it does not exist. */
export async function findLoopApplication(db: Db, applicationId: number) {
  const [row] = await db
    .select({
      id: applications.id,
      stage: applications.stage,
      personId: applications.personId,
      jobId: jobs.id,
      jobTitle: jobs.title,
      jobLevel: jobs.level,
      jobStages: jobs.stages,
      anonymizedScreening: jobs.anonymizedScreening,
      personName: people.name,
      personEmail: people.email,
      personAnonymizedAt: people.anonymizedAt,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(people, eq(people.id, applications.personId))
    .where(eq(applications.id, applicationId));
  return row;
}

export type LoopApplication = NonNullable<Awaited<ReturnType<typeof findLoopApplication>>>;

/** Locks the application row until the transaction ends, so two plans or first schedules of one loop do not interleave. */
export async function lockApplication(tx: Db, applicationId: number): Promise<{ stage: string } | undefined> {
  const [row] = await rows<{ stage: string }>(tx, sql`select stage from applications where id = ${applicationId} for update`);
  return row;
}

/** The loop of an application, or undefined. */
export async function findLoop(db: Db, applicationId: number) {
  const [row] = await db.select().from(loops).where(eq(loops.applicationId, applicationId));
  return row;
}

export type LoopRow = typeof loops.$inferSelect;

/** The interviews of a loop with their interviewers, in loop order. */
export async function listLoopInterviews(db: Db, loopId: number) {
  return db
    .select({
      id: interviews.id,
      role: interviews.role,
      principles: interviews.principles,
      position: interviews.position,
      status: interviews.status,
      startsAt: interviews.startsAt,
      durationMinutes: interviews.durationMinutes,
      timeZone: interviews.timeZone,
      room: interviews.room,
      videoUrl: interviews.videoUrl,
      icalUid: interviews.icalUid,
      icalSequence: interviews.icalSequence,
      interviewer: {
        id: staffUsers.id,
        name: staffUsers.name,
        email: staffUsers.email,
        level: staffUsers.level,
        managerId: staffUsers.managerId,
        barRaiser: staffUsers.barRaiser,
        disabledAt: staffUsers.disabledAt,
      },
    })
    .from(interviews)
    .innerJoin(staffUsers, eq(staffUsers.id, interviews.interviewerId))
    .where(eq(interviews.loopId, loopId))
    .orderBy(asc(interviews.position), asc(interviews.id));
}

export type LoopInterviewRow = Awaited<ReturnType<typeof listLoopInterviews>>[number];

/** The slugs of the principles a job emphasizes, most emphasized first. */
export async function listJobPrincipleSlugs(db: Db, jobId: number): Promise<string[]> {
  const found = await db
    .select({ slug: principles.slug })
    .from(jobPrinciples)
    .innerJoin(principles, eq(principles.id, jobPrinciples.principleId))
    .where(eq(jobPrinciples.jobId, jobId))
    .orderBy(asc(jobPrinciples.position));
  return found.map((r) => r.slug);
}

/** Every principle of the content pack, in pack order. */
export async function listCatalogue(db: Db): Promise<Array<{ slug: string; name: string }>> {
  return db.select({ slug: principles.slug, name: principles.name }).from(principles).orderBy(asc(principles.position), asc(principles.id));
}

/** The hiring team of a job: who holds which place. */
export async function listJobTeam(db: Db, jobId: number): Promise<Array<{ userId: number; role: string }>> {
  return db.select({ userId: jobTeam.userId, role: jobTeam.role }).from(jobTeam).where(eq(jobTeam.jobId, jobId)).orderBy(asc(jobTeam.userId));
}

/** Every reporting line of the staff, for the bar raiser's independence. */
export async function listReportingLines(db: Db): Promise<Array<{ id: number; managerId: number | null }>> {
  return db.select({ id: staffUsers.id, managerId: staffUsers.managerId }).from(staffUsers);
}

/** Enabled staff who may be chosen to interview, with what the plan form shows of them. */
export async function listInterviewerChoices(db: Db) {
  return db
    .select({
      id: staffUsers.id,
      name: staffUsers.name,
      email: staffUsers.email,
      role: staffUsers.role,
      level: staffUsers.level,
      managerId: staffUsers.managerId,
      barRaiser: staffUsers.barRaiser,
      teamName: teams.name,
    })
    .from(staffUsers)
    .leftJoin(teams, eq(teams.id, staffUsers.teamId))
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
}

/** Enabled staff among `ids`. */
export async function findEnabledStaff(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, level: staffUsers.level, managerId: staffUsers.managerId, barRaiser: staffUsers.barRaiser })
    .from(staffUsers)
    .where(and(inArray(staffUsers.id, [...ids]), isNull(staffUsers.disabledAt)));
}

/** Names of staff by id (disabled accounts included: they stay named in history). */
export async function findStaffNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, [...ids]));
  return new Map(found.map((r) => [r.id, r.name]));
}

/**
 * The principles the person's interviews for other applications already assessed: interviews
 * that were held (scheduled, and started by `now`). Cancelled or never-held ones assessed nothing.
 */
export async function listCoveredElsewhere(db: Db, options: { personId: number; exceptApplicationId: number; now: Date }): Promise<string[]> {
  const found = await rows<{ slug: string }>(
    db,
    sql`
      select distinct unnest(i.principles) as slug
      from interviews i
      join loops l on l.id = i.loop_id
      join applications a on a.id = l.application_id
      where a.person_id = ${options.personId} and a.id <> ${options.exceptApplicationId}
        and i.status = 'scheduled' and i.starts_at <= ${options.now.toISOString()}::timestamptz`,
  );
  return found.map((r) => r.slug).sort();
}

/** Creates the loop of an application, or puts an existing one back to planning with these settings; answers its id. */
export async function upsertPlanningLoop(tx: Db, loop: { applicationId: number; hiringManagerId: number; allowDuplicates: boolean }): Promise<number> {
  const [row] = await tx
    .insert(loops)
    .values({ applicationId: loop.applicationId, status: 'planning', hiringManagerId: loop.hiringManagerId, allowDuplicates: loop.allowDuplicates })
    .onConflictDoUpdate({
      target: loops.applicationId,
      set: { status: 'planning', hiringManagerId: loop.hiringManagerId, allowDuplicates: loop.allowDuplicates, confirmedAt: null, confirmedBy: null, updatedAt: sql`now()` },
    })
    .returning({ id: loops.id });
  return row!.id;
}

/** Removes the interviews of a loop that are not scheduled (never sent, or cancelled). */
export async function deleteUnscheduledInterviews(tx: Db, loopId: number): Promise<void> {
  await tx.delete(interviews).where(and(eq(interviews.loopId, loopId), ne(interviews.status, 'scheduled')));
}

export async function insertInterviews(
  tx: Db,
  rows_: Array<{ loopId: number; interviewerId: number; role: string; principles: string[]; position: number; icalUid: string }>,
): Promise<void> {
  if (rows_.length === 0) return;
  await tx.insert(interviews).values(rows_.map((r) => ({ ...r, status: 'unscheduled', icalSequence: 0 })));
}

/** Sets one interview's role and principles (the adjust form). */
export async function updateInterviewPlan(tx: Db, interviewId: number, plan: { role: string; principles: string[] }): Promise<void> {
  await tx.update(interviews).set({ role: plan.role, principles: plan.principles, updatedAt: sql`now()` }).where(eq(interviews.id, interviewId));
}

/** Locks a loop row until the transaction ends and answers it as it is. */
export async function lockLoop(tx: Db, applicationId: number): Promise<LoopRow | undefined> {
  const [row] = await tx.select().from(loops).where(eq(loops.applicationId, applicationId)).for('update');
  return row;
}

export async function setLoopStatus(tx: Db, loopId: number, change: { status: string; confirmedAt: Date | null; confirmedBy: number | null }): Promise<void> {
  await tx.update(loops).set({ ...change, updatedAt: sql`now()` }).where(eq(loops.id, loopId));
}

/** One interview of the application's loop, locked until the transaction ends; undefined when it is not of that loop. */
export async function lockLoopInterview(tx: Db, options: { applicationId: number; interviewId: number }) {
  const [row] = await tx
    .select({
      id: interviews.id,
      loopId: interviews.loopId,
      status: interviews.status,
      startsAt: interviews.startsAt,
      durationMinutes: interviews.durationMinutes,
      timeZone: interviews.timeZone,
      room: interviews.room,
      videoUrl: interviews.videoUrl,
      icalSequence: interviews.icalSequence,
    })
    .from(interviews)
    .innerJoin(loops, eq(loops.id, interviews.loopId))
    .where(and(eq(interviews.id, options.interviewId), eq(loops.applicationId, options.applicationId)))
    .for('update', { of: interviews });
  return row;
}

export async function updateInterviewSchedule(
  tx: Db,
  interviewId: number,
  change: {
    status: string;
    startsAt: Date | null;
    durationMinutes: number | null;
    timeZone: string | null;
    room: string | null;
    videoUrl: string | null;
    icalSequence: number;
  },
): Promise<void> {
  await tx
    .update(interviews)
    .set({ ...change, reminderSentAt: null, updatedAt: sql`now()` })
    .where(eq(interviews.id, interviewId));
}

/** Whether any interview of the loop has ever been sent (is or was scheduled). */
export async function anyInterviewSent(tx: Db, loopId: number): Promise<boolean> {
  const found = await tx
    .select({ id: interviews.id })
    .from(interviews)
    .where(and(eq(interviews.loopId, loopId), ne(interviews.status, 'unscheduled')))
    .limit(1);
  return found.length > 0;
}

/**
 * Moves an application to another stage as staff moves do: the row, a timeline event and an
 * audit event. The caller locked the row and checked the move.
 */
export async function moveApplicationStage(tx: Db, move: { applicationId: number; from: string; to: string; actorId: number }): Promise<void> {
  await tx.execute(sql`
    update applications set stage = ${move.to}, stage_entered_at = now(), updated_at = now()
    where id = ${move.applicationId}`);
  await tx.execute(sql`
    insert into application_events (application_id, kind, from_stage, to_stage, actor_type, actor_id, detail)
    values (${move.applicationId}, 'moved', ${move.from}, ${move.to}, 'staff', ${move.actorId}, 'The first interview of the loop was scheduled.')`);
}

/** Other scheduled interviews of the interviewers of a loop's scheduled interviews that overlap them. */
export async function listOverlaps(db: Db, loopId: number): Promise<Array<{ interviewId: number; startsAt: Date; durationMinutes: number }>> {
  const found = await rows<{ interview_id: number; starts_at: unknown; duration_minutes: number }>(
    db,
    sql`
      select a.id as interview_id, b.starts_at, b.duration_minutes
      from interviews a
      join interviews b on b.interviewer_id = a.interviewer_id and b.id <> a.id and b.status = 'scheduled'
        and b.starts_at < a.starts_at + make_interval(mins => a.duration_minutes)
        and a.starts_at < b.starts_at + make_interval(mins => b.duration_minutes)
      where a.loop_id = ${loopId} and a.status = 'scheduled'
      order by a.id, b.starts_at`,
  );
  return found.map((r) => ({ interviewId: Number(r.interview_id), startsAt: toDate(r.starts_at), durationMinutes: Number(r.duration_minutes) }));
}

/**
 * Claims the interviews whose feedback is overdue and whose interviewer was not yet reminded:
 * held (scheduled), ended more than `graceMs` before `now`, of a loop not yet decided, with no
 * feedback or only a draft. Marks them reminded in the same statement, so two nodes running the
 * sweep together never remind anyone twice.
 */
export async function claimOverdueFeedback(db: Db, options: { now: Date; graceMs: number }) {
  const cutoff = new Date(options.now.getTime() - options.graceMs).toISOString();
  const found = await rows<{
    id: number;
    starts_at: unknown;
    duration_minutes: number;
    time_zone: string | null;
    email: string;
    name: string;
    job_title: string;
  }>(
    db,
    sql`
      with due as (
        select i.id
        from interviews i
        join loops l on l.id = i.loop_id
        left join feedback f on f.interview_id = i.id
        where i.status = 'scheduled' and i.reminder_sent_at is null and l.status <> 'decided'
          and i.starts_at + make_interval(mins => i.duration_minutes) < ${cutoff}::timestamptz
          and (f.id is null or f.status = 'draft')
        for update of i skip locked
      ),
      claimed as (
        update interviews i set reminder_sent_at = ${options.now.toISOString()}::timestamptz
        from due where i.id = due.id and i.reminder_sent_at is null
        returning i.id, i.interviewer_id, i.loop_id, i.starts_at, i.duration_minutes, i.time_zone
      )
      select c.id, c.starts_at, c.duration_minutes, c.time_zone, s.email, s.name, j.title as job_title
      from claimed c
      join staff_users s on s.id = c.interviewer_id
      join loops l on l.id = c.loop_id
      join applications a on a.id = l.application_id
      join jobs j on j.id = a.job_id
      where s.disabled_at is null
      order by c.id`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    startsAt: toDate(r.starts_at),
    durationMinutes: Number(r.duration_minutes),
    timeZone: r.time_zone,
    email: r.email,
    name: r.name,
    jobTitle: r.job_title,
  }));
}

/** A user's scheduled interviews: the ones still to come or under way, and the ended ones whose feedback is not submitted. */
export async function listInterviewsOf(db: Db, options: { userId: number; now: Date }) {
  const found = await rows<{
    id: number;
    application_id: number;
    role: string;
    starts_at: unknown;
    duration_minutes: number;
    time_zone: string | null;
    job_title: string;
    person_name: string;
    stage: string;
    anonymized_screening: boolean;
    person_anonymized: boolean;
    feedback_status: string | null;
    loop_status: string;
  }>(
    db,
    sql`
      select i.id, a.id as application_id, i.role, i.starts_at, i.duration_minutes, i.time_zone,
             j.title as job_title, p.name as person_name, a.stage, j.anonymized_screening,
             p.anonymized_at is not null as person_anonymized, f.status as feedback_status, l.status as loop_status
      from interviews i
      join loops l on l.id = i.loop_id
      join applications a on a.id = l.application_id
      join jobs j on j.id = a.job_id
      join people p on p.id = a.person_id
      left join feedback f on f.interview_id = i.id
      where i.interviewer_id = ${options.userId} and i.status = 'scheduled'
        and (i.starts_at + make_interval(mins => i.duration_minutes) > ${options.now.toISOString()}::timestamptz
             or ((f.id is null or f.status = 'draft') and l.status <> 'decided'))
      order by i.starts_at, i.id`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    applicationId: Number(r.application_id),
    role: r.role,
    startsAt: toDate(r.starts_at),
    durationMinutes: Number(r.duration_minutes),
    timeZone: r.time_zone,
    jobTitle: r.job_title,
    personName: r.person_name,
    stage: r.stage,
    anonymizedScreening: r.anonymized_screening,
    personAnonymized: r.person_anonymized,
    feedbackStatus: r.feedback_status,
  }));
}
