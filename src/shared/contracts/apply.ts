import { z } from 'zod';
import type { QuestionKind } from './jobs.ts';

const text = (label: string, max: number) =>
  z
    .string({ error: `Enter your ${label}` })
    .trim()
    .min(1, `Enter your ${label}`)
    .max(max, `Your ${label} must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, `Your ${label} has characters we cannot keep`);

const optionalText = (label: string, max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), text(label, max).optional());

const link = (label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .max(500, `The ${label} link is too long`)
      .refine((value) => {
        try {
          return ['http:', 'https:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, `Enter the ${label} link as a full address starting with https://`)
      .optional(),
  );

/**
 * The fields of the apply form (besides the resume file and the screening answers), as the
 * server validates them. Messages say what to do, for the error summary and beside each field.
 */
export const applyFieldsSchema = z.object({
  name: text('full name', 200),
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Your email address is too long')
    .email('Enter an email address like name@example.com'),
  phone: optionalText('phone number', 40),
  location: optionalText('location', 200),
  linkedin: link('LinkedIn'),
  github: link('GitHub'),
  portfolio: link('portfolio'),
  resumeText: optionalText('resume text', 100_000),
  consentProcessing: z.literal('yes', { error: 'Agree to how we use your data to apply' }),
  consentTalentPool: z.preprocess((v) => v === 'yes', z.boolean()),
  idempotencyKey: z.string().regex(/^[0-9a-f-]{36}$/, 'The form expired; please send it again'),
});
export type ApplyFields = z.output<typeof applyFieldsSchema>;

/** Checks one screening answer against its question; returns the value to keep or a message. */
export function checkAnswer(
  question: { kind: QuestionKind; required: boolean; options: string[]; label: string },
  raw: string[] | undefined,
): { value: string | number | boolean | string[] | null } | { error: string } {
  const values = (raw ?? []).map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) return question.required ? { error: `Answer “${question.label}”` } : { value: null };
  const one = values[0]!;
  // eslint-disable-next-line no-control-regex -- refusing control characters (a NUL cannot be stored) is the point
  if (values.some((v) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v))) return { error: 'This answer has characters we cannot keep' };
  switch (question.kind) {
    case 'short_text':
      return one.length > 500 ? { error: 'Keep this answer under 500 characters' } : { value: one };
    case 'long_text':
      return one.length > 10_000 ? { error: 'Keep this answer under 10,000 characters' } : { value: one };
    case 'yes_no':
      return one === 'yes' || one === 'no' ? { value: one === 'yes' } : { error: 'Choose yes or no' };
    case 'number': {
      const n = Number(one);
      return Number.isFinite(n) && one !== '' ? { value: n } : { error: 'Enter a number' };
    }
    case 'single_choice':
      return question.options.includes(one) ? { value: one } : { error: 'Choose one of the options' };
    case 'multiple_choice':
      return values.every((v) => question.options.includes(v)) ? { value: [...new Set(values)] } : { error: 'Choose from the options' };
  }
}

/**
 * Where an application came from: the careers site, a job board through the Greenhouse- or
 * Lever-compatible apply APIs, or added by staff (a referral, an agency, a sourced candidate).
 */
export const APPLICATION_SOURCES = ['site', 'job_board', 'referral', 'agency', 'sourced'] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];

export const APPLICATION_SOURCE_LABELS: Record<ApplicationSource, string> = {
  site: 'Careers site',
  job_board: 'Job board',
  referral: 'Referral',
  agency: 'Agency',
  sourced: 'Sourced',
};
