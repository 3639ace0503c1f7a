import {
  EMPLOYMENT_TYPE_LABELS,
  EMPLOYMENT_TYPES,
  jobPath,
  LEVELS,
  levelLabel,
  type EmploymentType,
  type PayUnit,
  type PublicJob,
  type WorkplaceType,
} from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { findJobsByIds } from '../jobs/jobs.repository.ts';
import { descriptionHtml, escapeHtml, htmlToText, listItemsHtml } from '../feeds/job-html.ts';
import { findPostingIds, findPublicJobIdByUuid, type PostingFilters } from './boards.repository.ts';

// Shapes follow Lever's public postings API (api.lever.co/v0/postings/{site}).

/** The most postings one request returns; Lever returns all, we page past this many. */
export const LEVER_MAX_LIMIT = 1000;

export const LEVER_GROUPS = ['team', 'location', 'commitment', 'department'] as const;
export type LeverGroup = (typeof LEVER_GROUPS)[number];

/** Filters as the query string gives them: category values in words, as the postings show them. */
export interface LeverQuery {
  team: string[];
  location: string[];
  commitment: string[];
  department: string[];
  level: string[];
  skip: number;
  limit: number;
  group: LeverGroup | undefined;
}

const WORKPLACE: Record<WorkplaceType, string> = { on_site: 'on-site', hybrid: 'hybrid', remote: 'remote' };
const INTERVAL: Record<PayUnit, string> = {
  HOUR: 'per-hour-wage',
  DAY: 'per-day-wage',
  WEEK: 'per-week-salary',
  MONTH: 'per-month-salary',
  YEAR: 'per-year-salary',
};

/** The job's places as Lever names locations: "City, CC", or "Remote" for a remote job without any. */
export function leverLocations(job: Pick<PublicJob, 'locations'>): string[] {
  const places = [...new Set(job.locations.map((l) => `${l.city}, ${l.country}`))];
  return places.length ? places : ['Remote'];
}

/** A job as a Lever posting. Team is our team, department our category, commitment the employment type. */
export function toPosting(job: PublicJob, publicUrl: string) {
  const hostedUrl = `${publicUrl}${jobPath(job)}`;
  const body = descriptionHtml(job);
  const lists = [
    { text: 'Basic qualifications', items: job.basicQualifications },
    { text: 'Preferred qualifications', items: job.preferredQualifications },
  ]
    .filter((l) => l.items.length > 0)
    .map((l) => ({ text: l.text, content: listItemsHtml(l.items) }));
  const additional = job.principles.length ? `<div>The principles this role leans on most: ${job.principles.map((p) => escapeHtml(p.name)).join(', ')}.</div>` : '';
  const allLocations = leverLocations(job);
  return {
    id: job.uuid,
    text: job.title,
    categories: {
      team: job.team.name,
      department: job.category,
      location: allLocations[0]!,
      commitment: EMPLOYMENT_TYPE_LABELS[job.employmentType],
      level: levelLabel(job.level),
      allLocations,
    },
    country: job.locations[0]?.country ?? job.applicantCountries[0] ?? null,
    opening: '',
    openingPlain: '',
    description: body,
    descriptionPlain: htmlToText(body),
    descriptionBody: body,
    descriptionBodyPlain: htmlToText(body),
    lists,
    additional,
    additionalPlain: htmlToText(additional),
    hostedUrl,
    applyUrl: `${hostedUrl}/apply`,
    workplaceType: WORKPLACE[job.workplaceType],
    ...(job.pay ? { salaryRange: { currency: job.pay.currency, interval: INTERVAL[job.pay.unit], min: job.pay.min, max: job.pay.max } } : {}),
    createdAt: job.postedAt.getTime(),
  };
}

export type Posting = ReturnType<typeof toPosting>;

const employmentTypeByLabel = new Map<string, EmploymentType>(EMPLOYMENT_TYPES.map((t) => [EMPLOYMENT_TYPE_LABELS[t], t]));
const levelByLabel = new Map<string, number>(LEVELS.map((l) => [l.label, l.value]));

/** Category words to the values stored; a word that names nothing keeps the filter and matches nothing. */
function toFilters(query: LeverQuery): PostingFilters | undefined {
  const employmentTypes = query.commitment.flatMap((c) => employmentTypeByLabel.get(c) ?? []);
  const levels = query.level.flatMap((l) => levelByLabel.get(l) ?? []);
  if ((query.commitment.length && !employmentTypes.length) || (query.level.length && !levels.length)) return undefined;
  return { teams: query.team, categories: query.department, employmentTypes, levels, places: query.location };
}

const groupKey: Record<LeverGroup, (p: Posting) => string> = {
  team: (p) => p.categories.team,
  location: (p) => p.categories.location,
  commitment: (p) => p.categories.commitment,
  department: (p) => p.categories.department,
};

/**
 * GET /v0/postings/{site}: public postings newest first, filtered in the database, `skip` then
 * at most `limit` of them; grouped by a category (groups in alphabetical order) when asked.
 */
export async function listPostings({ db, publicUrl, query }: { db: Db; publicUrl: string; query: LeverQuery }): Promise<Posting[] | Array<{ title: string; postings: Posting[] }>> {
  const filters = toFilters(query);
  const ids = filters ? await findPostingIds(db, filters, { skip: query.skip, limit: Math.min(query.limit, LEVER_MAX_LIMIT) }) : [];
  const postings = (await findJobsByIds(db, ids, { publicOnly: true })).map((job) => toPosting(job, publicUrl));
  if (!query.group) return postings;
  const key = groupKey[query.group];
  const groups = new Map<string, Posting[]>();
  for (const posting of postings) {
    const title = key(posting);
    const list = groups.get(title);
    if (list) list.push(posting);
    else groups.set(title, [posting]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([title, list]) => ({ title, postings: list }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /v0/postings/{site}/{id}: one public posting by its uuid, or undefined. */
export async function getPosting({ db, publicUrl, id }: { db: Db; publicUrl: string; id: string }): Promise<Posting | undefined> {
  if (!UUID.test(id)) return undefined;
  const jobId = await findPublicJobIdByUuid(db, id.toLowerCase());
  if (jobId === undefined) return undefined;
  const [job] = await findJobsByIds(db, [jobId], { publicOnly: true });
  return job ? toPosting(job, publicUrl) : undefined;
}
