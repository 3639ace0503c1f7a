import {
  EMPLOYMENT_TYPES,
  JOB_STATUSES,
  LEVELS,
  PAY_UNITS,
  QUESTION_KINDS,
  WORKPLACE_TYPES,
  type JobLocation,
  type PayRange,
  type ScreeningQuestion,
  type ValidJobInput,
} from '../../../shared/contracts/jobs.ts';

// The import's fast path of `jobInputSchema`. At a million rows zod costs the import more than
// reading the file: about 20 µs a job. `readJobInput` checks the same rules by hand in a tenth
// of that and returns the very value the schema would, or undefined for anything it is not sure
// of (any rule broken, any value JSON cannot hold), which the caller then gives to the schema
// itself for its messages. So it may only ever be stricter than the schema, never looser; a
// property test compares both on thousands of inputs, valid and broken, and fails when the
// schema gains a field this file does not know.

/** A value that does not pass; the caller falls back to the schema. */
const NO = Symbol('no');
type Read<T> = T | typeof NO;

/** The fields of a job, in the order of the schema (and of its output). */
export const JOB_INPUT_FIELDS = [
  'requisitionId',
  'title',
  'team',
  'category',
  'level',
  'employmentType',
  'workplaceType',
  'applicantCountries',
  'locations',
  'description',
  'basicQualifications',
  'preferredQualifications',
  'pay',
  'principles',
  'status',
  'headcount',
  'postedAt',
  'closesAt',
  'questions',
] as const;

const JOB_KEYS = new Set<string>(JOB_INPUT_FIELDS);
const LOCATION_KEYS = new Set(['city', 'region', 'country', 'latitude', 'longitude']);
const PAY_KEYS = new Set(['currency', 'min', 'max', 'unit']);
const QUESTION_KEYS = new Set(['label', 'kind', 'required', 'options']);
const EMPLOYMENT = new Set<string>(EMPLOYMENT_TYPES);
const WORKPLACE = new Set<string>(WORKPLACE_TYPES);
const STATUS = new Set<string>(JOB_STATUSES);
const UNITS = new Set<string>(PAY_UNITS);
const KINDS = new Set<string>(QUESTION_KINDS);
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** An object as JSON.parse makes it, with no key outside `keys`. */
function plainObject(value: unknown, keys: Set<string>): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}

/** z.string().trim().min(min).max(max) */
function text(value: unknown, min: number, max: number): Read<string> {
  // The schema refuses a lone surrogate; leave such a text to it.
  if (typeof value !== 'string' || !value.isWellFormed()) return NO;
  const trimmed = value.trim();
  return trimmed.length >= min && trimmed.length <= max ? trimmed : NO;
}

/** slugSchema: z.string().regex(SLUG), not trimmed. */
function slug(value: unknown): Read<string> {
  return typeof value === 'string' && SLUG.test(value) ? value : NO;
}

/** The country code of the contracts: trimmed, upper-cased, two letters. */
function countryCode(value: unknown): Read<string> {
  if (typeof value !== 'string') return NO;
  const code = value.trim().toUpperCase();
  return COUNTRY.test(code) ? code : NO;
}

/** z.number() (finite) within [min, max], whole when `whole`. */
function number(value: unknown, min: number, max: number, whole = false): Read<number> {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return NO;
  return whole && !Number.isInteger(value) ? NO : value;
}

/** z.enum(...) */
function oneOf<T extends string>(value: unknown, values: Set<string>): Read<T> {
  return typeof value === 'string' && values.has(value) ? (value as T) : NO;
}

/** z.array(item).max(max).default([]) */
function list<T>(value: unknown, max: number, item: (value: unknown) => Read<T>): Read<T[]> {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) return NO;
  const out = new Array<T>(value.length);
  for (let i = 0; i < value.length; i++) {
    const read = item(value[i]);
    if (read === NO) return NO;
    out[i] = read;
  }
  return out;
}

/** z.coerce.date().nullish().transform((v) => v ?? null), for the values a file can hold: ISO text, or a Date given in memory. */
function date(value: unknown): Read<Date | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && !(value instanceof Date)) return NO;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? NO : parsed;
}

function location(value: unknown): Read<JobLocation> {
  if (!plainObject(value, LOCATION_KEYS)) return NO;
  const city = text(value.city, 1, 120);
  const region = value.region === undefined || value.region === null ? null : text(value.region, 0, 120);
  const country = countryCode(value.country);
  const latitude = value.latitude === undefined || value.latitude === null ? null : number(value.latitude, -90, 90);
  const longitude = value.longitude === undefined || value.longitude === null ? null : number(value.longitude, -180, 180);
  if (city === NO || region === NO || country === NO || latitude === NO || longitude === NO) return NO;
  return { city, region: region || null, country, latitude, longitude };
}

function pay(value: unknown): Read<PayRange | null> {
  if (value === undefined || value === null) return null;
  if (!plainObject(value, PAY_KEYS)) return NO;
  const currency = typeof value.currency === 'string' ? value.currency.trim().toUpperCase() : '';
  const min = number(value.min, 0, Infinity);
  const max = number(value.max, 0, Infinity);
  const unit = oneOf<PayRange['unit']>(value.unit, UNITS);
  if (!CURRENCY.test(currency) || min === NO || max === NO || unit === NO || max < min) return NO;
  return { currency, min, max, unit };
}

function question(value: unknown): Read<ScreeningQuestion> {
  if (!plainObject(value, QUESTION_KEYS)) return NO;
  const label = text(value.label, 1, 500);
  const kind = oneOf<ScreeningQuestion['kind']>(value.kind, KINDS);
  const required = value.required === undefined ? false : value.required;
  const options = list(value.options, 50, (o) => text(o, 1, 200));
  if (label === NO || kind === NO || typeof required !== 'boolean' || options === NO) return NO;
  if (kind.endsWith('choice') && options.length < 2) return NO;
  return { label, kind, required, options };
}

const qualification = (value: unknown) => text(value, 1, 1000);

/**
 * The job `jobInputSchema.parse(value)` would return, built the same way, when `value` passes
 * every rule of the schema; undefined when it does not, or when this fast path cannot be sure.
 */
export function readJobInput(value: unknown): ValidJobInput | undefined {
  if (!plainObject(value, JOB_KEYS)) return undefined;
  const requisitionId = value.requisitionId === undefined ? undefined : text(value.requisitionId, 1, 40);
  const title = text(value.title, 2, 200);
  const team = slug(value.team);
  const category = text(value.category, 2, 80);
  const level = number(value.level, 1, LEVELS.length, true);
  const employmentType = oneOf<ValidJobInput['employmentType']>(value.employmentType, EMPLOYMENT);
  const workplaceType = oneOf<ValidJobInput['workplaceType']>(value.workplaceType, WORKPLACE);
  const applicantCountries = list(value.applicantCountries, 250, countryCode);
  const locations = list(value.locations, 50, location);
  const description = text(value.description, 1, 50_000);
  const basicQualifications = list(value.basicQualifications, 30, qualification);
  const preferredQualifications = list(value.preferredQualifications, 30, qualification);
  const payRange = pay(value.pay);
  const principles = list(value.principles, 30, slug);
  const status = value.status === undefined ? 'open' : oneOf<ValidJobInput['status']>(value.status, STATUS);
  const headcount = value.headcount === undefined ? 1 : number(value.headcount, 1, 1000, true);
  const postedAt = date(value.postedAt);
  const closesAt = date(value.closesAt);
  const questions = list(value.questions, 50, question);
  if (
    requisitionId === NO ||
    title === NO ||
    team === NO ||
    category === NO ||
    level === NO ||
    employmentType === NO ||
    workplaceType === NO ||
    applicantCountries === NO ||
    locations === NO ||
    description === NO ||
    basicQualifications === NO ||
    preferredQualifications === NO ||
    payRange === NO ||
    principles === NO ||
    status === NO ||
    headcount === NO ||
    postedAt === NO ||
    closesAt === NO ||
    questions === NO
  ) {
    return undefined;
  }
  // The schema's refinements of the whole job.
  if (workplaceType !== 'remote' && locations.length === 0) return undefined;
  if (workplaceType === 'remote' && applicantCountries.length === 0 && locations.length === 0) return undefined;
  if (closesAt && postedAt && !(closesAt > postedAt)) return undefined;
  const job = {
    title,
    team,
    category,
    level,
    employmentType,
    workplaceType,
    applicantCountries,
    locations,
    description,
    basicQualifications,
    preferredQualifications,
    pay: payRange,
    principles,
    status,
    headcount,
    postedAt,
    closesAt,
    questions,
  };
  // An optional field the input names is kept in the output (as the schema keeps it), else left out.
  return 'requisitionId' in value ? { requisitionId, ...job } : job;
}
