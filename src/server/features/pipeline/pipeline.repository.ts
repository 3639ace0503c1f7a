import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  applicationAnswers,
  applicationEvents,
  applicationNotes,
  applications,
  applicationTags,
  jobQuestions,
  jobs,
  jobTeam,
  people,
  resumes,
  staffNotifications,
  staffUsers,
} from '../../db/schema/index.ts';

// SQL of the pipeline board and the application page. Lists of ids and names travel as one
// parameter each (a JSON array), never as one parameter per element.

/** The orders the board offers. */
export type BoardSort = 'newest' | 'oldest' | 'longest' | 'name';

export interface BoardQuery {
  jobId: number;
  /** The stages whose cards are listed (every stage of the template, or the one filtered on). */
  stages: string[];
  /**
   * Stages whose names stay hidden (anonymized screening): sorting by name leaves them in
   * application order, and resume words never match them (the words would say whose it is).
   */
  hiddenStages: string[];
  source?: string | undefined;
  /** Only applications at least this many days in their stage. */
  minDays?: number | undefined;
  /** Words the resume text must match (web search syntax: "quoted phrases", -not, or). */
  words?: string | undefined;
  sort: BoardSort;
  /** Cards per stage, and how many to skip in each (paging through one stage). */
  limit: number;
  offset: number;
}

export interface BoardCardRow {
  id: number;
  stage: string;
  name: string;
  source: string;
  stageEnteredAt: Date;
  tags: string[];
}

/** The order of each sort inside a stage (on `applications a`) and again over the chosen cards (`c`). */
const ORDER: Record<BoardSort, { inner: string; outer: string }> = {
  newest: { inner: 'a.created_at desc, a.id desc', outer: 'c.created_at desc, c.id desc' },
  oldest: { inner: 'a.created_at asc, a.id asc', outer: 'c.created_at asc, c.id asc' },
  longest: { inner: 'a.stage_entered_at asc, a.id asc', outer: 'c.stage_entered_at asc, c.id asc' },
  name: { inner: 'sort_name asc, a.id asc', outer: 'c.sort_name asc, c.id asc' },
};

const jsonText = (list: readonly string[]) => sql`array(select json_array_elements_text(${JSON.stringify(list)}::json))`;
const intArray = (ids: readonly number[]) => sql`${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::int[]`;

/** A JSON column as the engine returns it (node-postgres parses it; PGlite may give text). */
function json<T>(value: unknown, empty: T): T {
  if (value === null || value === undefined) return empty;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The job a board or move is about, or undefined. */
export async function findPipelineJob(db: Db, jobId: number) {
  const [row] = await db
    .select({ id: jobs.id, title: jobs.title, status: jobs.status, stages: jobs.stages, anonymizedScreening: jobs.anonymizedScreening })
    .from(jobs)
    .where(eq(jobs.id, jobId));
  return row;
}

/** Applications per stage of a job, every stage and exit that has any. */
export async function countByStage(db: Db, jobId: number): Promise<Record<string, number>> {
  const found = await db
    .select({ stage: applications.stage, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(eq(applications.jobId, jobId))
    .groupBy(applications.stage);
  return Object.fromEntries(found.map((r) => [r.stage, Number(r.n)]));
}

/** The conditions on `applications a` of the board's filters. */
function matchFilters(q: { jobId: number; source?: string | undefined; minDays?: number | undefined; words?: string | undefined; hiddenStages: readonly string[] }): SQL[] {
  const filters: SQL[] = [sql`a.job_id = ${q.jobId}`];
  if (q.source) filters.push(sql`a.source = ${q.source}`);
  if (q.minDays !== undefined && q.minDays > 0) filters.push(sql`a.stage_entered_at <= now() - make_interval(days => ${q.minDays}::int)`);
  if (q.words) filters.push(wordsMatch(q.words, q.hiddenStages));
  return filters;
}

/**
 * The resume text matches the words. Computed per request: resumes.text has no full-text
 * index (see docs/pipeline.md), so this reads every resume of the job once. An application in a
 * stage whose identity is hidden never matches: its resume holds the name, contacts and schools
 * the page redacts, so a search for them would single it out.
 */
const wordsMatch = (words: string, hiddenStages: readonly string[]) =>
  sql`a.stage <> all(${jsonText(hiddenStages)}) and exists (select 1 from resumes r where r.id = a.resume_id and to_tsvector('english', r.text) @@ websearch_to_tsquery('english', ${words}))`;

/**
 * The board in one statement: how many applications of each stage match the filters, and the
 * first `limit` cards (after `offset`) of each listed stage in the chosen order, with their
 * tags. Each stage's cards come from the (job_id, stage) index and a top-N sort, so a stage of
 * thousands costs little more than one of fifty. The costly resume-words match is computed once.
 */
export async function findBoard(db: Db, q: BoardQuery): Promise<{ matching: Record<string, number>; cards: BoardCardRow[] }> {
  const filters = matchFilters({ ...q, words: undefined });
  if (q.words) filters.push(sql`a.id = any(array(select id from worded))`);
  const where = sql.join(filters, sql` and `);
  const order = ORDER[q.sort];
  // People are joined before the top-N only when sorting by name; otherwise looked up for the chosen cards alone.
  const byName = q.sort === 'name';
  const sortName = byName ? sql`case when s.stage = any(${jsonText(q.hiddenStages)}) then null else lower(p.name) end` : sql`null::text`;
  const [result] = await rows<{ matching: unknown; cards: unknown }>(
    db,
    sql`
      with worded as materialized (
        select a.id from applications a where a.job_id = ${q.jobId} and ${q.words ? wordsMatch(q.words, q.hiddenStages) : sql`false`}
      )
      select
        (select coalesce(json_object_agg(stage, n), '{}'::json)
         from (select a.stage, count(*)::int as n from applications a where ${where} group by a.stage) counted) as matching,
        (select coalesce(json_agg(json_build_object(
            'id', c.id, 'stage', s.stage, 'name', (select p.name from people p where p.id = c.person_id), 'source', c.source, 'stageEnteredAt', c.stage_entered_at,
            'tags', coalesce((select array_agg(t.tag order by t.tag) from application_tags t where t.application_id = c.id), '{}')
          ) order by s.pos, ${sql.raw(order.outer)}), '[]'::json)
         from unnest(${jsonText(q.stages)}) with ordinality as s(stage, pos)
         cross join lateral (
           select a.id, a.source, a.stage_entered_at, a.created_at, a.person_id, ${sortName} as sort_name
           from applications a ${byName ? sql`join people p on p.id = a.person_id` : sql``}
           where ${where} and a.stage = s.stage
           order by ${sql.raw(order.inner)}
           limit ${q.limit} offset ${q.offset}
         ) c) as cards`,
  );
  const cards = json<Array<Omit<BoardCardRow, 'stageEnteredAt'> & { stageEnteredAt: string }>>(result?.cards, []);
  return {
    matching: json<Record<string, number>>(result?.matching, {}),
    cards: cards.map((c) => ({ ...c, tags: c.tags ?? [], stageEnteredAt: new Date(c.stageEnteredAt) })),
  };
}

/** The ids of a job's applications in one stage that match the filters, oldest first, at most `limit`. */
export async function findMatchingIds(
  db: Db,
  q: { jobId: number; stage: string; source?: string | undefined; minDays?: number | undefined; words?: string | undefined; hiddenStages: readonly string[]; limit: number },
): Promise<number[]> {
  const found = await rows<{ id: number }>(
    db,
    sql`select a.id from applications a where ${sql.join([...matchFilters(q), sql`a.stage = ${q.stage}`], sql` and `)} order by a.id limit ${q.limit}`,
  );
  return found.map((r) => Number(r.id));
}

/** The applications of this job among `ids`, locked until the transaction ends, with the person to write to. */
export async function lockApplicationsOfJob(tx: Db, jobId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return rows<{ id: number; stage: string; email: string; name: string; anonymized: boolean }>(
    tx,
    sql`
      select a.id, a.stage, p.email, p.name, p.anonymized_at is not null as anonymized
      from applications a join people p on p.id = a.person_id
      where a.job_id = ${jobId} and a.id = any(${intArray(ids)})
      order by a.id
      for update of a`,
  );
}

/**
 * Moves applications to `to` in one statement: the rows (stage, stage_entered_at, updated_at,
 * and the reason when rejecting), one timeline event and one audit event each. Call inside the
 * transaction that locked them and checked each move.
 */
export async function moveApplications(
  tx: Db,
  move: { jobId: number; ids: readonly number[]; to: string; actorId: number; reason: string | null },
): Promise<Array<{ id: number; fromStage: string }>> {
  if (move.ids.length === 0) return [];
  const rejecting = move.to === 'rejected';
  const kind = rejecting ? 'rejected' : 'moved';
  const action = rejecting ? 'application.rejected' : 'application.moved';
  const after = rejecting ? sql`jsonb_build_object('stage', ${move.to}::text, 'reason', ${move.reason}::text)` : sql`jsonb_build_object('stage', ${move.to}::text)`;
  return rows<{ id: number; fromStage: string }>(
    tx,
    sql`
      with old as (
        select id, stage from applications where job_id = ${move.jobId} and id = any(${intArray(move.ids)})
      ),
      moved as (
        update applications a
        set stage = ${move.to}::text, stage_entered_at = now(), updated_at = now(),
            reject_reason = ${rejecting ? move.reason : null}::text
        from old where a.id = old.id
        returning a.id, old.stage as from_stage
      ),
      events as (
        insert into application_events (application_id, kind, from_stage, to_stage, actor_type, actor_id, detail)
        select id, ${kind}::text, from_stage, ${move.to}::text, 'staff', ${move.actorId}::int, ${rejecting ? move.reason : null}::text from moved
      ),
      audit as (
        insert into audit_events (actor_type, actor_id, action, subject_type, subject_id, before, after)
        select 'staff', ${move.actorId}::int, ${action}::text, 'application', id::text, jsonb_build_object('stage', from_stage), ${after} from moved
      )
      select id, from_stage as "fromStage" from moved order by id`,
  );
}

// ---------------------------------------------------------------------------------------------
// The application page
// ---------------------------------------------------------------------------------------------

/** One application with its job, person and resume, or undefined. */
export async function findApplicationDetail(db: Db, applicationId: number) {
  const [row] = await db
    .select({
      id: applications.id,
      stage: applications.stage,
      source: applications.source,
      stageEnteredAt: applications.stageEnteredAt,
      rejectReason: applications.rejectReason,
      createdAt: applications.createdAt,
      confirmedAt: applications.confirmedAt,
      job: { id: jobs.id, title: jobs.title, stages: jobs.stages, anonymizedScreening: jobs.anonymizedScreening },
      person: {
        id: people.id,
        name: people.name,
        email: people.email,
        phone: people.phone,
        location: people.location,
        links: people.links,
        anonymizedAt: people.anonymizedAt,
      },
      resume: { id: resumes.id, filename: resumes.filename, contentType: resumes.contentType, size: resumes.size, storageKey: resumes.storageKey, text: resumes.text },
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(people, eq(people.id, applications.personId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId))
    .where(eq(applications.id, applicationId));
  return row;
}

/** The answers to the job's screening questions, in the questions' order. */
export async function listAnswers(db: Db, applicationId: number) {
  return db
    .select({ label: jobQuestions.label, kind: jobQuestions.kind, value: applicationAnswers.value })
    .from(applicationAnswers)
    .innerJoin(jobQuestions, eq(jobQuestions.id, applicationAnswers.questionId))
    .where(eq(applicationAnswers.applicationId, applicationId))
    .orderBy(asc(jobQuestions.position));
}

/** The timeline, oldest first, with the name of the member of staff behind each step. */
export async function listEvents(db: Db, applicationId: number) {
  return db
    .select({
      at: applicationEvents.at,
      kind: applicationEvents.kind,
      fromStage: applicationEvents.fromStage,
      toStage: applicationEvents.toStage,
      actorType: applicationEvents.actorType,
      actorName: staffUsers.name,
      detail: applicationEvents.detail,
    })
    .from(applicationEvents)
    .leftJoin(staffUsers, and(eq(applicationEvents.actorType, 'staff'), eq(staffUsers.id, applicationEvents.actorId)))
    .where(eq(applicationEvents.applicationId, applicationId))
    .orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
}

/** Notes, oldest first, with their authors. */
export async function listNotes(db: Db, applicationId: number) {
  return db
    .select({ id: applicationNotes.id, body: applicationNotes.body, createdAt: applicationNotes.createdAt, authorName: staffUsers.name })
    .from(applicationNotes)
    .innerJoin(staffUsers, eq(staffUsers.id, applicationNotes.authorId))
    .where(eq(applicationNotes.applicationId, applicationId))
    .orderBy(asc(applicationNotes.createdAt), asc(applicationNotes.id));
}

export async function listTags(db: Db, applicationId: number): Promise<string[]> {
  const found = await db.select({ tag: applicationTags.tag }).from(applicationTags).where(eq(applicationTags.applicationId, applicationId)).orderBy(asc(applicationTags.tag));
  return found.map((r) => r.tag);
}

/**
 * The person's other applications, newest first, only on jobs the viewer may see: every job
 * for those who see all jobs, else the jobs whose hiring team they are on.
 */
export async function listOtherApplications(db: Db, options: { personId: number; exceptId: number; viewerId: number; allJobs: boolean }) {
  const visible = options.allJobs
    ? sql`true`
    : sql`exists (select 1 from ${jobTeam} t where t.job_id = ${applications.jobId} and t.user_id = ${options.viewerId})`;
  return db
    .select({ id: applications.id, stage: applications.stage, createdAt: applications.createdAt, job: { id: jobs.id, title: jobs.title, anonymizedScreening: jobs.anonymizedScreening } })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.personId, options.personId), sql`${applications.id} <> ${options.exceptId}`, visible))
    .orderBy(sql`${applications.createdAt} desc`, sql`${applications.id} desc`);
}

/** Who a note on this job's applications may mention: enabled admins and the job's hiring team. */
export async function listMentionable(db: Db, jobId: number) {
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
    .from(staffUsers)
    .where(
      and(
        isNull(staffUsers.disabledAt),
        sql`(${staffUsers.role} = 'admin' or exists (select 1 from ${jobTeam} t where t.job_id = ${jobId} and t.user_id = ${staffUsers.id}))`,
      ),
    );
}

export async function insertNote(tx: Db, note: { applicationId: number; authorId: number; body: string; mentions: number[] }): Promise<number> {
  const [row] = await tx.insert(applicationNotes).values(note).returning({ id: applicationNotes.id });
  return row!.id;
}

export async function insertNotifications(tx: Db, notifications: Array<{ userId: number; kind: string; text: string; href: string }>): Promise<void> {
  if (notifications.length) await tx.insert(staffNotifications).values(notifications);
}

/** Adds a tag; answers false when the application already had it. */
export async function addTag(tx: Db, applicationId: number, tag: string): Promise<boolean> {
  const added = await tx.insert(applicationTags).values({ applicationId, tag }).onConflictDoNothing().returning({ tag: applicationTags.tag });
  return added.length > 0;
}

/** Removes a tag; answers false when the application did not have it. */
export async function removeTag(tx: Db, applicationId: number, tag: string): Promise<boolean> {
  const removed = await tx
    .delete(applicationTags)
    .where(and(eq(applicationTags.applicationId, applicationId), eq(applicationTags.tag, tag)))
    .returning({ tag: applicationTags.tag });
  return removed.length > 0;
}
