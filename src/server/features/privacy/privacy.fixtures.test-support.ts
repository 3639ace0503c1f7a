import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Stage } from '../../../domain/pipeline.ts';
import type { Db } from '../../db/client.ts';
import { applicationEvents, applications, people, resumes } from '../../db/schema/index.ts';
import type { FileStore } from '../../files/file-store.ts';

/** For tests: a person with applications closed (or changed) some days ago, and optionally a stored resume file. */
export async function insertApplicant(
  db: Db,
  options: {
    email: string;
    jobId: number;
    applications: Array<{ stage: Stage; daysAgo: number; talentPool?: boolean }>;
    legalHold?: boolean;
    files?: FileStore;
  },
): Promise<{ personId: number; storageKey: string | null }> {
  const [person] = await db
    .insert(people)
    .values({ email: options.email, name: 'Test Person', phone: '+1 555 0100', location: 'Springfield', links: [{ label: 'GitHub', url: 'https://github.com/test' }], legalHold: options.legalHold ?? false })
    .returning({ id: people.id });
  const personId = person!.id;
  const storageKey = options.files ? await options.files.put(Buffer.from('%PDF-1.4 resume')) : null;
  const [resume] = await db
    .insert(resumes)
    .values({ personId, filename: 'cv.pdf', contentType: 'application/pdf', size: 15, storageKey, text: 'resume text' })
    .returning({ id: resumes.id });
  for (const app of options.applications) {
    const at = sql`now() - make_interval(days => ${app.daysAgo})`;
    const [row] = await db
      .insert(applications)
      .values({
        personId,
        jobId: options.jobId,
        resumeId: resume!.id,
        stage: app.stage,
        idempotencyKey: randomUUID(),
        consentProcessing: true,
        consentTalentPool: app.talentPool ?? false,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: applications.id });
    await db.insert(applicationEvents).values({ applicationId: row!.id, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: personId, at });
  }
  return { personId, storageKey };
}
