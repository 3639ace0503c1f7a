import type { FastifyBaseLogger } from 'fastify';
import { candidateStatus, isActive, type CandidateStatus, type Stage } from '../../../domain/pipeline.ts';
import { applyFieldsSchema } from '../../../shared/contracts/apply.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import {
  deleteResumeOfPerson,
  findApplicationOfPerson,
  findProfile,
  findResumeOfPerson,
  insertAudit,
  insertResume,
  listApplicationEvents,
  listApplicationsOfPerson,
  listResumesOfPerson,
  lockApplicationStage,
  moveApplication,
  updateProfile,
} from '../applications/applications.repository.ts';
import { safeFilename } from '../applications/applications.service.ts';
import { readResume } from '../applications/resumes.ts';

/*
 * What a signed-in candidate does with what is theirs: their applications (with a timeline in
 * plain words), withdrawing one, their profile and their resumes. Every use case takes the
 * person's id from the session and only ever reads or changes that person's rows; a row of
 * someone else is "not found". Routes call these only once the email address is verified.
 */

/** One step of an application as the candidate sees it: never an internal stage name. */
export type TimelineEntry =
  | { at: Date; kind: 'received' | 'confirmed' | 'withdrawn' }
  | { at: Date; kind: 'status'; status: CandidateStatus };

export interface CandidateApplication {
  id: number;
  job: { id: number; slug: string; title: string };
  status: CandidateStatus;
  /** Still open, so it can be withdrawn. */
  active: boolean;
  appliedAt: Date;
  timeline: TimelineEntry[];
}

/** The person's applications, newest first, each with its status and timeline. */
export async function listCandidateApplications({ db, personId }: { db: Db; personId: number }): Promise<CandidateApplication[]> {
  const rows = await listApplicationsOfPerson(db, personId);
  const events = await listApplicationEvents(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    job: { id: row.jobId, slug: row.jobSlug, title: row.jobTitle },
    status: candidateStatus(row.stage as Stage),
    active: isActive(row.stage as Stage),
    appliedAt: row.createdAt,
    timeline: timeline(events.filter((e) => e.applicationId === row.id)),
  }));
}

/** Turns stored events into what the candidate is told: moves between internal steps that keep the same status are left out. */
function timeline(events: Array<{ at: Date; kind: string; toStage: string | null }>): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let shown: CandidateStatus = 'received';
  for (const event of events) {
    if (event.kind === 'applied') entries.push({ at: event.at, kind: 'received' });
    else if (event.kind === 'confirmed') entries.push({ at: event.at, kind: 'confirmed' });
    else if (event.kind === 'withdrawn') {
      entries.push({ at: event.at, kind: 'withdrawn' });
      shown = 'withdrawn';
    } else if (event.toStage) {
      const status = candidateStatus(event.toStage as Stage);
      if (status !== shown) entries.push({ at: event.at, kind: 'status', status });
      shown = status;
    }
  }
  return entries;
}

/** One application of the person, for the withdraw page; 404 when it is not theirs. */
export async function findCandidateApplication({ db, personId, applicationId }: { db: Db; personId: number; applicationId: number }) {
  const row = await findApplicationOfPerson(db, personId, applicationId);
  if (!row) throw new NotFoundError('There is no such application in your account.');
  return { id: row.id, job: { id: row.jobId, slug: row.jobSlug, title: row.jobTitle }, status: candidateStatus(row.stage as Stage), active: isActive(row.stage as Stage) };
}

/**
 * The candidate withdraws an open application: stage `withdrawn`, a timeline event and an
 * audit event, in one transaction with the row locked, so a recruiter moving it at the same
 * moment cannot interleave.
 */
export async function withdrawApplication({ db, personId, applicationId }: { db: Db; personId: number; applicationId: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const stage = await lockApplicationStage(tx, personId, applicationId);
    if (!stage) throw new NotFoundError('There is no such application in your account.');
    if (!isActive(stage as Stage)) throw new AppError(409, 'application_closed', 'This application is already closed, so there is nothing to withdraw.');
    await moveApplication(tx, {
      applicationId,
      from: stage,
      to: 'withdrawn',
      kind: 'withdrawn',
      actor: { type: 'candidate', id: personId },
      action: 'application.withdrawn',
    });
  });
}

/** The profile fields, with the same rules as the apply form. */
const profileSchema = applyFieldsSchema.pick({ name: true, phone: true, location: true, linkedin: true, github: true, portfolio: true });

/** The labels the profile form edits; other links (from elsewhere) are kept as they are. */
const LINK_FIELDS = [
  { field: 'linkedin', label: 'LinkedIn' },
  { field: 'github', label: 'GitHub' },
  { field: 'portfolio', label: 'Portfolio' },
] as const;

export interface CandidateProfile {
  email: string;
  name: string;
  phone: string;
  location: string;
  linkedin: string;
  github: string;
  portfolio: string;
}

/** The person's profile as the form shows it (empty strings for what they did not give). */
export async function findCandidateProfile({ db, personId }: { db: Db; personId: number }): Promise<CandidateProfile> {
  const row = await findProfile(db, personId);
  if (!row) throw new NotFoundError('There is no such person.');
  const link = (label: string) => row.links.find((l) => l.label === label)?.url ?? '';
  return {
    email: row.email,
    name: row.name,
    phone: row.phone ?? '',
    location: row.location ?? '',
    linkedin: link('LinkedIn'),
    github: link('GitHub'),
    portfolio: link('Portfolio'),
  };
}

/** Saves the name, phone, location and links; refuses with one message per field, as the apply form does. */
export async function updateCandidateProfile({ db, personId, fields }: { db: Db; personId: number; fields: Record<string, unknown> }): Promise<void> {
  const parsed = profileSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: FieldError[] = [];
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
    }
    throw new ValidationError(`There ${errors.length === 1 ? 'is a problem' : `are ${errors.length} problems`} with your profile.`, errors);
  }
  const values = parsed.data;
  await db.transaction(async (tx) => {
    const current = await findProfile(tx, personId);
    if (!current) throw new NotFoundError('There is no such person.');
    const edited = new Set<string>(LINK_FIELDS.map((l) => l.label));
    const links = [
      ...current.links.filter((l) => !edited.has(l.label)),
      ...LINK_FIELDS.flatMap(({ field, label }) => (values[field] ? [{ label, url: values[field] }] : [])),
    ];
    const after = { name: values.name, phone: values.phone ?? null, location: values.location ?? null, links };
    const before = await updateProfile(tx, personId, after);
    await insertAudit(tx, { actorType: 'candidate', actorId: personId, action: 'profile.updated', subjectType: 'person', subjectId: String(personId), before, after });
  });
}

export interface CandidateResume {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

/** The person's resumes, newest first. */
export async function listCandidateResumes({ db, personId }: { db: Db; personId: number }): Promise<CandidateResume[]> {
  return (await listResumesOfPerson(db, personId)).map(({ storageKey: _key, ...resume }) => resume);
}

/**
 * Adds a resume: its type sniffed and its text read (a file that is not a PDF, DOCX or text is
 * refused), the file stored first and removed again if the transaction fails.
 */
export async function addCandidateResume({
  db,
  files,
  personId,
  file,
}: {
  db: Db;
  files: FileStore;
  personId: number;
  file: { filename: string; bytes: Buffer };
}): Promise<number> {
  const read = await readResume(file.bytes);
  const filename = safeFilename(file.filename);
  // Plain text is kept as the resume's text alone, as when applying.
  const storageKey = read.kind !== 'txt' ? await files.put(file.bytes) : null;
  try {
    return await db.transaction(async (tx) => {
      const id = await insertResume(tx, { personId, filename, contentType: read.contentType, size: file.bytes.length, storageKey, text: read.text });
      await insertAudit(tx, {
        actorType: 'candidate',
        actorId: personId,
        action: 'resume.added',
        subjectType: 'resume',
        subjectId: String(id),
        after: { filename, contentType: read.contentType, size: file.bytes.length },
      });
      return id;
    });
  } catch (error) {
    if (storageKey) await files.delete(storageKey).catch(() => {});
    throw error;
  }
}

/**
 * Deletes a resume of the person: the row (applications that used it keep working, their
 * resume_id set null by the foreign key), then its file once the deletion is committed.
 */
export async function deleteCandidateResume({
  db,
  files,
  personId,
  resumeId,
  log,
}: {
  db: Db;
  files: FileStore;
  personId: number;
  resumeId: number;
  log?: FastifyBaseLogger;
}): Promise<void> {
  const deleted = await db.transaction(async (tx) => {
    const row = await deleteResumeOfPerson(tx, personId, resumeId);
    if (!row) throw new NotFoundError('There is no such resume in your account.');
    await insertAudit(tx, { actorType: 'candidate', actorId: personId, action: 'resume.deleted', subjectType: 'resume', subjectId: String(row.id), before: { filename: row.filename } });
    return row;
  });
  if (deleted.storageKey) {
    await files.delete(deleted.storageKey).catch((error: unknown) => log?.error({ err: error, resumeId }, 'the resume row is deleted but its file could not be removed'));
  }
}

/** The bytes of the person's resume, with its sniffed type; a pasted resume is its text. 404 when it is not theirs. */
export async function readCandidateResume({
  db,
  files,
  personId,
  resumeId,
}: {
  db: Db;
  files: FileStore;
  personId: number;
  resumeId: number;
}): Promise<{ filename: string; contentType: string; bytes: Buffer }> {
  const row = await findResumeOfPerson(db, personId, resumeId);
  if (!row) throw new NotFoundError('There is no such resume in your account.');
  const bytes = row.storageKey ? await files.get(row.storageKey) : Buffer.from(row.text, 'utf8');
  const filename = row.storageKey ? row.filename : row.filename.endsWith('.txt') ? row.filename : `${row.filename}.txt`;
  return { filename, contentType: row.contentType, bytes };
}

/** What the apply form is filled in with for a signed-in, verified candidate, and the resume they can reuse. */
export async function applyPrefill({ db, personId }: { db: Db; personId: number }): Promise<{
  values: Record<string, string[]>;
  latestResume: CandidateResume | undefined;
}> {
  const profile = await findCandidateProfile({ db, personId });
  const [latestResume] = await listCandidateResumes({ db, personId });
  const values: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(profile)) if (value) values[field] = [value];
  return { values, latestResume };
}
