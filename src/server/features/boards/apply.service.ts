import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { PublicJob } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ValidationError, type FieldError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import { applyForJob, type PostedFields } from '../applications/applications.service.ts';
import { MAX_RESUME_BYTES } from '../applications/resumes.ts';
import type { Mail } from '../mail/mail.types.ts';
import { findJobsByIds } from '../jobs/jobs.repository.ts';
import { findPublicJobIdByUuid } from './boards.repository.ts';

// The apply side of the Greenhouse- and Lever-compatible APIs: their field names in, applyForJob's
// PostedFields out, and its field errors named back the way each API names the fields.

/** An application as a job board sent it: every field as strings (JSON flattened to `a[b]` names), and the resume file if any. */
export interface BoardApplication {
  fields: PostedFields;
  resume: { filename: string; bytes: Buffer } | undefined;
}

export interface BoardApplyOptions {
  db: Db;
  files: FileStore;
  mail: Mail;
  publicUrl: string;
  log?: FastifyBaseLogger;
  /** The API key the board authenticated with: idempotency keys are scoped to it. */
  apiKeyId: number;
  /** The client's `Idempotency-Key` header, when it sent one. */
  idempotencyKey: string | undefined;
  application: BoardApplication;
}

/** Our field error as the board names the field; a field not renamed keeps its name. */
type Rename = (error: FieldError) => FieldError[];

/**
 * A Greenhouse Job Board API application (`POST /v1/boards/{token}/jobs/{id}`) to the public
 * job with this post id. Returns undefined for an unknown or non-public job.
 */
export async function applyThroughGreenhouse(options: BoardApplyOptions & { jobId: number }) {
  const [job] = await findJobsByIds(options.db, [options.jobId], { publicOnly: true });
  if (!job) return undefined;
  const f = options.application.fields;
  const first = one(f, 'first_name');
  const last = one(f, 'last_name');
  const fields: PostedFields = {
    // Both names are required, as on Greenhouse: a missing one makes the full name empty, and its error is named after the missing parts.
    name: [first && last ? `${first} ${last}` : ''],
    email: f.email ?? [],
    phone: f.phone ?? [],
    location: f.location ?? [],
    resumeText: f.resume_text ?? [],
    ...answers(job, (id) => f[`question_${id}[]`] ?? f[`question_${id}`], (question, value) => greenhouseChoice(question, value)),
  };
  const rename: Rename = ({ field, message }) => {
    if (field === 'name') {
      return [...(first ? [] : [{ field: 'first_name', message: 'Enter the first name' }]), ...(last ? [] : [{ field: 'last_name', message: 'Enter the last name' }])];
    }
    if (field === 'resumeText') return [{ field: 'resume_text', message }];
    const q = questionOf(job, field);
    if (q) return [{ field: q.kind === 'multiple_choice' ? `question_${q.id}[]` : `question_${q.id}`, message }];
    return [{ field, message }];
  };
  return submit(options, job, fields, rename);
}

/**
 * A Lever postings API application (`POST /v0/postings/{site}/{id}`) to the public job with
 * this uuid. Returns undefined for an unknown or non-public posting.
 */
export async function applyThroughLever(options: BoardApplyOptions & { postingId: string }) {
  if (!/^[0-9a-f-]{36}$/i.test(options.postingId)) return undefined;
  const id = await findPublicJobIdByUuid(options.db, options.postingId.toLowerCase());
  const [job] = id === undefined ? [] : await findJobsByIds(options.db, [id], { publicOnly: true });
  if (!job) return undefined;
  const f = options.application.fields;
  const url = (...labels: string[]) => labels.flatMap((label) => f[`urls[${label}]`] ?? []).slice(0, 1);
  const fields: PostedFields = {
    name: f.name ?? [],
    email: f.email ?? [],
    phone: f.phone ?? [],
    location: f.location ?? [],
    linkedin: url('LinkedIn', 'Linkedin', 'linkedin'),
    github: url('GitHub', 'Github', 'github'),
    portfolio: url('Portfolio', 'portfolio', 'Website', 'website', 'Other', 'other'),
    resumeText: f.resume_text ?? [],
    consentTalentPool: ['marketing', 'store'].some((k) => isYes(one(f, `consent[${k}]`))) ? ['yes'] : [],
    ...answers(job, (id) => f[`cards[${id}][field0]`] ?? f[`cards[${id}][field0][]`], (question, value) => leverChoice(question, value)),
  };
  const rename: Rename = ({ field, message }) => {
    const q = questionOf(job, field);
    const named = q ? `cards[${q.id}][field0]` : { linkedin: 'urls[LinkedIn]', github: 'urls[GitHub]', portfolio: 'urls[Portfolio]', resumeText: 'resume_text' }[field];
    return [{ field: named ?? field, message }];
  };
  return submit(options, job, fields, rename);
}

async function submit(options: BoardApplyOptions, job: PublicJob, fields: PostedFields, rename: Rename) {
  const { application } = options;
  if (application.resume && application.resume.bytes.length > MAX_RESUME_BYTES) throw resumeTooLarge();
  try {
    return await applyForJob({
      db: options.db,
      files: options.files,
      mail: options.mail,
      publicUrl: options.publicUrl,
      ...(options.log ? { log: options.log } : {}),
      job,
      // An API client applies on the candidate's behalf and, by using its key, asserts that the candidate consented.
      fields: { ...fields, consentProcessing: ['yes'], idempotencyKey: [idempotencyKey(options, job.id)] },
      resume: application.resume,
      source: 'job_board',
    });
  } catch (error) {
    if (error instanceof ValidationError) {
      const fields = error.fields.flatMap(rename);
      throw new ValidationError(fields.length === 1 ? fields[0]!.message : `There are ${fields.length} problems with the application.`, fields);
    }
    throw error;
  }
}

export const resumeTooLarge = () => new AppError(413, 'file_too_large', 'The resume is larger than 10 MB.');

/**
 * The key applyForJob deduplicates on. With an `Idempotency-Key` header, a hash of the API key,
 * the job and the header, so one client's retries give one application and two clients (or two
 * jobs) can never share a key; without one, a fresh key, so every request is a new attempt.
 */
function idempotencyKey(options: BoardApplyOptions, jobId: number): string {
  const header = options.idempotencyKey;
  const hex = header
    ? createHash('sha256').update(`${options.apiKeyId}\n${jobId}\n${header}`).digest('hex')
    : createHash('sha256').update(randomUUID()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const one = (fields: PostedFields, name: string) => fields[name]?.map((v) => v.trim()).find(Boolean);
const isYes = (value: string | undefined) => value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());

type Question = PublicJob['questions'][number];

function questionOf(job: PublicJob, field: string): Question | undefined {
  const match = /^q(\d+)$/.exec(field);
  return match ? job.questions.find((q) => q.id === Number(match[1])) : undefined;
}

/**
 * Screening answers as applyForJob reads them (`q{id}`), translated from the board's values.
 * A value that cannot be translated is passed on as it came, so applyForJob refuses it with its
 * usual message instead of it being silently dropped.
 */
function answers(job: PublicJob, raw: (id: number) => string[] | undefined, translate: (q: Question, value: string) => string | undefined): PostedFields {
  return Object.fromEntries(job.questions.map((q) => [`q${q.id}`, (raw(q.id) ?? []).map((v) => v.trim()).filter(Boolean).map((v) => translate(q, v) ?? `\u0000${v}`)]));
}

/** Greenhouse values, as `GET …/jobs/{id}?questions=true` lists them: yes/no as 1/0, choices by position from 0. */
function greenhouseChoice(q: Question, value: string): string | undefined {
  switch (q.kind) {
    case 'yes_no':
      return value === '1' ? 'yes' : value === '0' ? 'no' : undefined;
    case 'single_choice':
    case 'multiple_choice':
      return /^\d{1,4}$/.test(value) ? q.options[Number(value)] : undefined;
    default:
      return value;
  }
}

/** Lever sends the text of the chosen option; yes/no also as Lever's checkbox-style true/false. */
function leverChoice(q: Question, value: string): string | undefined {
  if (q.kind === 'yes_no') {
    const lower = value.toLowerCase();
    return ['yes', 'true', '1'].includes(lower) ? 'yes' : ['no', 'false', '0'].includes(lower) ? 'no' : undefined;
  }
  return value;
}
