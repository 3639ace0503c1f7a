import { createHash, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { readSelfId } from '../../../domain/self-identification.ts';
import { applyFieldsSchema, checkAnswer, type ApplicationSource, type ApplyFields } from '../../../shared/contracts/apply.ts';
import { jobPath, type PublicJob } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ValidationError, type FieldError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import type { Mail } from '../mail/mail.types.ts';
import {
  confirmApplications,
  findActiveApplication,
  findApplicationByKey,
  findPersonEmail,
  findResumeOfPerson,
  insertApplication,
  insertSelfIdentification,
  insertResume,
  insertToken,
  upsertPerson,
  useToken,
} from './applications.repository.ts';
import { readResume } from './resumes.ts';

/** The person already has an application to this job that is still open. */
export class DuplicateApplicationError extends AppError {
  constructor(readonly applicationId: number) {
    super(409, 'already_applied', 'You have already applied to this job, and that application is still open. You can follow it in your account.');
  }
}

/** The fields of the form as posted: every value as the strings it came as. */
export type PostedFields = Record<string, string[]>;

export interface ApplyOptions {
  db: Db;
  files: FileStore;
  mail: Mail;
  publicUrl: string;
  log?: FastifyBaseLogger;
  job: PublicJob;
  fields: PostedFields;
  resume: { filename: string; bytes: Buffer } | undefined;
  /**
   * A resume the person already has, used when no file is sent (a signed-in candidate's "use my
   * latest resume"). It must belong to the person the form's email names, or the form is refused.
   */
  reuseResumeId?: number;
  /** The person signed in with a confirmed address, if any: their own application needs no emailed confirmation. */
  signedInPersonId?: number;
  /** Where it came from: the careers site unless a job board sent it through an apply API. */
  source?: ApplicationSource;
  /** Whether the form asked the voluntary self-identification questions (an admin's switch). */
  selfIdentification?: boolean;
}

const CONFIRM_HOURS = 72;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A candidate applies to an open job, with or without an account. Everything is checked
 * before anything is written; the person, resume, application, answers, timeline and audit
 * event are one transaction; the file is removed again if that transaction fails. The same
 * idempotency key always gives the same application. Mail is sent after the commit, and a
 * failing mail server never fails the application.
 */
export async function applyForJob(options: ApplyOptions): Promise<{ applicationId: number; replayed: boolean }> {
  const { db, job, fields } = options;
  const key = fields.idempotencyKey?.[0];
  if (key) {
    const earlier = await findApplicationByKey(db, key);
    if (earlier && earlier.jobId === job.id) return { applicationId: earlier.id, replayed: true };
  }

  const { values, answers, selfId } = validate(job, fields, options.resume !== undefined || options.reuseResumeId !== undefined, options.selfIdentification ?? false);
  const resume = options.resume ? { ...(await readResume(options.resume.bytes)), filename: safeFilename(options.resume.filename), bytes: options.resume.bytes } : undefined;
  const storageKey = resume && resume.kind !== 'txt' ? await options.files.put(resume.bytes) : undefined;
  const signedInEmail = options.signedInPersonId !== undefined ? await findPersonEmail(db, options.signedInPersonId) : undefined;

  let applicationId: number;
  let personId: number;
  try {
    ({ applicationId, personId } = await db.transaction(async (tx) => {
      const personId = await upsertPerson(
        tx,
        {
        email: values.email,
        name: values.name,
        phone: values.phone ?? null,
        location: values.location ?? null,
        links: [
          ...(values.linkedin ? [{ label: 'LinkedIn', url: values.linkedin }] : []),
          ...(values.github ? [{ label: 'GitHub', url: values.github }] : []),
          ...(values.portfolio ? [{ label: 'Portfolio', url: values.portfolio }] : []),
        ],
        },
        { asThePersonSignedIn: signedInEmail !== undefined && signedInEmail.toLowerCase() === values.email.toLowerCase() },
      );
      const active = await findActiveApplication(tx, personId, job.id);
      if (active) throw new DuplicateApplicationError(active);
      let resumeId: number | null = null;
      if (!resume && options.reuseResumeId !== undefined) {
        const kept = await findResumeOfPerson(tx, personId, options.reuseResumeId);
        if (!kept) {
          const message = 'Your saved resume can only go with your account’s email address. Attach your resume, or paste it as text';
          throw new ValidationError('There is a problem with your application.', [{ field: 'resume', message }]);
        }
        resumeId = kept.id;
      } else if (resume) {
        resumeId = await insertResume(tx, { personId, filename: resume.filename, contentType: resume.contentType, size: resume.bytes.length, storageKey: storageKey ?? null, text: resume.text });
      } else if (values.resumeText) {
        resumeId = await insertResume(tx, { personId, filename: 'Pasted resume', contentType: 'text/plain', size: Buffer.byteLength(values.resumeText), storageKey: null, text: values.resumeText });
      }
      const applicationId = await insertApplication(
        tx,
        {
          personId,
          jobId: job.id,
          resumeId,
          source: options.source ?? 'site',
          idempotencyKey: values.idempotencyKey,
          consentProcessing: true,
          consentTalentPool: values.consentTalentPool,
          // Signed in with a confirmed address as this very person: nothing left to confirm.
          ...(options.signedInPersonId === personId ? { confirmedAt: new Date() } : {}),
        },
        answers,
      );
      // Kept apart: the job and the day only, nothing that leads back to the person or the application.
      if (Object.keys(selfId).length) await insertSelfIdentification(tx, job.id, selfId);
      return { applicationId, personId };
    }));
  } catch (error) {
    if (storageKey) await options.files.delete(storageKey).catch(() => {});
    // A double submit that raced past the first check: answer with the application that won.
    if (isUniqueViolation(error, 'applications_idempotency_key_unique')) {
      const earlier = await findApplicationByKey(db, values.idempotencyKey);
      if (earlier && earlier.jobId === job.id) return { applicationId: earlier.id, replayed: true };
      throw new AppError(409, 'form_reused', 'This form was already used for another application. Open the job again and apply from there.');
    }
    if (error instanceof DuplicateApplicationError || isUniqueViolation(error, 'applications_one_active_idx')) {
      // The open application may be this very form, sent twice at once.
      const earlier = await findApplicationByKey(db, values.idempotencyKey);
      if (earlier && earlier.jobId === job.id) return { applicationId: earlier.id, replayed: true };
      throw error instanceof DuplicateApplicationError ? error : new DuplicateApplicationError(0);
    }
    throw error;
  }

  try {
    const token = randomBytes(32).toString('base64url');
    await insertToken(db, { tokenHash: hash(token), purpose: `confirm_application:${applicationId}`, personId, expiresAt: new Date(Date.now() + CONFIRM_HOURS * 3600_000) });
    await options.mail.send(receivedEmail({ to: values.email, name: values.name, job, publicUrl: options.publicUrl, confirmUrl: `${options.publicUrl}/applications/confirm?token=${token}` }));
  } catch (error) {
    options.log?.error({ err: error, applicationId }, 'the application is saved but its confirmation email could not be queued');
  }
  return { applicationId, replayed: false };
}

/** Confirms the application a token was sent for. Returns its id, or throws when the link is unknown, used or expired. */
export async function confirmApplication({ db, token }: { db: Db; token: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const used = await useToken(tx, hash(token), 'confirm_application:');
    if (!used) throw new AppError(410, 'link_expired', 'This confirmation link has expired or was already used. Your application is still saved.');
    const id = Number(used.purpose.split(':')[1]);
    await confirmApplications(tx, used.personId, [id]);
    return id;
  });
}

function validate(job: PublicJob, fields: PostedFields, hasFile: boolean, askSelfId: boolean) {
  const first = (name: string) => fields[name]?.[0];
  const parsed = applyFieldsSchema.safeParse({
    name: first('name'),
    email: first('email'),
    phone: first('phone'),
    location: first('location'),
    linkedin: first('linkedin'),
    github: first('github'),
    portfolio: first('portfolio'),
    resumeText: first('resumeText'),
    consentProcessing: first('consentProcessing'),
    consentTalentPool: first('consentTalentPool'),
    idempotencyKey: first('idempotencyKey'),
  });
  // One message per field: the first thing to fix.
  const errors: FieldError[] = [];
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0]);
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  if (!hasFile && !first('resumeText')?.trim()) errors.push({ field: 'resume', message: 'Attach your resume, or paste it as text' });
  const answers: Array<{ questionId: number; value: unknown }> = [];
  for (const question of job.questions) {
    const checked = checkAnswer(question, fields[`q${question.id}`]);
    if ('error' in checked) errors.push({ field: `q${question.id}`, message: checked.error });
    else if (checked.value !== null) answers.push({ questionId: question.id, value: checked.value });
  }
  const selfId = askSelfId ? readSelfId(fields) : { answers: {}, errors: [] };
  errors.push(...selfId.errors);
  if (errors.length || !parsed.success) throw new ValidationError(`There ${errors.length === 1 ? 'is a problem' : `are ${errors.length} problems`} with your application.`, errors);
  return { values: parsed.data as ApplyFields, answers, selfId: selfId.answers };
}

/** A file name safe to keep and to send back: no control characters or path separators, at most 120 characters. */
export function safeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim().slice(-120);
  return cleaned || 'resume';
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: string; constraint?: string; message?: string; cause?: unknown };
    if (e.code === '23505' && (e.constraint === constraint || e.message?.includes(constraint))) return true;
    current = e.cause;
  }
  return false;
}

function receivedEmail({ to, name, job, publicUrl, confirmUrl }: { to: string; name: string; job: PublicJob; publicUrl: string; confirmUrl: string }) {
  const jobUrl = `${publicUrl}${jobPath(job)}`;
  const text = [
    `Hello ${name},`,
    '',
    `Thank you for applying for ${job.title} (${job.requisitionId}).`,
    '',
    `Please confirm that it was you who applied by opening this link within ${CONFIRM_HOURS} hours:`,
    confirmUrl,
    '',
    'What happens next: a recruiter reads every application. If your experience fits, we will invite you to a short call; either way we will let you know.',
    `While you wait, you can read how our interviews work: ${jobUrl}/prepare`,
    '',
    'If you did not apply, ignore this email.',
  ].join('\n');
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const html = `<p>Hello ${escape(name)},</p><p>Thank you for applying for <a href="${escape(jobUrl)}">${escape(job.title)}</a> (${escape(job.requisitionId)}).</p><p>Please <a href="${escape(confirmUrl)}">confirm your application</a> within ${CONFIRM_HOURS} hours.</p><p>A recruiter reads every application. If your experience fits, we will invite you to a short call; either way we will let you know. Meanwhile, read <a href="${escape(jobUrl)}/prepare">how our interviews work</a>.</p><p>If you did not apply, ignore this email.</p>`;
  return { kind: 'application_received', to, subject: `We received your application: ${job.title}`, text, html };
}
