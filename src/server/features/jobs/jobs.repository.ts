import { and, asc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobPrinciples, jobQuestions, jobs, principles, teams } from '../../db/schema/index.ts';
import type { EmploymentType, JobStatus, PublicJob, ValidJobInput, WorkplaceType } from '../../../shared/contracts/jobs.ts';

/** Open, already posted and not yet closed: the jobs anyone may see. */
export const isPublic: SQL = and(
  eq(jobs.status, 'open'),
  lte(jobs.postedAt, sql`now()`),
  or(isNull(jobs.closesAt), gt(jobs.closesAt, sql`now()`)),
)!;

/** A job ready to insert: validated input with its team and principles resolved to ids. */
export interface JobRow {
  input: ValidJobInput;
  /** Kept when the input names one; otherwise the database numbers it. */
  requisitionId: string | undefined;
  slug: string;
  teamId: number;
  teamName: string;
  principleIds: number[];
  /** Staff see no identities while applications are screened (false unless given). */
  anonymizedScreening?: boolean;
}

/** Lowercase words of three or more letters or digits in a title. */
export function titleWordsOf(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3);
}

export async function findTeamsAndPrinciplesBySlug(db: Db) {
  const [teamRows, principleRows] = await Promise.all([
    db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams),
    db.select({ id: principles.id, slug: principles.slug, name: principles.name }).from(principles),
  ]);
  return { teams: new Map(teamRows.map((t) => [t.slug, t])), principles: new Map(principleRows.map((p) => [p.slug, p])) };
}

export async function countRequisitions(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(jobs);
  return rows[0]!.n;
}

const jobColumns = {
  id: jobs.id,
  uuid: jobs.uuid,
  requisitionId: jobs.requisitionId,
  slug: jobs.slug,
  title: jobs.title,
  teamSlug: teams.slug,
  teamName: teams.name,
  category: jobs.category,
  level: jobs.level,
  employmentType: jobs.employmentType,
  workplaceType: jobs.workplaceType,
  applicantCountries: jobs.applicantCountries,
  locations: jobs.locations,
  descriptionMd: jobs.descriptionMd,
  basicQualifications: jobs.basicQualifications,
  preferredQualifications: jobs.preferredQualifications,
  payCurrency: jobs.payCurrency,
  payMin: jobs.payMin,
  payMax: jobs.payMax,
  payUnit: jobs.payUnit,
  status: jobs.status,
  headcount: jobs.headcount,
  postedAt: jobs.postedAt,
  closesAt: jobs.closesAt,
  updatedAt: jobs.updatedAt,
};

type JobSelect = Awaited<ReturnType<typeof selectJobs>>[number];

function selectJobs(db: Db, where: SQL | undefined) {
  return db.select(jobColumns).from(jobs).innerJoin(teams, eq(teams.id, jobs.teamId)).where(where);
}

/** Reads full jobs (with principles and questions) for the given ids, in the order given. */
export async function findJobsByIds(db: Db, ids: number[], options: { publicOnly: boolean }): Promise<PublicJob[]> {
  if (ids.length === 0) return [];
  const where = options.publicOnly ? and(inArray(jobs.id, ids), isPublic) : inArray(jobs.id, ids);
  const [rows, principleRows, questionRows] = await Promise.all([
    selectJobs(db, where),
    db
      .select({ jobId: jobPrinciples.jobId, slug: principles.slug, name: principles.name })
      .from(jobPrinciples)
      .innerJoin(principles, eq(principles.id, jobPrinciples.principleId))
      .where(inArray(jobPrinciples.jobId, ids))
      .orderBy(asc(jobPrinciples.position)),
    db.select().from(jobQuestions).where(inArray(jobQuestions.jobId, ids)).orderBy(asc(jobQuestions.position)),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      toPublicJob(
        row,
        principleRows.filter((p) => p.jobId === id).map(({ slug, name }) => ({ slug, name })),
        questionRows.filter((q) => q.jobId === id).map((q) => ({ id: q.id, label: q.label, kind: q.kind as never, required: q.required, options: q.options })),
      ),
    ];
  });
}

/** Every public job, newest first, in pages of `pageSize` read by keyset (no OFFSET), for feeds and exports. */
export async function* streamPublicJobs(db: Db, pageSize = 1000): AsyncGenerator<PublicJob[]> {
  let after: { postedAt: Date; id: number } | undefined;
  for (;;) {
    const cursor = after ? sql`(${jobs.postedAt}, ${jobs.id}) < (${after.postedAt.toISOString()}::timestamptz, ${after.id})` : undefined;
    const page = await db
      .select({ id: jobs.id, postedAt: jobs.postedAt })
      .from(jobs)
      .where(and(isPublic, cursor))
      .orderBy(sql`${jobs.postedAt} desc, ${jobs.id} desc`)
      .limit(pageSize);
    if (page.length === 0) return;
    yield await findJobsByIds(db, page.map((r) => r.id), { publicOnly: true });
    const last = page.at(-1)!;
    after = { postedAt: last.postedAt!, id: last.id };
    if (page.length < pageSize) return;
  }
}

/**
 * The status of a job by id, whatever it is, or undefined. `wasPosted`: it has been public at
 * some time (posted and past approval), so its address may say it closed; a job never
 * published is as unknown to the public as one that does not exist.
 */
export async function findJobStatus(db: Db, id: number) {
  const rows = await db
    .select({
      id: jobs.id,
      slug: jobs.slug,
      title: jobs.title,
      teamId: jobs.teamId,
      category: jobs.category,
      isPublic: sql<boolean>`${isPublic}`,
      wasPosted: sql<boolean>`(${jobs.status} not in ('draft', 'pending_approval') and ${jobs.postedAt} is not null and ${jobs.postedAt} <= now())`,
    })
    .from(jobs)
    .where(eq(jobs.id, id));
  return rows[0];
}

function toPublicJob(row: JobSelect, principleList: PublicJob['principles'], questions: PublicJob['questions']): PublicJob {
  return {
    id: row.id,
    uuid: row.uuid,
    requisitionId: row.requisitionId,
    slug: row.slug,
    title: row.title,
    team: { slug: row.teamSlug, name: row.teamName },
    category: row.category,
    level: row.level,
    employmentType: row.employmentType as EmploymentType,
    workplaceType: row.workplaceType as WorkplaceType,
    applicantCountries: row.applicantCountries,
    locations: row.locations,
    descriptionMd: row.descriptionMd,
    basicQualifications: row.basicQualifications,
    preferredQualifications: row.preferredQualifications,
    pay:
      row.payCurrency && row.payMin !== null && row.payMax !== null && row.payUnit
        ? { currency: row.payCurrency, min: Number(row.payMin), max: Number(row.payMax), unit: row.payUnit as never }
        : null,
    principles: principleList,
    status: row.status as JobStatus,
    headcount: row.headcount,
    postedAt: row.postedAt ?? row.updatedAt,
    closesAt: row.closesAt,
    updatedAt: row.updatedAt,
    questions,
  };
}
