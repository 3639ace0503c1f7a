import { z } from 'zod';

/** A URL-safe identifier: lowercase letters and digits in words joined by single hyphens. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters and digits joined by single hyphens');

const required = (otherwise: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : otherwise);

const text = (max: number) => z.string({ error: required('must be text') }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Front matter of `culture.md`, the home page of the careers site. */
export const cultureFrontMatterSchema = z.strictObject({
  organization: text(120),
  title: text(160),
  summary: text(300),
});

/** Front matter of each `teams/<slug>.md` and `principles/<slug>.md`. */
export const entryFrontMatterSchema = z.strictObject({
  name: text(160),
  /** Defaults to the file name without `.md`. */
  slug: slugSchema.optional(),
  order: z.number({ error: required('must be a whole number') }).int('must be a whole number'),
  summary: text(300),
});

export interface ContentEntry {
  slug: string;
  name: string;
  summary: string;
  bodyMd: string;
  position: number;
}

/** A validated content pack, ready to load. */
export interface ContentPack {
  culture: { organization: string; title: string; summary: string; bodyMd: string };
  teams: ContentEntry[];
  principles: ContentEntry[];
}

/** One problem found in a pack, naming the file and (when it is about one) the field. */
export interface PackIssue {
  file: string;
  field?: string;
  message: string;
}

/** A team or principle as pages show it: the Markdown body already rendered to sanitized HTML. */
export interface PublishedEntry {
  slug: string;
  name: string;
  summary: string;
  html: string;
  updatedAt: Date;
}

/** Everything the public content pages need, held in memory by each node. */
export interface ContentSnapshot {
  version: number;
  organization: string;
  culture: { title: string; summary: string; html: string; updatedAt: Date };
  teams: PublishedEntry[];
  principles: PublishedEntry[];
}
