import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { insertAudit } from '../accounts/accounts.repository.ts';
import { deleteSavedJob, findJobForSaving, findSavedJobs, insertSavedJob } from './saved.repository.ts';

/** A saved job as the list shows it: open ones link to their page, closed ones are marked. */
export interface SavedJobView {
  id: number;
  slug: string;
  title: string;
  open: boolean;
  savedAt: Date;
}

/** The job a person is about to save, or a 404 when no open job has this id. */
export async function findJobToSave({ db, jobId }: { db: Db; jobId: number }): Promise<{ id: number; slug: string; title: string }> {
  const job = await findJobForSaving(db, jobId);
  if (!job?.open) throw new NotFoundError('There is no open job with this number. It may have closed.');
  return { id: job.id, slug: job.slug, title: job.title };
}

/** Saves an open job for a person; saving it again changes nothing. */
export async function saveJob({ db, personId, jobId }: { db: Db; personId: number; jobId: number }): Promise<void> {
  await findJobToSave({ db, jobId });
  await db.transaction(async (tx) => {
    if (await insertSavedJob(tx, personId, jobId)) {
      await insertAudit(tx, { action: 'saved_job.added', personId, actor: 'candidate', after: { jobId } });
    }
  });
}

/** Forgets a saved job; a 404 when this person had not saved it. */
export async function unsaveJob({ db, personId, jobId }: { db: Db; personId: number; jobId: number }): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await deleteSavedJob(tx, personId, jobId))) throw new NotFoundError('This job is not in your saved jobs.');
    await insertAudit(tx, { action: 'saved_job.removed', personId, actor: 'candidate', before: { jobId } });
  });
}

export async function listSavedJobs({ db, personId }: { db: Db; personId: number }): Promise<SavedJobView[]> {
  return findSavedJobs(db, personId);
}
