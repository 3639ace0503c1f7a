import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A person, one per email address whatever its letter case: candidates now, the same person's later applications too. */
export const people = pgTable(
  'people',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    phone: text('phone'),
    location: text('location'),
    /** LinkedIn, GitHub, portfolio… as { label, url }. */
    links: jsonb('links').$type<Array<{ label: string; url: string }>>().notNull().default(sql`'[]'`),
    /** Staff set a legal hold to keep the person's data past the retention period. */
    legalHold: boolean('legal_hold').notNull().default(false),
    /** Set when retention or an erasure request anonymized the person; their rows stay only as counts. */
    anonymizedAt: timestamp('anonymized_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('people_email_lower_idx').on(sql`lower(${t.email})`)],
);

/** The sign-in of a candidate: a password (argon2id) or none when they only use emailed links. */
export const candidateAccounts = pgTable('candidate_accounts', {
  personId: integer('person_id')
    .primaryKey()
    .references(() => people.id, { onDelete: 'cascade' }),
  passwordHash: text('password_hash'),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Server-side sessions. The cookie holds a random token; only its SHA-256 is stored, so a
 * database leak gives no usable session. `kind` keeps candidate and staff sessions apart.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    kind: text('kind').notNull(),
    /** The candidate's person id (kind = candidate) or the staff user's id (kind = staff). */
    subjectId: integer('subject_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_subject_idx').on(t.kind, t.subjectId)],
);

/** One-time tokens sent by email: verify an address, reset a password, sign in by link. Stored as SHA-256. */
export const authTokens = pgTable(
  'auth_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose').notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_tokens_person_idx').on(t.personId, t.purpose)],
);

/** Fixed-window counters for rate limits shared by every node (sign-in, sign-up, reset, apply). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  hits: integer('hits').notNull(),
});

/** Every change is an event: who, when, what, before and after. Append-only; no route updates or deletes it. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** candidate, staff, system or anonymous. */
    actorType: text('actor_type').notNull(),
    actorId: integer('actor_id'),
    /** e.g. account.created, session.revoked_all, password.reset */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_events_subject_idx').on(t.subjectType, t.subjectId, t.at), index('audit_events_at_idx').on(t.at)],
);
