import { z } from 'zod';
import { slugSchema } from './content.ts';

/** schema.org JobPosting employmentType values. */
export const EMPLOYMENT_TYPES = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'TEMPORARY', 'INTERN', 'VOLUNTEER', 'PER_DIEM', 'OTHER'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
export const EMPLOYMENT_TYPE_LABELS: Record<EmploymentType, string> = {
  FULL_TIME: 'Full time',
  PART_TIME: 'Part time',
  CONTRACTOR: 'Contractor',
  TEMPORARY: 'Temporary',
  INTERN: 'Internship',
  VOLUNTEER: 'Volunteer',
  PER_DIEM: 'Per diem',
  OTHER: 'Other',
};

export const WORKPLACE_TYPES = ['on_site', 'hybrid', 'remote'] as const;
export type WorkplaceType = (typeof WORKPLACE_TYPES)[number];
export const WORKPLACE_TYPE_LABELS: Record<WorkplaceType, string> = { on_site: 'On-site', hybrid: 'Hybrid', remote: 'Remote' };

/** schema.org QuantitativeValue unitText values for pay. */
export const PAY_UNITS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type PayUnit = (typeof PAY_UNITS)[number];
export const PAY_UNIT_LABELS: Record<PayUnit, string> = { HOUR: 'per hour', DAY: 'per day', WEEK: 'per week', MONTH: 'per month', YEAR: 'per year' };

export const JOB_STATUSES = ['draft', 'pending_approval', 'open', 'on_hold', 'closed_filled', 'closed_cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Job levels, lowest first; interviewers are compared with a job by these numbers. */
export const LEVELS = [
  { value: 1, label: 'Intern' },
  { value: 2, label: 'Entry level' },
  { value: 3, label: 'Associate' },
  { value: 4, label: 'Mid level' },
  { value: 5, label: 'Senior' },
  { value: 6, label: 'Principal' },
  { value: 7, label: 'Director' },
  { value: 8, label: 'Vice president' },
] as const;
export const levelLabel = (level: number) => LEVELS.find((l) => l.value === level)?.label ?? `Level ${level}`;

export const QUESTION_KINDS = ['short_text', 'long_text', 'yes_no', 'single_choice', 'multiple_choice', 'number'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166-1 country code');

export const jobLocationSchema = z.strictObject({
  city: z.string().trim().min(1).max(120),
  region: z.string().trim().max(120).nullish().transform((v) => v || null),
  country: countryCode,
  latitude: z.number().min(-90).max(90).nullish().transform((v) => v ?? null),
  longitude: z.number().min(-180).max(180).nullish().transform((v) => v ?? null),
});
export type JobLocation = z.infer<typeof jobLocationSchema>;

export const screeningQuestionSchema = z
  .strictObject({
    label: z.string().trim().min(1).max(500),
    kind: z.enum(QUESTION_KINDS),
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  })
  .refine((q) => !q.kind.endsWith('choice') || q.options.length >= 2, { message: 'a choice question needs at least two options', path: ['options'] });
export type ScreeningQuestion = z.infer<typeof screeningQuestionSchema>;

export const payRangeSchema = z
  .strictObject({
    currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 currency code'),
    min: z.number().nonnegative(),
    max: z.number().nonnegative(),
    unit: z.enum(PAY_UNITS),
  })
  .refine((p) => p.max >= p.min, { message: 'max must not be below min', path: ['max'] });
export type PayRange = z.infer<typeof payRangeSchema>;

/**
 * A job as it is written: by `dayone import`, the demo seed and the staff editor.
 * References to teams and principles are by slug.
 */
export const jobInputSchema = z
  .strictObject({
    requisitionId: z.string().trim().min(1).max(40).optional(),
    title: z.string().trim().min(2).max(200),
    team: slugSchema,
    category: z.string().trim().min(2).max(80),
    level: z.number().int().min(1).max(LEVELS.length),
    employmentType: z.enum(EMPLOYMENT_TYPES),
    workplaceType: z.enum(WORKPLACE_TYPES),
    applicantCountries: z.array(countryCode).max(250).default([]),
    locations: z.array(jobLocationSchema).max(50).default([]),
    description: z.string().trim().min(1).max(50_000),
    basicQualifications: z.array(z.string().trim().min(1).max(1000)).max(30).default([]),
    preferredQualifications: z.array(z.string().trim().min(1).max(1000)).max(30).default([]),
    pay: payRangeSchema.nullish().transform((v) => v ?? null),
    principles: z.array(slugSchema).max(30).default([]),
    status: z.enum(JOB_STATUSES).default('open'),
    headcount: z.number().int().min(1).max(1000).default(1),
    postedAt: z.coerce.date().nullish().transform((v) => v ?? null),
    closesAt: z.coerce.date().nullish().transform((v) => v ?? null),
    questions: z.array(screeningQuestionSchema).max(50).default([]),
  })
  .refine((j) => j.workplaceType === 'remote' || j.locations.length > 0, {
    message: 'an on-site or hybrid job needs at least one location',
    path: ['locations'],
  })
  .refine((j) => j.workplaceType !== 'remote' || j.applicantCountries.length > 0 || j.locations.length > 0, {
    message: 'a remote job needs applicant countries or a location',
    path: ['applicantCountries'],
  })
  .refine((j) => !j.closesAt || !j.postedAt || j.closesAt > j.postedAt, { message: 'must be after postedAt', path: ['closesAt'] })
  .superRefine((job, ctx) => {
    // A lone UTF-16 surrogate (a JSON escape can carry one) is not a character; the database refuses it.
    const visit = (value: unknown, path: PropertyKey[]): void => {
      if (typeof value === 'string') {
        if (!value.isWellFormed()) ctx.addIssue({ code: 'custom', message: 'contains a lone surrogate, which is not a character', path });
      } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
      else if (value !== null && typeof value === 'object' && !(value instanceof Date)) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    };
    visit(job, []);
  });
export type JobInput = z.input<typeof jobInputSchema>;
export type ValidJobInput = z.output<typeof jobInputSchema>;

/** A job as public pages, feeds and APIs show it. */
export interface PublicJob {
  id: number;
  uuid: string;
  requisitionId: string;
  slug: string;
  title: string;
  team: { slug: string; name: string };
  category: string;
  level: number;
  employmentType: EmploymentType;
  workplaceType: WorkplaceType;
  applicantCountries: string[];
  locations: JobLocation[];
  descriptionMd: string;
  basicQualifications: string[];
  preferredQualifications: string[];
  pay: PayRange | null;
  principles: Array<{ slug: string; name: string }>;
  status: JobStatus;
  headcount: number;
  postedAt: Date;
  closesAt: Date | null;
  updatedAt: Date;
  questions: Array<ScreeningQuestion & { id: number }>;
}

/** The URL path of a job's page. */
export const jobPath = (job: { id: number; slug: string }) => `/jobs/${job.id}/${job.slug}`;

/** A URL slug made from a title: "Senior SDE, Payments" → "senior-sde-payments". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'job';
}

/** "Seattle, WA, US" or "Remote (US, CA)". */
export function locationLabel(job: Pick<PublicJob, 'locations' | 'workplaceType' | 'applicantCountries'>): string {
  const places = job.locations.map((l) => [l.city, l.region, l.country].filter(Boolean).join(', '));
  if (job.workplaceType === 'remote') {
    const where = job.applicantCountries.length ? job.applicantCountries.join(', ') : places.join('; ');
    return where ? `Remote (${where})` : 'Remote';
  }
  return places.join('; ');
}
