import { and, arrayOverlaps, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobs, site, teams } from '../../db/schema/index.ts';
import type { EmploymentType } from '../../../shared/contracts/jobs.ts';
import { isPublic } from '../jobs/jobs.repository.ts';

/** The organization and its culture page, which the Greenhouse-compatible board shows as its intro. */
export async function findBoardSite(db: Db) {
  const rows = await db.select({ organization: site.organization, bodyMd: site.bodyMd }).from(site);
  return rows[0];
}

/** Every team in page order: the departments of the Greenhouse-compatible board. */
export async function findTeams(db: Db) {
  return db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.position));
}

/** The distinct "City, CC" places and country codes of public jobs: the offices of the board. */
export async function findPublicPlaces(db: Db): Promise<{ cities: string[]; countries: string[] }> {
  const [cityRows, countryRows] = await Promise.all([
    db.selectDistinct({ value: sql<string>`unnest(${jobs.cities})` }).from(jobs).where(isPublic),
    db.selectDistinct({ value: sql<string>`unnest(${jobs.countries})` }).from(jobs).where(isPublic),
  ]);
  return { cities: cityRows.map((r) => r.value), countries: countryRows.map((r) => r.value) };
}

/** The id of the public job with this uuid, or undefined. */
export async function findPublicJobIdByUuid(db: Db, uuid: string): Promise<number | undefined> {
  const rows = await db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.uuid, uuid), isPublic));
  return rows[0]?.id;
}

/**
 * Filters of the Lever-compatible postings list. Within a filter the values are alternatives
 * (OR); filters combine with AND. An empty list means "no filter".
 */
export interface PostingFilters {
  /** Team names, exactly. */
  teams: string[];
  /** Categories, exactly. */
  categories: string[];
  employmentTypes: EmploymentType[];
  levels: number[];
  /** "City, CC" places, exactly; "Remote" matches every remote job. */
  places: string[];
}

/** The page of public job ids matching the filters, newest first. */
export async function findPostingIds(db: Db, filters: PostingFilters, page: { skip: number; limit: number }): Promise<number[]> {
  const conditions: Array<SQL | undefined> = [isPublic];
  if (filters.teams.length) conditions.push(inArray(teams.name, filters.teams));
  if (filters.categories.length) conditions.push(inArray(jobs.category, filters.categories));
  if (filters.employmentTypes.length) conditions.push(inArray(jobs.employmentType, filters.employmentTypes));
  if (filters.levels.length) conditions.push(inArray(jobs.level, filters.levels));
  if (filters.places.length) {
    conditions.push(or(arrayOverlaps(jobs.cities, filters.places), filters.places.includes('Remote') ? eq(jobs.workplaceType, 'remote') : undefined));
  }
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .innerJoin(teams, eq(teams.id, jobs.teamId))
    .where(and(...conditions))
    .orderBy(desc(jobs.postedAt), desc(jobs.id))
    .limit(page.limit)
    .offset(page.skip);
  return rows.map((r) => r.id);
}
