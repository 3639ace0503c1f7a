import type { z } from 'zod';
import { jobInputSchema, type ValidJobInput } from '../../../shared/contracts/jobs.ts';
import type { JobFormValues } from '../../../web/staff/job-form.tsx';
import type { StaffJobView } from '../../../web/staff/jobs.tsx';
import type { FormError } from '../../../shared/contracts/account.ts';

/**
 * The staff job form as plain HTML sends it, and its translation into a job input. Pure: no
 * database. Field names are flat (`loc1-city`, `q2-label`) so that every error can name the
 * one input it is about and the error summary can link to it.
 */

/** A form body: repeated names (checkboxes) arrive as arrays. */
export type FormValues = JobFormValues;

/** Location rows the form offers (more when an imported job has more). */
export const LOCATION_ROWS = 3;
/** Locations a job may have (the job model's limit). */
export const MAX_LOCATIONS = 50;
/** Screening questions a job may have (the job model's limit). */
export const MAX_QUESTIONS = 50;
/** Blank question rows offered below the filled ones. */
export const BLANK_QUESTION_ROWS = 2;
/** The fewest principles a job emphasizes. */
export const MIN_PRINCIPLES = 3;

/** What the buttons of the form ask for. */
export type FormIntent = 'save' | 'preview' | 'more_questions';

/** A job form that reads as a valid job, before its references (team, principles, staff) are checked. */
export interface JobFormData {
  /** The job input (status and dates posted are not the form's: they are set by the lifecycle). */
  input: ValidJobInput;
  anonymizedScreening: boolean;
  /** For each of `input.questions`: the id of the question it edits, or null for a new one. */
  questionIds: Array<number | null>;
  /** For each of `input.questions`: its row number on the form, to name errors. */
  questionRows: number[];
  /** Existing questions the form marks for removal, with their row numbers. */
  removals: Array<{ id: number; row: number }>;
  hiringTeam: { hiringManager: number | null; recruiters: number[]; interviewers: number[] };
}

/** The first value of a field, trimmed ('' when absent). */
export function one(values: FormValues, name: string): string {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/** Every value of a repeated field (checkboxes), trimmed, empty ones dropped. */
export function many(values: FormValues, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v) => v.trim()).filter(Boolean);
}

/** Non-empty lines of a textarea. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function intentOf(values: FormValues): FormIntent {
  const intent = one(values, 'intent');
  return intent === 'preview' || intent === 'more_questions' ? intent : 'save';
}

/** How many location rows the form showed. */
export function locationRowCount(values: FormValues): number {
  const n = Number(one(values, 'locationRows'));
  return Number.isInteger(n) && n >= LOCATION_ROWS ? Math.min(n, MAX_LOCATIONS) : LOCATION_ROWS;
}

/** How many question rows the form showed (and so how many to read back). */
export function questionRowCount(values: FormValues): number {
  const n = Number(one(values, 'questionRows'));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_QUESTIONS + BLANK_QUESTION_ROWS) : BLANK_QUESTION_ROWS;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A number typed by a person ("120,000" or "120 000" too), undefined when blank, NaN when unreadable. */
function typedNumber(text: string): number | undefined {
  const cleaned = text.replace(/[\s,_]/g, '');
  if (cleaned === '') return undefined;
  return NUMBER.test(cleaned) ? Number(cleaned) : Number.NaN;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A closing date "2027-01-31" means open through that day (UTC). */
export function closingMoment(text: string): Date | undefined | 'invalid' {
  if (text === '') return undefined;
  const m = DATE.exec(text);
  if (!m) return 'invalid';
  const date = new Date(`${text}T23:59:59.000Z`);
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3]) ? 'invalid' : date;
}

/** The date a closing moment shows in the form. */
export function closingDateText(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : '';
}

const ids = (texts: string[]) => texts.map(Number).filter((n) => Number.isInteger(n) && n > 0);

/**
 * Reads a submitted job form. Returns the job it describes, or every problem found, each
 * naming its field. References to teams, principles and staff are checked by the service.
 */
export function parseJobForm(values: FormValues): { data: JobFormData } | { errors: FormError[] } {
  const errors: FormError[] = [];
  const fail = (field: string, message: string) => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message });
  };

  // Locations: rows with nothing typed are skipped; `locationRows[i]` is the row of locations[i].
  const locations: unknown[] = [];
  const locationRows: number[] = [];
  for (let row = 1; row <= locationRowCount(values); row++) {
    const get = (part: string) => one(values, `loc${row}-${part}`);
    const [city, region, country, lat, lng] = [get('city'), get('region'), get('country'), get('latitude'), get('longitude')];
    if (!city && !region && !country && !lat && !lng) continue;
    const latitude = typedNumber(lat);
    const longitude = typedNumber(lng);
    if (Number.isNaN(latitude)) fail(`loc${row}-latitude`, `Enter the latitude of location ${row} as a number, like 47.61`);
    if (Number.isNaN(longitude)) fail(`loc${row}-longitude`, `Enter the longitude of location ${row} as a number, like -122.33`);
    locations.push({
      city,
      region: region || null,
      country,
      latitude: Number.isNaN(latitude) ? null : (latitude ?? null),
      longitude: Number.isNaN(longitude) ? null : (longitude ?? null),
    });
    locationRows.push(row);
  }

  // Pay: all four parts or none.
  const payParts = { currency: one(values, 'payCurrency'), min: one(values, 'payMin'), max: one(values, 'payMax'), unit: one(values, 'payUnit') };
  let pay: unknown = null;
  if (payParts.currency || payParts.min || payParts.max) {
    const min = typedNumber(payParts.min);
    const max = typedNumber(payParts.max);
    if (min === undefined || Number.isNaN(min)) fail('payMin', 'Enter the lowest pay as a number, like 120000');
    if (max === undefined || Number.isNaN(max)) fail('payMax', 'Enter the highest pay as a number, like 180000');
    if (!payParts.currency) fail('payCurrency', 'Enter the currency of the pay as a three-letter code, like USD');
    pay = { currency: payParts.currency, min: min ?? 0, max: max ?? 0, unit: payParts.unit };
  }

  // Screening questions.
  const questions: unknown[] = [];
  const questionIds: Array<number | null> = [];
  const questionRows: number[] = [];
  const removals: JobFormData['removals'] = [];
  for (let row = 1; row <= questionRowCount(values); row++) {
    const get = (part: string) => one(values, `q${row}-${part}`);
    const id = ids([get('id')])[0] ?? null;
    const label = get('label');
    const options = lines(get('options'));
    if (id !== null && get('remove') === 'yes') {
      removals.push({ id, row });
      continue;
    }
    if (id === null && label === '' && options.length === 0) continue;
    const kind = get('kind');
    questions.push({ label, kind, required: get('required') === 'yes', options: kind.endsWith('choice') ? options : [] });
    questionIds.push(id);
    questionRows.push(row);
  }
  if (questions.length > MAX_QUESTIONS) fail('q1-label', `A job has at most ${MAX_QUESTIONS} screening questions`);

  const headcount = typedNumber(one(values, 'headcount'));
  const level = Number(one(values, 'level'));
  const closesAt = closingMoment(one(values, 'closesAt'));
  if (closesAt === 'invalid') fail('closesAt', 'Enter the closing date as a date, like 2027-01-31');

  const principles = many(values, 'principles');
  if (principles.length < MIN_PRINCIPLES) fail('principles', `Choose at least ${MIN_PRINCIPLES} principles this job emphasizes`);

  const hiringManager = ids([one(values, 'hiringManager')])[0] ?? null;
  if (hiringManager === null) fail('hiringManager', 'Choose the hiring manager, who approves the job');

  const raw = {
    title: one(values, 'title'),
    team: one(values, 'team'),
    category: one(values, 'category'),
    level: Number.isInteger(level) && level > 0 ? level : 0,
    employmentType: one(values, 'employmentType'),
    workplaceType: one(values, 'workplaceType'),
    applicantCountries: one(values, 'applicantCountries')
      .split(/[\s,;]+/)
      .filter(Boolean),
    locations,
    // Browsers send textarea lines with CRLF; the stored Markdown uses LF.
    description: one(values, 'description').replace(/\r\n?/g, '\n'),
    basicQualifications: lines(one(values, 'basicQualifications')),
    preferredQualifications: lines(one(values, 'preferredQualifications')),
    pay,
    principles,
    status: 'draft' as const,
    headcount: headcount === undefined ? 1 : Number.isNaN(headcount) ? 0 : headcount,
    postedAt: null,
    closesAt: closesAt instanceof Date ? closesAt : null,
    questions,
  };
  const parsed = jobInputSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, message] = describeIssue(issue, locationRows, questionRows);
      fail(field, message);
    }
  }
  if (errors.length > 0 || !parsed.success) return { errors: sortErrors(errors) };
  return {
    data: {
      input: parsed.data,
      anonymizedScreening: one(values, 'anonymizedScreening') === 'yes',
      questionIds,
      questionRows,
      removals,
      hiringTeam: { hiringManager, recruiters: ids(many(values, 'recruiters')), interviewers: ids(many(values, 'interviewers')) },
    },
  };
}

/** The order fields appear on the form, so the error summary reads top to bottom. */
const FIELD_ORDER = [
  'title', 'team', 'category', 'level', 'employmentType', 'workplaceType', 'loc', 'applicantCountries', 'description',
  'basicQualifications', 'preferredQualifications', 'pay', 'principles', 'q', 'hiringManager', 'recruiters', 'interviewers',
  'headcount', 'closesAt', 'anonymizedScreening',
];

/** Sorts errors by where their field is on the form. */
export function sortErrors(errors: FormError[]): FormError[] {
  const rank = (field: string) => {
    const i = FIELD_ORDER.findIndex((f) => field === f || (field.startsWith(f) && /^(loc|q|pay)/.test(f)));
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field, 'en', { numeric: true }));
}

/** Names the form field of a zod issue about the job input, and says what to do in plain words. */
function describeIssue(issue: z.core.$ZodIssue, locationRows: number[], questionRows: number[]): [string, string] {
  const [head, index, part] = issue.path as Array<string | number>;
  switch (head) {
    case 'title':
      return ['title', 'Enter a title of 2 to 200 characters'];
    case 'team':
      return ['team', 'Choose the team the job belongs to'];
    case 'category':
      return ['category', 'Enter a category of 2 to 80 characters, like Software Development'];
    case 'level':
      return ['level', 'Choose the level of the job'];
    case 'employmentType':
      return ['employmentType', 'Choose the employment type'];
    case 'workplaceType':
      return ['workplaceType', 'Choose whether the job is on-site, hybrid or remote'];
    case 'applicantCountries':
      return index === undefined
        ? ['applicantCountries', 'A remote job needs the countries it hires from (or a location)']
        : ['applicantCountries', 'Give countries as two-letter codes separated by commas, like US, CA'];
    case 'locations': {
      if (index === undefined) return ['loc1-city', 'An on-site or hybrid job needs at least one location'];
      const row = locationRows[index as number] ?? 1;
      if (part === 'country') return [`loc${row}-country`, `Enter the country of location ${row} as a two-letter code, like US`];
      if (part === 'latitude') return [`loc${row}-latitude`, `The latitude of location ${row} must be between -90 and 90`];
      if (part === 'longitude') return [`loc${row}-longitude`, `The longitude of location ${row} must be between -180 and 180`];
      if (part === 'region') return [`loc${row}-region`, `The region of location ${row} must be at most 120 characters`];
      return [`loc${row}-city`, `Enter the city of location ${row} (at most 120 characters)`];
    }
    case 'description':
      return ['description', 'Enter a description (at most 50,000 characters)'];
    case 'basicQualifications':
      return ['basicQualifications', 'List at most 30 basic qualifications, one per line, each at most 1,000 characters'];
    case 'preferredQualifications':
      return ['preferredQualifications', 'List at most 30 preferred qualifications, one per line, each at most 1,000 characters'];
    case 'pay':
      if (index === 'currency') return ['payCurrency', 'Enter the currency of the pay as a three-letter code, like USD'];
      if (index === 'unit') return ['payUnit', 'Choose what the pay is per (hour, day, week, month or year)'];
      if (index === 'max') return ['payMax', 'The highest pay must be a number not below the lowest'];
      return ['payMin', 'The lowest pay must be a number of zero or more'];
    case 'headcount':
      return ['headcount', 'The headcount must be a whole number from 1 to 1,000'];
    case 'closesAt':
      return ['closesAt', 'Enter a closing date after the job is posted'];
    case 'questions': {
      const row = questionRows[index as number] ?? 1;
      if (part === 'options') return [`q${row}-options`, `Question ${row} is a choice: give at least two options, one per line (each at most 200 characters)`];
      if (part === 'kind') return [`q${row}-kind`, `Choose the kind of answer question ${row} takes`];
      return [`q${row}-label`, `Enter question ${row} (at most 500 characters), or leave the row empty`];
    }
    case 'principles':
      return ['principles', 'Choose the principles from the list'];
    default:
      return ['', issue.message];
  }
}

/** The values of an empty form: sensible defaults, and a hiring manager who creates a job chosen as its hiring manager. */
export function newJobValues(actor: { id: number; role: string }): FormValues {
  return {
    employmentType: 'FULL_TIME',
    workplaceType: 'on_site',
    headcount: '1',
    payUnit: 'YEAR',
    hiringManager: actor.role === 'hiring_manager' ? String(actor.id) : '',
    locationRows: String(LOCATION_ROWS),
    questionRows: String(BLANK_QUESTION_ROWS),
  };
}

/** A job as the form shows it for editing. */
export interface EditableJob {
  job: Omit<StaffJobView['job'], 'principles'> & { descriptionMd: string; principles: Array<{ slug: string }> };
  questions: Array<{ id: number; label: string; kind: string; required: boolean; options: string[] }>;
  team: Array<{ userId: number; teamRole: string }>;
}

/** The form's values for an existing job. */
export function jobFormValues({ job, questions, team }: EditableJob): FormValues {
  const values: FormValues = {
    title: job.title,
    team: job.team.slug,
    category: job.category,
    level: String(job.level),
    employmentType: job.employmentType,
    workplaceType: job.workplaceType,
    applicantCountries: job.applicantCountries.join(', '),
    description: job.descriptionMd,
    basicQualifications: job.basicQualifications.join('\n'),
    preferredQualifications: job.preferredQualifications.join('\n'),
    payCurrency: job.pay?.currency ?? '',
    payMin: job.pay ? String(job.pay.min) : '',
    payMax: job.pay ? String(job.pay.max) : '',
    payUnit: job.pay?.unit ?? 'YEAR',
    principles: job.principles.map((p) => p.slug),
    headcount: String(job.headcount),
    closesAt: closingDateText(job.closesAt),
    anonymizedScreening: job.anonymizedScreening ? 'yes' : '',
    hiringManager: String(team.find((m) => m.teamRole === 'hiring_manager')?.userId ?? ''),
    recruiters: team.filter((m) => m.teamRole === 'recruiter').map((m) => String(m.userId)),
    interviewers: team.filter((m) => m.teamRole === 'interviewer').map((m) => String(m.userId)),
    locationRows: String(Math.max(LOCATION_ROWS, job.locations.length)),
    questionRows: String(Math.min(questions.length, MAX_QUESTIONS) + BLANK_QUESTION_ROWS),
  };
  job.locations.forEach((l, i) => {
    const p = `loc${i + 1}`;
    values[`${p}-city`] = l.city;
    values[`${p}-region`] = l.region ?? '';
    values[`${p}-country`] = l.country;
    values[`${p}-latitude`] = l.latitude === null || l.latitude === undefined ? '' : String(l.latitude);
    values[`${p}-longitude`] = l.longitude === null || l.longitude === undefined ? '' : String(l.longitude);
  });
  questions.forEach((q, i) => {
    const p = `q${i + 1}`;
    values[`${p}-id`] = String(q.id);
    values[`${p}-label`] = q.label;
    values[`${p}-kind`] = q.kind;
    values[`${p}-required`] = q.required ? 'yes' : '';
    values[`${p}-options`] = q.options.join('\n');
  });
  return values;
}
