import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications.ts';
import { teams } from './content.ts';
import { jobs } from './jobs.ts';

/**
 * A member of staff: admin, recruiter, hiring manager or interviewer, with a bar-raiser
 * certification on top. Staff are not people (candidates): the two never share a session.
 */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** admin, recruiter, hiring_manager or interviewer (see src/domain/policy.ts). */
    role: text('role').notNull(),
    barRaiser: boolean('bar_raiser').notNull().default(false),
    /** The job level they hold (1–8), compared with a job's level when planning loops. */
    level: smallint('level').notNull().default(5),
    teamId: integer('team_id').references(() => teams.id),
    /** Their manager, for the reporting chain a bar raiser must be outside of. */
    managerId: integer('manager_id'),
    /** argon2id; null for someone who signs in only by single sign-on or has not accepted an invite yet. */
    passwordHash: text('password_hash'),
    /** The OpenID Connect issuer and subject this account is linked to. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    /** Accounts made by the demo seed: the sign-in page says so and their passwords are printed at start. */
    demo: boolean('demo').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('staff_users_email_lower_idx').on(sql`lower(${t.email})`),
    uniqueIndex('staff_users_oidc_idx').on(t.oidcIssuer, t.oidcSubject),
  ],
);

/** An emailed invitation to join the staff with a role. Only a SHA-256 of the token is kept. */
export const staffInvites = pgTable(
  'staff_invites',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    invitedBy: integer('invited_by').references(() => staffUsers.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_invites_user_idx').on(t.userId)],
);

/** The hiring team of a job: its hiring manager, recruiters and interviewers. */
export const jobTeam = pgTable(
  'job_team',
  {
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** hiring_manager, recruiter or interviewer. */
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.userId] }), index('job_team_user_idx').on(t.userId)],
);

/** A job's history: every lifecycle transition, with the comment an approver or closer wrote. */
export const jobEvents = pgTable(
  'job_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: integer('actor_id').references(() => staffUsers.id),
    /** created, edited, submitted, approved, sent_back, held, resumed, closed… */
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    comment: text('comment'),
  },
  (t) => [index('job_events_job_idx').on(t.jobId, t.at)],
);

/** Staff notes on an application; `mentions` are the staff ids named with @. */
export const applicationNotes = pgTable(
  'application_notes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => staffUsers.id),
    body: text('body').notNull(),
    mentions: integer('mentions').array().notNull().default(sql`'{}'`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_notes_app_idx').on(t.applicationId, t.createdAt)],
);

/** Free-form labels staff put on applications. */
export const applicationTags = pgTable(
  'application_tags',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.tag] })],
);

/** In-app notifications for staff (an @mention, an approval waiting…). */
export const staffNotifications = pgTable(
  'staff_notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** A path inside the workspace, e.g. /staff/applications/12. */
    href: text('href').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_notifications_user_idx').on(t.userId, t.createdAt)],
);

/** Workspace settings (email templates, switches), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
