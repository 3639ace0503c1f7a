import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import yazl from 'yazl';
import { candidateStatus, CANDIDATE_STATUS_LABELS, type Stage } from '../../../domain/pipeline.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import {
  anonymizePerson,
  deletePersonalRows,
  findAlertsForExport,
  findAnswersForExport,
  findApplicationsForExport,
  findEventsForExport,
  findPersonForExport,
  findResumesForExport,
  findSavedJobsForExport,
  insertPersonAudit,
  lockPerson,
  withdrawActiveApplications,
} from './privacy.repository.ts';

/** Why a person was erased: they asked, or the retention period ran out. */
export type ErasureReason = 'candidate_request' | 'retention';

export interface ErasureResult {
  /** False when the person was already anonymized (or never existed): nothing was done. */
  erased: boolean;
  applications: number;
  resumes: number;
  /** Resume files removed from the file store. */
  files: number;
  mail: number;
}

/**
 * Erases a person: in one transaction their open applications are withdrawn, their account, sessions, links, saved jobs, alerts,
 * resumes, screening answers and the emails sent to them are deleted and the person row is
 * anonymized; their applications stay as anonymous rows (stage, job, dates) so counts and
 * funnels survive. An audit event records it without personal data. The resume files go
 * after the commit, so a failed transaction never loses a file it still points to; a file
 * that cannot be removed is logged, not retried (its row is gone, so no one can reach it).
 * Used by the candidate's own request and by the retention sweep alike.
 */
export async function erasePerson({
  db,
  files,
  personId,
  reason,
  log,
}: {
  db: Db;
  files: FileStore;
  personId: number;
  reason: ErasureReason;
  log?: FastifyBaseLogger;
}): Promise<ErasureResult> {
  const done = await db.transaction(async (tx) => {
    const person = await lockPerson(tx, personId);
    if (!person || person.anonymizedAt) return null;
    const actor = reason === 'candidate_request' ? 'candidate' : 'system';
    const withdrawn = await withdrawActiveApplications(tx, personId, actor);
    const removed = await deletePersonalRows(tx, personId, person.email);
    await anonymizePerson(tx, personId);
    await insertPersonAudit(tx, {
      action: 'person.erased',
      personId,
      actor,
      after: { reason, applications: removed.applications, withdrawn, resumes: removed.resumes, mail: removed.mail },
    });
    return removed;
  });
  if (!done) return { erased: false, applications: 0, resumes: 0, files: 0, mail: 0 };
  let deleted = 0;
  for (const key of done.storageKeys) {
    try {
      await files.delete(key);
      deleted += 1;
    } catch (error) {
      log?.error({ err: error, personId }, 'an erased person’s resume file could not be removed from the file store');
    }
  }
  return { erased: true, applications: done.applications, resumes: done.resumes, files: deleted, mail: done.mail };
}

/** What the export's data.json holds. */
export interface PersonalData {
  exportedAt: string;
  site: string;
  person: { email: string; name: string; phone: string | null; location: string | null; links: Array<{ label: string; url: string }>; createdAt: string };
  account: { createdAt: string; emailVerifiedAt: string | null; hasPassword: boolean } | null;
  applications: Array<{
    id: number;
    job: { id: number; title: string; requisitionId: string };
    stage: string;
    status: string;
    source: string;
    resumeId: number | null;
    consentProcessing: boolean;
    consentTalentPool: boolean;
    confirmedAt: string | null;
    createdAt: string;
    updatedAt: string;
    answers: Array<{ question: string; value: unknown }>;
    timeline: Array<{ at: string; kind: string; fromStage: string | null; toStage: string | null }>;
  }>;
  savedJobs: Array<{ job: { id: number; title: string }; savedAt: string }>;
  jobAlerts: Array<{ query: string; frequency: string; lastSentAt: string; createdAt: string }>;
  resumes: Array<{ id: number; filename: string; contentType: string; size: number; createdAt: string; file: string | null; text: string }>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Everything the site holds about a signed-in person, as a zip: data.json and their resume
 * files under resumes/. Writes an audit event. The archive streams; files are read first.
 */
export async function exportPersonalData({
  db,
  files,
  personId,
  publicUrl,
  now = new Date(),
}: {
  db: Db;
  files: FileStore;
  personId: number;
  publicUrl: string;
  now?: Date;
}): Promise<{ filename: string; stream: Readable }> {
  const person = await findPersonForExport(db, personId);
  if (!person) throw new AppError(404, 'not_found', 'There is no data for this account.');
  const [applications, savedJobs, alerts, resumes] = await Promise.all([
    findApplicationsForExport(db, personId),
    findSavedJobsForExport(db, personId),
    findAlertsForExport(db, personId),
    findResumesForExport(db, personId),
  ]);
  const ids = applications.map((a) => a.id);
  const [answers, events] = await Promise.all([findAnswersForExport(db, ids), findEventsForExport(db, ids)]);

  const zip = new yazl.ZipFile();
  const resumeEntries: PersonalData['resumes'] = [];
  for (const resume of resumes) {
    let file: string | null = null;
    if (resume.storageKey) {
      const bytes = await files.get(resume.storageKey).catch(() => null);
      if (bytes) {
        file = `resumes/${resume.id}-${zipSafeName(resume.filename)}`;
        zip.addBuffer(bytes, file, { mtime: resume.createdAt });
      }
    }
    resumeEntries.push({ id: resume.id, filename: resume.filename, contentType: resume.contentType, size: resume.size, createdAt: resume.createdAt.toISOString(), file, text: resume.text });
  }

  const data: PersonalData = {
    exportedAt: now.toISOString(),
    site: publicUrl,
    person: { email: person.email, name: person.name, phone: person.phone, location: person.location, links: person.links, createdAt: person.createdAt.toISOString() },
    account: person.accountCreatedAt
      ? { createdAt: person.accountCreatedAt.toISOString(), emailVerifiedAt: iso(person.emailVerifiedAt), hasPassword: person.hasPassword }
      : null,
    applications: applications.map((a) => ({
      id: a.id,
      job: { id: a.jobId, title: a.jobTitle, requisitionId: a.requisitionId },
      stage: a.stage,
      status: CANDIDATE_STATUS_LABELS[candidateStatus(a.stage as Stage)],
      source: a.source,
      resumeId: a.resumeId,
      consentProcessing: a.consentProcessing,
      consentTalentPool: a.consentTalentPool,
      confirmedAt: iso(a.confirmedAt),
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      answers: answers.filter((x) => x.applicationId === a.id).map((x) => ({ question: x.question, value: x.value })),
      timeline: events.filter((e) => e.applicationId === a.id).map((e) => ({ at: e.at.toISOString(), kind: e.kind, fromStage: e.fromStage, toStage: e.toStage })),
    })),
    savedJobs: savedJobs.map((s) => ({ job: { id: s.jobId, title: s.jobTitle }, savedAt: s.savedAt.toISOString() })),
    jobAlerts: alerts.map((a) => ({ query: a.query, frequency: a.frequency, lastSentAt: a.lastSentAt.toISOString(), createdAt: a.createdAt.toISOString() })),
    resumes: resumeEntries,
  };
  zip.addBuffer(Buffer.from(`${JSON.stringify(data, null, 2)}\n`), 'data.json', { mtime: now });
  zip.end();

  await db.transaction((tx) =>
    insertPersonAudit(tx, { action: 'person.exported', personId, actor: 'candidate', after: { applications: applications.length, resumeFiles: resumeEntries.filter((r) => r.file).length } }),
  );
  return { filename: `my-data-${now.toISOString().slice(0, 10)}.zip`, stream: zip.outputStream as Readable };
}

/** A file name safe inside a zip on every system: no folders, no control or reserved characters. */
function zipSafeName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_').replace(/^\.+/, '').slice(0, 120);
  return cleaned || 'resume';
}
