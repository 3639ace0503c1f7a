import { z } from 'zod';
import { EMPLOYMENT_TYPES, LEVELS, WORKPLACE_TYPES } from './jobs.ts';

/** Results per page of job search. */
export const PAGE_SIZE = 20;
/** How far back "posted within" may reach, in days, as offered on the page. */
export const POSTED_WITHIN_DAYS = [1, 7, 30] as const;
/** Radii offered for "within N km of a city". */
export const NEAR_RADII_KM = [25, 50, 100, 250] as const;

/** Text without control characters (a NUL cannot even reach PostgreSQL). */
const plain = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/**
 * A query parameter that may be given once or repeated. Codes may also be comma-separated
 * (`type=FULL_TIME,INTERN`); names such as "Seattle, US" may not, since they hold commas.
 */
const list = <T extends z.ZodType>(item: T, { commas = true } = {}) =>
  z.preprocess((value) => {
    if (value === undefined || value === '') return [];
    const values = (Array.isArray(value) ? value : [value]).map(String);
    return (commas ? values.flatMap((v) => v.split(',')) : values).map((v) => v.trim()).filter(Boolean);
  }, z.array(item).max(20, 'must have at most 20 values'));

const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess((v) => (v === undefined || v === '' ? undefined : Array.isArray(v) ? v[0] : v), z.coerce.number().pipe(schema).optional());

/**
 * The state of a job search, as it lives in the URL of /jobs and the parameters of
 * GET /api/v1/jobs: one schema for the page, the API, the feed and their tests.
 */
export const searchParamsSchema = z.object({
  q: z.preprocess((v) => (Array.isArray(v) ? v.join(' ') : v), z.string().trim().max(200, 'must be at most 200 characters').default('')),
  team: list(z.string().regex(/^[a-z0-9-]{1,80}$/, 'must be a team slug')),
  category: list(plain(80), { commas: false }),
  city: list(plain(160), { commas: false }),
  country: list(z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be a two-letter country code')),
  near: z.preprocess((v) => (Array.isArray(v) ? (v[0] as unknown) : v) || undefined, z.string().trim().pipe(plain(160)).optional()),
  km: optionalNumber(z.number().int().min(1).max(1000)).transform((v) => v ?? 50),
  workplace: list(z.enum(WORKPLACE_TYPES)),
  type: list(z.enum(EMPLOYMENT_TYPES)),
  level: list(z.coerce.number().int().min(1).max(LEVELS.length)),
  posted: optionalNumber(z.number().int().min(1).max(365)),
  pay: optionalNumber(z.number().int().min(0).max(100_000_000)),
  currency: z.preprocess((v) => (Array.isArray(v) ? v[0] : v) || undefined, z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/).optional()),
  sort: z.preprocess((v) => (Array.isArray(v) ? v[0] : v) || undefined, z.enum(['relevance', 'newest']).optional()),
  page: optionalNumber(z.number().int().min(1).max(500)).transform((v) => v ?? 1),
});
export type SearchParams = z.output<typeof searchParamsSchema>;

/** The dimensions that have facet counts. */
export const FACETS = ['team', 'category', 'city', 'country', 'workplace', 'type', 'level', 'posted'] as const;
export type Facet = (typeof FACETS)[number];

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

/** A job as a search result shows it. */
export interface JobSummary {
  id: number;
  slug: string;
  title: string;
  team: { slug: string; name: string };
  category: string;
  level: number;
  employmentType: string;
  workplaceType: string;
  location: string;
  postedAt: string;
  pay: { currency: string; min: number; max: number; unit: string } | null;
  /** A short plain-text excerpt of the description. */
  excerpt: string;
  url: string;
}

export interface SearchResult {
  params: SearchParams;
  total: number;
  page: number;
  pageCount: number;
  jobs: JobSummary[];
  facets: Record<Facet, FacetValue[]>;
  /** Words the search also tried because they look like typos of title words: `{ from, to }`. */
  corrections: Array<{ from: string; to: string }>;
  /** When nothing matched: filters whose removal would give results, with how many. */
  relax: Array<{ param: keyof SearchParams; label: string; total: number }>;
}

/** The URL query string for search params, leaving out defaults so shared links stay short. */
export function searchQueryString(params: Partial<SearchParams>, overrides: Partial<SearchParams> = {}): string {
  const merged = { ...params, ...overrides } as Partial<SearchParams>;
  const out = new URLSearchParams();
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    if (Array.isArray(value)) for (const v of value) out.append(key, String(v));
    else out.append(key, String(value));
  };
  add('q', merged.q);
  for (const key of ['team', 'category', 'city', 'country', 'workplace', 'type', 'level'] as const) add(key, merged[key]);
  add('near', merged.near);
  if (merged.near && merged.km && merged.km !== 50) add('km', merged.km);
  add('posted', merged.posted);
  add('pay', merged.pay);
  add('currency', merged.currency);
  add('sort', merged.sort);
  if (merged.page && merged.page > 1) add('page', merged.page);
  const text = out.toString();
  return text ? `?${text}` : '';
}
