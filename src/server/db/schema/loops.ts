import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, numeric, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications.ts';
import { principles } from './content.ts';
import { jobs } from './jobs.ts';
import { staffUsers } from './staff.ts';

/** The question bank: behavioural questions per principle, loaded from the content pack and edited by admins. */
export const principleQuestions = pgTable(
  'principle_questions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    principleId: integer('principle_id')
      .notNull()
      .references(() => principles.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    question: text('question').notNull(),
    followUps: text('follow_ups').array().notNull().default(sql`'{}'`),
    /** What strong evidence sounds like, for the interviewer. */
    strongEvidence: text('strong_evidence').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('principle_questions_principle_idx').on(t.principleId, t.position)],
);

/** The interview loop of one application: planned, confirmed at the pre-brief, then debriefed and decided. */
export const loops = pgTable('loops', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  applicationId: integer('application_id')
    .notNull()
    .unique()
    .references(() => applications.id, { onDelete: 'cascade' }),
  /** planning, confirmed, debrief, decided. */
  status: text('status').notNull().default('planning'),
  hiringManagerId: integer('hiring_manager_id').references(() => staffUsers.id),
  /** The hiring manager asked for principles to be assessed twice. */
  allowDuplicates: boolean('allow_duplicates').notNull().default(false),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  confirmedBy: integer('confirmed_by').references(() => staffUsers.id),
  /** A loop made by recycling keeps the feedback of the loop it came from visible to its members. */
  recycledFromLoopId: integer('recycled_from_loop_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One interview of a loop: who, which principles, when and where, and its calendar identity. */
export const interviews = pgTable(
  'interviews',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    loopId: integer('loop_id')
      .notNull()
      .references(() => loops.id, { onDelete: 'cascade' }),
    interviewerId: integer('interviewer_id')
      .notNull()
      .references(() => staffUsers.id),
    /** interviewer, bar_raiser, hiring_manager or shadow. */
    role: text('role').notNull(),
    /** Slugs of the assigned principles, 2–3. */
    principles: text('principles').array().notNull().default(sql`'{}'`),
    position: smallint('position').notNull().default(0),
    /** unscheduled, scheduled or cancelled. */
    status: text('status').notNull().default('unscheduled'),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    durationMinutes: integer('duration_minutes'),
    /** The IANA zone the time was chosen in, to show it back as it was typed. */
    timeZone: text('time_zone'),
    room: text('room'),
    videoUrl: text('video_url'),
    /** iCalendar UID, stable for the interview's life; SEQUENCE is raised on every change sent. */
    icalUid: text('ical_uid').notNull().unique(),
    icalSequence: integer('ical_sequence').notNull().default(0),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('interviews_loop_idx').on(t.loopId), index('interviews_interviewer_idx').on(t.interviewerId, t.startsAt)],
);

/** What one interviewer wrote of one interview: per principle evidence and signal, and the overall vote. */
export const feedback = pgTable(
  'feedback',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    interviewId: integer('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => staffUsers.id),
    /** Per principle: { principle, situation, task, action, result, signal }. */
    evidence: jsonb('evidence').notNull().default(sql`'[]'`),
    /** strongly_inclined, inclined, not_inclined, strongly_not_inclined; null while a draft has none. */
    vote: text('vote'),
    /** draft or submitted. */
    status: text('status').notNull().default('draft'),
    /** 0 for a draft never submitted; raised on every submit. */
    revision: integer('revision').notNull().default(0),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('feedback_interview_idx').on(t.interviewId)],
);

/** Every submitted revision of feedback, kept: a change after submitting never rewrites history. */
export const feedbackRevisions = pgTable(
  'feedback_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    feedbackId: integer('feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    evidence: jsonb('evidence').notNull(),
    vote: text('vote').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('feedback_revisions_idx').on(t.feedbackId, t.revision)],
);

/** The debrief of a loop: when and why it opened, and the bar raiser's decision. */
export const debriefs = pgTable('debriefs', {
  loopId: integer('loop_id')
    .primaryKey()
    .references(() => loops.id, { onDelete: 'cascade' }),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
  openedBy: integer('opened_by').references(() => staffUsers.id),
  /** Why the bar raiser opened it before every feedback was in. */
  earlyReason: text('early_reason'),
  /** hire, no_hire or recycle. */
  decision: text('decision'),
  decisionLevel: smallint('decision_level'),
  /** For recycle: the job to consider the candidate for, and a note. */
  recycleJobId: integer('recycle_job_id').references(() => jobs.id),
  recycleNote: text('recycle_note'),
  memo: text('memo'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: integer('decided_by').references(() => staffUsers.id),
  /** Seconds from the end of the last interview to the decision. */
  secondsToDecision: integer('seconds_to_decision'),
});

/** Each loop member's final vote in the debrief; a vote that differs from their feedback's needs a reason. */
export const debriefVotes = pgTable(
  'debrief_votes',
  {
    loopId: integer('loop_id')
      .notNull()
      .references(() => loops.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => staffUsers.id),
    firstVote: text('first_vote'),
    finalVote: text('final_vote').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('debrief_votes_pk').on(t.loopId, t.memberId)],
);

/** An offer to a candidate: its terms, approvals and answer. */
export const offers = pgTable(
  'offers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** draft, pending_approval, approved, extended, accepted, declined, rescinded, expired. */
    status: text('status').notNull().default('draft'),
    title: text('title').notNull(),
    level: smallint('level').notNull(),
    basePay: numeric('base_pay', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    payUnit: text('pay_unit').notNull().default('YEAR'),
    startDate: text('start_date').notNull(),
    signOnBonus: numeric('sign_on_bonus', { mode: 'number' }),
    equity: text('equity'),
    notes: text('notes'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    extendedAt: timestamp('extended_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The candidate's reason for declining, or staff's for rescinding. */
    reason: text('reason'),
    expiryReminderSentAt: timestamp('expiry_reminder_sent_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => staffUsers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('offers_application_idx').on(t.applicationId)],
);

/** The approval chain of an offer, in order; each approver approves or rejects with a comment. */
export const offerApprovals = pgTable(
  'offer_approvals',
  {
    offerId: integer('offer_id')
      .notNull()
      .references(() => offers.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    approverId: integer('approver_id')
      .notNull()
      .references(() => staffUsers.id),
    /** pending, approved or rejected. */
    status: text('status').notNull().default('pending'),
    comment: text('comment'),
    at: timestamp('at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('offer_approvals_pk').on(t.offerId, t.position)],
);

/** Who approves offers, per team or per job (a job's chain wins over its team's). */
export const offerApprovalChains = pgTable(
  'offer_approval_chains',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** 'team' or 'job'. */
    scope: text('scope').notNull(),
    /** The team's slug or the job's id, as text. */
    scopeKey: text('scope_key').notNull(),
    approverIds: integer('approver_ids').array().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('offer_approval_chains_scope_idx').on(t.scope, t.scopeKey)],
);
