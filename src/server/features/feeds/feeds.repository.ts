import { and, asc, gt, max, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobs, principles, site, teams } from '../../db/schema/index.ts';
import { isPublic } from '../jobs/jobs.repository.ts';

/** What the sitemap needs of a job: where its page is and when it last changed. */
export interface JobUrlRow {
  id: number;
  slug: string;
  updatedAt: Date;
}

/** The organization, and when the content pages last changed. */
export async function findContentDates(db: Db) {
  const [siteRows, teamRows, principleRows] = await Promise.all([
    db.select({ organization: site.organization, updatedAt: site.updatedAt }).from(site),
    db.select({ slug: teams.slug, updatedAt: teams.updatedAt }).from(teams).orderBy(asc(teams.position)),
    db.select({ slug: principles.slug, updatedAt: principles.updatedAt }).from(principles).orderBy(asc(principles.position)),
  ]);
  return { site: siteRows[0], teams: teamRows, principles: principleRows };
}

/** The organization named on the careers site, or undefined before any content is loaded. */
export async function findOrganization(db: Db): Promise<string | undefined> {
  const rows = await db.select({ organization: site.organization }).from(site);
  return rows[0]?.organization;
}

/**
 * Public jobs split into consecutive chunks of `size` by id, with each chunk's newest change.
 * One pass over the public jobs; the number of rows returned is the number of chunks.
 */
export async function findPublicJobChunks(db: Db, size: number): Promise<Array<{ chunk: number; jobs: number; lastModified: Date }>> {
  const numbered = db
    .select({
      updatedAt: jobs.updatedAt,
      chunk: sql<number>`((row_number() over (order by ${jobs.id})) - 1) / ${size}`.as('chunk'),
    })
    .from(jobs)
    .where(isPublic)
    .as('numbered');
  const rows = await db
    .select({ chunk: sql<number>`${numbered.chunk}::int`, jobs: sql<number>`count(*)::int`, lastModified: max(numbered.updatedAt) })
    .from(numbered)
    .groupBy(numbered.chunk)
    .orderBy(numbered.chunk);
  return rows.map((r) => ({ chunk: Number(r.chunk), jobs: Number(r.jobs), lastModified: new Date(r.lastModified!) }));
}

/**
 * Streams the URLs of public jobs in id order, `pageSize` at a time by keyset; `skip` and `take`
 * select one chunk of a split sitemap (the OFFSET runs once per chunk, then the keyset takes over).
 */
export async function* streamPublicJobUrls(db: Db, options: { skip?: number; take?: number; pageSize?: number } = {}): AsyncGenerator<JobUrlRow[]> {
  const pageSize = options.pageSize ?? 5000;
  let remaining = options.take ?? Number.POSITIVE_INFINITY;
  let after: number | undefined;
  let skip = options.skip ?? 0;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const page = await db
      .select({ id: jobs.id, slug: jobs.slug, updatedAt: jobs.updatedAt })
      .from(jobs)
      .where(and(isPublic, after === undefined ? undefined : gt(jobs.id, after)))
      .orderBy(asc(jobs.id))
      .limit(limit)
      .offset(skip);
    skip = 0;
    if (page.length === 0) return;
    yield page;
    remaining -= page.length;
    after = page.at(-1)!.id;
    if (page.length < limit) return;
  }
}
