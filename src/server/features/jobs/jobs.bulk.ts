import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { EmploymentType, JobStatus, PayUnit, ScreeningQuestion, ValidJobInput, WorkplaceType } from '../../../shared/contracts/jobs.ts';
import { titleWordsOf, type JobRow } from './jobs.repository.ts';

// The bulk paths of import and export: one statement per batch of thousands of jobs, and a
// keyset reader of every job whatever its status. SQL only, like the repository.

/** Yearly factors for pay_max_annual: 2,080 hours, 260 days, 52 weeks, 12 months. */
const HOURS_PER: Record<PayUnit, number> = { HOUR: 2080, DAY: 260, WEEK: 52, MONTH: 12, YEAR: 1 };

/** The columns of a job record as JSON carries them into a statement (json_to_recordset / json_to_record). */
const RECORD_COLUMNS = `n int, requisition_id text, slug text, title text, team_id int, team_name text, category text, level smallint,
  employment_type text, workplace_type text, applicant_countries text[], locations jsonb, countries text[], cities text[],
  description_md text, basic_qualifications text[], preferred_qualifications text[], qualifications text,
  pay_currency text, pay_min numeric, pay_max numeric, pay_unit text, pay_max_annual numeric,
  status text, headcount int, posted_at timestamptz, closes_at timestamptz, anonymized_screening boolean,
  principle_ids int[], questions json`;

/**
 * A job's search document from the columns of a record named `source` (title A, category and
 * team B, description and qualifications C). Insert and update both use it, so an edited job is
 * found exactly as a newly written one.
 */
function searchDocSql(source: string) {
  return sql.raw(`setweight(to_tsvector('english', ${source}.title), 'A')
    || setweight(to_tsvector('english', ${source}.category || ' ' || ${source}.team_name), 'B')
    || setweight(to_tsvector('english', ${source}.description_md || ' ' || ${source}.qualifications), 'C')`);
}

/** One job as a record for the statements below: every derived column (countries, cities, yearly pay) computed one way. */
function jobRecord(row: JobRow, n: number, now: string) {
  const input = row.input;
  return {
    n,
    requisition_id: row.requisitionId ?? null,
    slug: row.slug,
    title: input.title,
    team_id: row.teamId,
    team_name: row.teamName,
    category: input.category,
    level: input.level,
    employment_type: input.employmentType,
    workplace_type: input.workplaceType,
    applicant_countries: input.applicantCountries,
    locations: input.locations,
    countries: [...new Set([...input.locations.map((l) => l.country), ...input.applicantCountries])],
    cities: [...new Set(input.locations.map((l) => `${l.city}, ${l.country}`))],
    description_md: input.description,
    basic_qualifications: input.basicQualifications,
    preferred_qualifications: input.preferredQualifications,
    qualifications: [...input.basicQualifications, ...input.preferredQualifications].join(' '),
    pay_currency: input.pay?.currency ?? null,
    pay_min: input.pay?.min ?? null,
    pay_max: input.pay?.max ?? null,
    pay_unit: input.pay?.unit ?? null,
    pay_max_annual: input.pay ? input.pay.max * HOURS_PER[input.pay.unit] : null,
    status: input.status,
    headcount: input.headcount,
    posted_at: input.postedAt?.toISOString() ?? (input.status === 'open' ? now : null),
    closes_at: input.closesAt?.toISOString() ?? null,
    anonymized_screening: row.anonymizedScreening ?? false,
    principle_ids: row.principleIds,
    questions: input.questions,
  };
}

/**
 * Inserts a batch of jobs, their principles, questions and title words in ONE statement: the
 * batch travels as a single JSON parameter, ids are drawn from the identity sequence inside
 * the statement, and the search document is computed by PostgreSQL (title A, category and team B, text C).
 * Only open jobs add their title words: "did you mean" must never suggest a word of an unpublished title.
 * Call inside a transaction. Returns the new jobs' ids, in the order of `rows`.
 */
export async function insertJobsInBulk(tx: Db, rows: JobRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const now = new Date().toISOString();
  const words = new Map<string, number>();
  const records = rows.map((row, n) => {
    if (row.input.status === 'open') for (const word of new Set(titleWordsOf(row.input.title))) words.set(word, (words.get(word) ?? 0) + 1);
    return jobRecord(row, n, now);
  });
  const wordRows = [...words].map(([word, jobs]) => ({ word, jobs }));
  // `input` is materialized once, so each job draws its id exactly once and every insert below sees the same ids.
  const result = await tx.execute(sql`
    with input as materialized (
      select nextval('jobs_id_seq')::int as id, x.*
      from json_to_recordset(${JSON.stringify(records)}::json) as x(${sql.raw(RECORD_COLUMNS)})
    ),
    new_jobs as (
      insert into jobs (id, requisition_id, slug, title, team_id, category, level, employment_type, workplace_type,
        applicant_countries, locations, countries, cities, description_md, basic_qualifications, preferred_qualifications,
        pay_currency, pay_min, pay_max, pay_unit, pay_max_annual, status, headcount, posted_at, closes_at, anonymized_screening, search_doc)
      overriding system value
      select id, coalesce(requisition_id, 'REQ-' || lpad(nextval('requisition_seq')::text, 7, '0')), slug, title, team_id, category,
        level, employment_type, workplace_type, applicant_countries, locations, countries, cities, description_md,
        basic_qualifications, preferred_qualifications, pay_currency, pay_min, pay_max, pay_unit, pay_max_annual, status,
        headcount, posted_at, closes_at, anonymized_screening, ${searchDocSql('input')}
      from input
    ),
    new_principles as (
      insert into job_principles (job_id, principle_id, position)
      select input.id, p.principle_id, (p.ord - 1)::smallint
      from input, unnest(input.principle_ids) with ordinality as p(principle_id, ord)
    ),
    new_questions as (
      insert into job_questions (job_id, position, label, kind, required, options)
      select input.id, (q.ord - 1)::smallint, q.value->>'label', q.value->>'kind', (q.value->>'required')::boolean,
        array(select json_array_elements_text(q.value->'options'))
      from input, json_array_elements(input.questions) with ordinality as q(value, ord)
    ),
    new_words as (
      insert into title_words (word, jobs)
      select word, jobs from json_to_recordset(${JSON.stringify(wordRows)}::json) as w(word text, jobs int)
      on conflict (word) do update set jobs = title_words.jobs + excluded.jobs
    )
    select coalesce(json_agg(id order by n), '[]'::json) as ids from input`);
  const ids = (result as unknown as { rows: Array<{ ids: number[] | string }> }).rows[0]!.ids;
  return typeof ids === 'string' ? (JSON.parse(ids) as number[]) : ids;
}

/**
 * Rewrites what a job says (every field of its input but status, dates posted and requisition
 * id) and its principles, with the search document computed exactly as `insertJobsInBulk`
 * computes it, in ONE statement on jobs. Screening questions, title words and the hiring team
 * are the caller's. Call inside a transaction.
 */
export async function updateJobInPlace(tx: Db, id: number, row: JobRow): Promise<void> {
  const record = jobRecord(row, 0, new Date().toISOString());
  await tx.execute(sql`
    update jobs set slug = input.slug, title = input.title, team_id = input.team_id, category = input.category,
      level = input.level, employment_type = input.employment_type, workplace_type = input.workplace_type,
      applicant_countries = input.applicant_countries, locations = input.locations, countries = input.countries,
      cities = input.cities, description_md = input.description_md, basic_qualifications = input.basic_qualifications,
      preferred_qualifications = input.preferred_qualifications, pay_currency = input.pay_currency, pay_min = input.pay_min,
      pay_max = input.pay_max, pay_unit = input.pay_unit, pay_max_annual = input.pay_max_annual, headcount = input.headcount,
      closes_at = input.closes_at, anonymized_screening = input.anonymized_screening,
      search_doc = ${searchDocSql('input')}, updated_at = now()
    from json_to_record(${JSON.stringify(record)}::json) as input(${sql.raw(RECORD_COLUMNS)})
    where jobs.id = ${id}`);
  await replaceJobPrinciples(tx, id, row.principleIds);
}

/** Replaces a job's principles, in the order given. Touches job_principles only. Call inside a transaction. */
export async function replaceJobPrinciples(tx: Db, id: number, principleIds: number[]): Promise<void> {
  await tx.execute(sql`delete from job_principles where job_id = ${id}`);
  if (principleIds.length === 0) return;
  await tx.execute(sql`
    insert into job_principles (job_id, principle_id, position)
    select ${id}, p.principle_id, (p.ord - 1)::smallint
    from unnest(${`{${principleIds.join(',')}}`}::int[]) with ordinality as p(principle_id, ord)`);
}

/**
 * Counts the title words of jobs that become open (`add`) and uncounts those of jobs that stop
 * being open (`remove`); a word no open title uses any more is dropped. Call inside a transaction.
 */
export async function adjustTitleWords(tx: Db, change: { add?: string[]; remove?: string[] }): Promise<void> {
  const delta = new Map<string, number>();
  for (const title of change.add ?? []) for (const word of new Set(titleWordsOf(title))) delta.set(word, (delta.get(word) ?? 0) + 1);
  for (const title of change.remove ?? []) for (const word of new Set(titleWordsOf(title))) delta.set(word, (delta.get(word) ?? 0) - 1);
  const rows = [...delta].filter(([, n]) => n !== 0).map(([word, n]) => ({ word, n }));
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into title_words (word, jobs)
    select word, n from json_to_recordset(${JSON.stringify(rows)}::json) as d(word text, n int)
    on conflict (word) do update set jobs = title_words.jobs + excluded.jobs`);
  await tx.execute(sql`delete from title_words where jobs <= 0`);
}

/**
 * Which of these requisition ids are already taken. Also moves the requisition numbering past
 * any "REQ-<number>" among them, so jobs created later never collide with imported ones.
 */
export async function claimRequisitionIds(tx: Db, requisitionIds: string[]): Promise<Set<string>> {
  if (requisitionIds.length === 0) return new Set();
  const rows = await queryRows<{ taken: string[] }>(
    tx,
    sql`
      with given as (select json_array_elements_text(${JSON.stringify(requisitionIds)}::json) as id),
      highest as (select max(substring(id from 5)::bigint) as n from given where id ~ '^REQ-[0-9]{1,15}$'),
      moved as (
        select setval('requisition_seq', highest.n) from highest, requisition_seq s
        where highest.n is not null and highest.n >= s.last_value
      )
      select (select count(*) from moved) as moved,
        array(select j.requisition_id from jobs j join given g on g.id = j.requisition_id) as taken`,
  );
  return new Set(rows[0]!.taken);
}

/** A job as export writes it: every field of the job input, teams and principles by slug. */
export type ExportedJob = Omit<ValidJobInput, 'requisitionId'> & { requisitionId: string };

interface ExportRow {
  id: number;
  requisition_id: string;
  title: string;
  team: string;
  category: string;
  level: number;
  employment_type: string;
  workplace_type: string;
  applicant_countries: string[];
  locations: ValidJobInput['locations'];
  description_md: string;
  basic_qualifications: string[];
  preferred_qualifications: string[];
  pay_currency: string | null;
  pay_min: string | number | null;
  pay_max: string | number | null;
  pay_unit: string | null;
  status: string;
  headcount: number;
  posted_at: string | Date | null;
  closes_at: string | Date | null;
  principles: string[] | string;
  questions: ScreeningQuestion[] | string;
}

/**
 * Every job whatever its status, oldest id first, in pages of `pageSize` read by keyset (no
 * OFFSET), each page in one query with its principles and questions. For `dayone export`.
 */
export async function* streamAllJobs(db: Db, pageSize = 2000): AsyncGenerator<ExportedJob[]> {
  let after = 0;
  for (;;) {
    const page = await queryRows<ExportRow>(
      db,
      sql`
        select j.id, j.requisition_id, j.title, t.slug as team, j.category, j.level, j.employment_type, j.workplace_type,
          j.applicant_countries, j.locations, j.description_md, j.basic_qualifications, j.preferred_qualifications,
          j.pay_currency, j.pay_min, j.pay_max, j.pay_unit, j.status, j.headcount, j.posted_at, j.closes_at,
          coalesce((select json_agg(p.slug order by jp.position) from job_principles jp join principles p on p.id = jp.principle_id
                    where jp.job_id = j.id), '[]'::json) as principles,
          coalesce((select json_agg(json_build_object('label', q.label, 'kind', q.kind, 'required', q.required, 'options', q.options)
                    order by q.position) from job_questions q where q.job_id = j.id), '[]'::json) as questions
        from jobs j join teams t on t.id = j.team_id
        where j.id > ${after}
        order by j.id
        limit ${pageSize}`,
    );
    if (page.length === 0) return;
    yield page.map(toExportedJob);
    after = page.at(-1)!.id;
    if (page.length < pageSize) return;
  }
}

function toExportedJob(row: ExportRow): ExportedJob {
  const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
  const date = (value: string | Date | null) => (value === null ? null : new Date(value));
  return {
    requisitionId: row.requisition_id,
    title: row.title,
    team: row.team,
    category: row.category,
    level: Number(row.level),
    employmentType: row.employment_type as EmploymentType,
    workplaceType: row.workplace_type as WorkplaceType,
    applicantCountries: row.applicant_countries,
    locations: json(row.locations).map((l) => ({
      city: l.city,
      region: l.region ?? null,
      country: l.country,
      latitude: l.latitude ?? null,
      longitude: l.longitude ?? null,
    })),
    description: row.description_md,
    basicQualifications: row.basic_qualifications,
    preferredQualifications: row.preferred_qualifications,
    pay:
      row.pay_currency && row.pay_min !== null && row.pay_max !== null && row.pay_unit
        ? { currency: row.pay_currency, min: Number(row.pay_min), max: Number(row.pay_max), unit: row.pay_unit as PayUnit }
        : null,
    principles: json(row.principles),
    status: row.status as JobStatus,
    headcount: row.headcount,
    postedAt: date(row.posted_at),
    closesAt: date(row.closes_at),
    questions: json(row.questions).map((q) => ({ label: q.label, kind: q.kind, required: q.required, options: q.options })),
  };
}

async function queryRows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
