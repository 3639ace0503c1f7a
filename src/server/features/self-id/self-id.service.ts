import { aggregateSelfId, SELF_ID_SETTING } from '../../../domain/self-identification.ts';
import type { SelfIdReport } from '../../../web/staff/self-identification.tsx';
import type { Db } from '../../db/client.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import { getSetting, putSetting } from '../staff/settings.repository.ts';
import { listJobsWithSelfId, listSelfIdAnswers } from './self-id.repository.ts';

/** The aggregate report: counts per answer with small groups suppressed, for one job or all. */
export async function selfIdReport({ db, jobId }: { db: Db; jobId: number | undefined }): Promise<SelfIdReport> {
  const [enabled, jobs, answers] = await Promise.all([getSetting<boolean>(db, SELF_ID_SETTING), listJobsWithSelfId(db), listSelfIdAnswers(db, jobId)]);
  return { enabled: enabled === true, jobs, jobId, questions: aggregateSelfId(answers) };
}

/** Turns the questions on the apply form on or off (an admin's choice), recorded in the audit log. */
export async function setSelfIdentification({ db, enabled, by }: { db: Db; enabled: boolean; by: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await putSetting(tx, SELF_ID_SETTING, enabled);
    await recordStaffAudit(tx, { actorId: by, action: 'setting.updated', subjectType: 'setting', subjectId: SELF_ID_SETTING, before: { value: before ?? false }, after: { value: enabled } });
  });
}
