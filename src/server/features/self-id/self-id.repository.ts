import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobs, selfIdentifications } from '../../db/schema/index.ts';

/** The stored answers, of one job or of all; nothing in them names a person. */
export async function listSelfIdAnswers(db: Db, jobId: number | undefined): Promise<Array<Record<string, string>>> {
  const rows = await db
    .select({ answers: selfIdentifications.answers })
    .from(selfIdentifications)
    .where(jobId === undefined ? undefined : eq(selfIdentifications.jobId, jobId));
  return rows.map((r) => r.answers as Record<string, string>);
}

/** Jobs that have any answers, for the report's job filter. */
export async function listJobsWithSelfId(db: Db): Promise<Array<{ id: number; title: string }>> {
  return db
    .selectDistinct({ id: jobs.id, title: jobs.title })
    .from(selfIdentifications)
    .innerJoin(jobs, eq(jobs.id, selfIdentifications.jobId))
    .orderBy(jobs.title);
}
