import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every email the app sends. Without SMTP_URL this table is the outbox people read; with it,
 * the row records delivery (sent_at, attempts, last_error) of the job queue's sends.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** What the email is about, e.g. application_received, verify_email, interview_invite. */
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    /** Extra headers sent with the message (List-Unsubscribe…). */
    headers: jsonb('headers').$type<Record<string, string>>(),
    /** An iCalendar attachment (text/calendar) and its METHOD, for interview invites. */
    ical: text('ical'),
    icalMethod: text('ical_method'),
    /** outbox (kept here only) or smtp. */
    transport: text('transport').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mail_messages_to_idx').on(t.toAddress, t.createdAt), index('mail_messages_created_idx').on(t.createdAt)],
);
