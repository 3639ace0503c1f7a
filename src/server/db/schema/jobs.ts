import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { JobLocation } from '../../../shared/contracts/jobs.ts';
import { principles, teams } from './content.ts';

/** Numbers requisitions REQ-0000001, REQ-0000002… when an import gives none. */
export const requisitionSeq = pgSequence('requisition_seq', { startWith: 1 });

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A requisition and its posting. `id` is the public posting id used in URLs and feeds. */
export const jobs = pgTable(
  'jobs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 100001 }),
    /** Stable opaque id for the Lever-compatible API. */
    uuid: uuid('uuid').notNull().unique().defaultRandom(),
    requisitionId: text('requisition_id')
      .notNull()
      .unique()
      .default(sql`'REQ-' || lpad(nextval('requisition_seq')::text, 7, '0')`),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id),
    category: text('category').notNull(),
    level: smallint('level').notNull(),
    employmentType: text('employment_type').notNull(),
    workplaceType: text('workplace_type').notNull(),
    applicantCountries: text('applicant_countries').array().notNull().default(sql`'{}'`),
    locations: jsonb('locations').$type<JobLocation[]>().notNull().default(sql`'[]'`),
    /** Every country of the job (locations and remote applicant countries), for filters and facets. */
    countries: text('countries').array().notNull().default(sql`'{}'`),
    /** "City, CC" of each location, for filters and facets. */
    cities: text('cities').array().notNull().default(sql`'{}'`),
    descriptionMd: text('description_md').notNull(),
    basicQualifications: text('basic_qualifications').array().notNull().default(sql`'{}'`),
    preferredQualifications: text('preferred_qualifications').array().notNull().default(sql`'{}'`),
    payCurrency: text('pay_currency'),
    payMin: numeric('pay_min', { mode: 'number' }),
    payMax: numeric('pay_max', { mode: 'number' }),
    payUnit: text('pay_unit'),
    /** The top of the pay range over a year (2,080 hours, 260 days, 52 weeks, 12 months), for the minimum-pay filter. */
    payMaxAnnual: numeric('pay_max_annual', { mode: 'number' }),
    status: text('status').notNull(),
    headcount: integer('headcount').notNull().default(1),
    /** The pipeline stages of this job, in order (a template per job; the product's defaults unless changed). */
    stages: text('stages')
      .array()
      .notNull()
      .default(sql`'{applied,screen,phone_interview,onsite_loop,debrief,offer,hired}'`),
    /** Anonymized screening: staff see no name, email, phone, links or schools until an application passes screening. */
    anonymizedScreening: boolean('anonymized_screening').notNull().default(false),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Weighted words: title (A), category and team (B), description and qualifications (C). Written with the row. */
    searchDoc: tsvector('search_doc').notNull(),
    /** The title's words alone: relevance ranks jobs whose title matches first, without reading the larger search_doc. */
    titleDoc: tsvector('title_doc').generatedAlwaysAs(sql`to_tsvector('english', title)`),
  },
  (t) => [
    index('jobs_search_doc_idx').using('gin', t.searchDoc),
    index('jobs_public_posted_idx').on(t.postedAt.desc(), t.id.desc()).where(sql`${t.status} = 'open'`),
    index('jobs_team_idx').on(t.teamId),
    index('jobs_countries_idx').using('gin', t.countries),
    index('jobs_cities_idx').using('gin', t.cities),
  ],
);

export const jobPrinciples = pgTable(
  'job_principles',
  {
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    principleId: integer('principle_id')
      .notNull()
      .references(() => principles.id),
    position: smallint('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.principleId] }), index('job_principles_principle_idx').on(t.principleId)],
);

export const jobQuestions = pgTable(
  'job_questions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    label: text('label').notNull(),
    kind: text('kind').notNull(),
    required: boolean('required').notNull().default(false),
    options: text('options').array().notNull().default(sql`'{}'`),
  },
  (t) => [index('job_questions_job_idx').on(t.jobId, t.position)],
);

/** Distinct words of open job titles, with a trigram index, for "did you mean" typo tolerance. */
export const titleWords = pgTable(
  'title_words',
  {
    word: text('word').primaryKey(),
    jobs: integer('jobs').notNull(),
  },
  (t) => [index('title_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);


/**
 * A counter raised by a statement trigger on every change to jobs, so each node can tell
 * whether its cached search results are still current with one cheap read.
 */
export const catalogState = pgTable('catalog_state', {
  id: smallint('id').primaryKey().default(1),
  version: integer('version').notNull().default(0),
});

/** PostgreSQL's 64-bit transaction id: which transaction wrote a row, comparable across the id's wraparound. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * Which public jobs each transaction changed, written by the catalogue triggers. The in-memory
 * search index of each node reads the entries of transactions it has not seen yet (by id, not by
 * time, so a transaction that commits late is never skipped) and reloads just those jobs. A null
 * job id means every job (a truncate). Entries older than a day are pruned.
 */
export const jobChanges = pgTable(
  'job_changes',
  {
    xid: xid8('xid').notNull(),
    jobId: integer('job_id'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_changes_xid_idx').on(t.xid)],
);
