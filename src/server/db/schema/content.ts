import { sql } from 'drizzle-orm';
import { check, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/** The culture page of the loaded content pack; always one row (id = 1). */
export const site = pgTable(
  'site',
  {
    id: smallint('id').primaryKey().default(1),
    organization: text('organization').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    bodyMd: text('body_md').notNull(),
    /** Raised on every content load that changes anything; nodes compare it to refresh caches. */
    contentVersion: integer('content_version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('site_single_row', sql`${t.id} = 1`)],
);

export const teams = pgTable('teams', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  summary: text('summary').notNull(),
  bodyMd: text('body_md').notNull(),
  position: integer('position').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const principles = pgTable('principles', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  summary: text('summary').notNull(),
  bodyMd: text('body_md').notNull(),
  position: integer('position').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
