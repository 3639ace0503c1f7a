import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { jobInputSchema, slugify, type PublicJob, type ValidJobInput } from '../../../shared/contracts/jobs.ts';
import { renderMarkdown } from '../../markdown.ts';
import { claimRequisitionIds, insertJobsInBulk } from './jobs.bulk.ts';
import { findJobsByIds, findJobStatus, findTeamsAndPrinciplesBySlug, type JobRow } from './jobs.repository.ts';
import { findSimilarJobIds } from './search.repository.ts';

/** One refused row of a batch of jobs: its number (1-based) and what is wrong with it. */
export interface RowIssue {
  row: number;
  field: string;
  message: string;
}

/** A batch of jobs with invalid rows; nothing of the batch was written. */
export class JobBatchError extends AppError {
  constructor(readonly issues: RowIssue[]) {
    const first = issues[0]!;
    super(
      400,
      'invalid_jobs',
      `${new Set(issues.map((i) => i.row)).size} row(s) are invalid; the first is row ${first.row}: ${first.field ? `${first.field}: ` : ''}${first.message}`,
      issues.map((i) => ({ field: `row ${i.row}${i.field ? `.${i.field}` : ''}`, message: i.message })),
    );
  }
}

/**
 * Validates and writes a batch of jobs in one transaction. An invalid row refuses the whole
 * batch with every problem named, unless `skipInvalid`, which writes the valid rows and reports
 * the others. Teams and principles are named by slug and must exist in the loaded content.
 */
export async function createJobs({
  db,
  inputs,
  skipInvalid = false,
  firstRowNumber = 1,
}: {
  db: Db;
  inputs: unknown[];
  skipInvalid?: boolean;
  /** The number of `inputs[0]` in the caller's file, so messages name the right row. */
  firstRowNumber?: number;
}): Promise<{ ids: number[]; skipped: RowIssue[] }> {
  const refs = await findTeamsAndPrinciplesBySlug(db);
  const rows: Array<JobRow & { row: number }> = [];
  const issues: RowIssue[] = [];
  inputs.forEach((raw, index) => {
    const row = index + firstRowNumber;
    const parsed = jobInputSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ row, field: issue.path.join('.'), message: issue.message });
      return;
    }
    const resolved = resolveJob(parsed.data, refs);
    if ('field' in resolved) issues.push({ row, ...resolved });
    else rows.push({ ...resolved, row });
  });
  if (issues.length && !skipInvalid) throw new JobBatchError(issues);
  if (rows.length === 0) return { ids: [], skipped: issues };
  return db.transaction(async (tx) => {
    // The same path as `dayone import`: requisition ids stay unique and numbering moves past given ones.
    const taken = await claimRequisitionIds(tx, rows.flatMap((r) => (r.requisitionId ? [r.requisitionId] : [])));
    if (taken.size > 0) {
      throw new JobBatchError(
        rows.filter((r) => r.requisitionId && taken.has(r.requisitionId)).map((r) => ({ row: r.row, field: 'requisitionId', message: `a job with requisition id "${r.requisitionId}" already exists` })),
      );
    }
    return { ids: await insertJobsInBulk(tx, rows), skipped: issues };
  });
}

/** Resolves a valid job input's team and principle slugs to ids, or names the one that does not exist. */
export function resolveJob(
  input: ValidJobInput,
  refs: Awaited<ReturnType<typeof findTeamsAndPrinciplesBySlug>>,
): JobRow | { field: string; message: string } {
  const team = refs.teams.get(input.team);
  if (!team) return { field: 'team', message: `no team has the slug "${input.team}"` };
  const principleIds: number[] = [];
  for (const slug of new Set(input.principles)) {
    const principle = refs.principles.get(slug);
    if (!principle) return { field: 'principles', message: `no principle has the slug "${slug}"` };
    principleIds.push(principle.id);
  }
  return { input, requisitionId: input.requisitionId, slug: slugify(input.title), teamId: team.id, teamName: team.name, principleIds };
}

/** A public job by id, or undefined when it does not exist or is not public. */
export async function findPublicJob({ db, id }: { db: Db; id: number }): Promise<PublicJob | undefined> {
  return (await findJobsByIds(db, [id], { publicOnly: true }))[0];
}

/** What the page of job `id` shows: the open job with similar ones, a closed job's stub with open alternatives, or nothing. */
export type JobPageData =
  | { kind: 'open'; job: PublicJob; similar: PublicJob[]; descriptionHtml: string }
  | { kind: 'closed'; job: { id: number; slug: string; title: string }; similar: PublicJob[] };

export async function findJobPage({ db, id }: { db: Db; id: number }): Promise<JobPageData | undefined> {
  const status = await findJobStatus(db, id);
  // A draft or a job waiting for approval has no public address yet: 404, not a "closed" page with its title.
  if (!status || (!status.isPublic && !status.wasPosted)) return undefined;
  const similarIds = await findSimilarJobIds(db, status, 4);
  const similar = await findJobsByIds(db, similarIds, { publicOnly: true });
  if (!status.isPublic) return { kind: 'closed', job: { id: status.id, slug: status.slug, title: status.title }, similar };
  const job = (await findJobsByIds(db, [id], { publicOnly: true }))[0];
  if (!job) return undefined;
  return { kind: 'open', job, similar, descriptionHtml: renderMarkdown(job.descriptionMd) };
}
