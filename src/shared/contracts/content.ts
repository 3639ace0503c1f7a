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
  /** The question bank by principle slug; a principle without a questions file is absent. */
  questions: Record<string, BankQuestion[]>;
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

// ── The question bank ────────────────────────────────────────────────────────────────────────

/** Longest question, follow-up prompt and strong-evidence note, in characters; the pack and the admin form share them. */
export const QUESTION_LIMITS = { question: 500, followUp: 300, followUps: 8, strongEvidence: 1000 } as const;

/** One behavioural question of a principle: what the interviewer asks, how to probe, and what a strong answer holds. */
export interface BankQuestion {
  question: string;
  /** Prompts to dig further, in the order they are usually asked; at least one. */
  followUps: string[];
  /** What strong evidence sounds like, for the interviewer. */
  strongEvidence: string;
}

/** One entry of the `questions:` list in `questions/<principle-slug>.yaml`. */
export const packQuestionSchema = z.strictObject({
  question: text(QUESTION_LIMITS.question),
  followUps: z
    .array(text(QUESTION_LIMITS.followUp), { error: required('must be a list of prompts') })
    .min(1, 'must list at least one follow-up prompt')
    .max(QUESTION_LIMITS.followUps, `must list at most ${QUESTION_LIMITS.followUps} follow-up prompts`),
  strongEvidence: text(QUESTION_LIMITS.strongEvidence),
});

/** A `questions/<principle-slug>.yaml` file: one field, the list of the principle's questions. */
export const questionFileSchema = z.strictObject({
  questions: z.array(z.unknown(), { error: required('must be a list of questions') }).min(1, 'must list at least one question (delete the file to have none)'),
});

/** Splits a textarea of follow-up prompts, one per line, dropping blank lines and outer spaces. */
export const followUpLines = (raw: string): string[] =>
  raw
    .split(/\r\n?|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

const formText = (missing: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(max, `Enter at most ${max} characters`);

/**
 * A question as the admin form posts it: the follow-ups in one textarea, one per line.
 * Messages are written for the form (the pack has its own, naming files and fields).
 */
export const questionFormSchema = z.object({
  question: formText('Enter the question', QUESTION_LIMITS.question),
  followUps: z
    .string()
    .transform(followUpLines)
    .pipe(
      z
        .array(z.string().max(QUESTION_LIMITS.followUp, `Keep each follow-up prompt to at most ${QUESTION_LIMITS.followUp} characters`))
        .min(1, 'Enter at least one follow-up prompt, one per line')
        .max(QUESTION_LIMITS.followUps, `Enter at most ${QUESTION_LIMITS.followUps} follow-up prompts`),
    ),
  strongEvidence: formText('Describe what strong evidence sounds like', QUESTION_LIMITS.strongEvidence),
});
