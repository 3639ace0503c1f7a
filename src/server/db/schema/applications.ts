import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jobQuestions, jobs } from './jobs.ts';
import { people } from './people.ts';

/** A resume file of a person: where its bytes are kept, what it is, and its text for staff search. */
export const resumes = pgTable(
  'resumes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The name the candidate's file had, shown back to them and to staff. */
    filename: text('filename').notNull(),
    /** The type sniffed from the bytes (application/pdf, …docx, text/plain), never the one claimed. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    /** Where the file store keeps the bytes; null for a resume pasted as text. */
    storageKey: text('storage_key'),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('resumes_person_idx').on(t.personId),
    // The pipeline board's "resume words" filter matches this very expression.
    index('resumes_text_search_idx').using('gin', sql`to_tsvector('english', ${t.text})`),
  ],
);

/** A person's application to a job. At most one active per person and job (see the partial unique index). */
export const applications = pgTable(
  'applications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id),
    resumeId: integer('resume_id').references(() => resumes.id, { onDelete: 'set null' }),
    /** site, referral, agency or sourced. */
    source: text('source').notNull().default('site'),
    stage: text('stage').notNull().default('applied'),
    /** When the application entered its current stage, for "days in stage". */
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    /** Why it was rejected, when it was (staff only; the candidate sees a plain status). */
    rejectReason: text('reject_reason'),
    /** The key the form carried: a double submit, retry or replay with it makes one application. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    consentProcessing: boolean('consent_processing').notNull(),
    consentTalentPool: boolean('consent_talent_pool').notNull().default(false),
    /** Set when the candidate opens the emailed confirmation link (applications without an account). */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_one_active_idx')
      .on(t.personId, t.jobId)
      .where(sql`${t.stage} not in ('hired', 'rejected', 'withdrawn')`),
    index('applications_job_stage_idx').on(t.jobId, t.stage),
  ],
);

/** The answers to a job's screening questions. */
export const applicationAnswers = pgTable(
  'application_answers',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    questionId: integer('question_id')
      .notNull()
      .references(() => jobQuestions.id),
    /** A string, a number, a boolean or a list of chosen options. */
    value: jsonb('value').notNull(),
  },
  (t) => [uniqueIndex('application_answers_pk').on(t.applicationId, t.questionId)],
);

/** The append-only timeline of an application: every stage change and note-worthy step. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** applied, confirmed, moved, withdrawn… */
    kind: text('kind').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    actorType: text('actor_type').notNull(),
    actorId: integer('actor_id'),
    /** A reason or comment that goes with the event (e.g. why it was rejected). */
    detail: text('detail'),
  },
  (t) => [index('application_events_app_idx').on(t.applicationId, t.at)],
);

/** Jobs a candidate saved to look at later. */
export const savedJobs = pgTable(
  'saved_jobs',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_jobs_pk').on(t.personId, t.jobId)],
);

/** A saved search whose new matching jobs are emailed as a digest. */
export const jobAlerts = pgTable(
  'job_alerts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The search as its /jobs query string, e.g. "q=engineer&team=legal". */
    query: text('query').notNull(),
    /** daily or weekly. */
    frequency: text('frequency').notNull(),
    /** Jobs posted after this were not in a digest yet. */
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_alerts_person_idx').on(t.personId), index('job_alerts_due_idx').on(t.frequency, t.lastSentAt)],
);

/** Optional self-identification answers, kept apart from applications and shown only in aggregate. */
export const selfIdentifications = pgTable('self_identifications', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  jobId: integer('job_id')
    .notNull()
    .references(() => jobs.id),
  /** Question key → answer, e.g. { gender: 'woman' }; never linked to a person or application. */
  answers: jsonb('answers').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Keys for the job-board APIs' apply side. Only a SHA-256 of the key is kept. */
export const apiKeys = pgTable('api_keys', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  /** The first characters, to tell keys apart in lists. */
  prefix: text('prefix').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
