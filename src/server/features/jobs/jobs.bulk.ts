import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../../db/client.ts';
import { CopyRows } from './copy-binary.ts';
import type { EmploymentType, JobStatus, PayUnit, ScreeningQuestion, ValidJobInput, WorkplaceType } from '../../../shared/contracts/jobs.ts';
import { titleWordsOf, type JobRow } from './jobs.repository.ts';
import type { DocumentTexts } from './search-document.ts';

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

/** The texts of a job's search document as searchDocSql joins them, for building it in Node (search-document.ts). */
export function documentTexts(row: JobRow): DocumentTexts {
  const input = row.input;
  return [input.title, `${input.category} ${row.teamName}`, `${input.description} ${[...input.basicQualifications, ...input.preferredQualifications].join(' ')}`];
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
 * The statements that write the jobs of an `input` relation (one row per job: its id, the
 * columns of RECORD_COLUMNS but the text-only ones, and its search document) with their
 * principles and questions. Every path that adds jobs goes through them, so a job reads the
 * same whichever way it came in.
 */
const WRITE_INPUT = sql.raw(`
    new_jobs as (
      insert into jobs (id, requisition_id, slug, title, team_id, category, level, employment_type, workplace_type,
        applicant_countries, locations, countries, cities, description_md, basic_qualifications, preferred_qualifications,
        pay_currency, pay_min, pay_max, pay_unit, pay_max_annual, status, headcount, posted_at, closes_at, anonymized_screening, search_doc)
      overriding system value
      select id, coalesce(requisition_id, 'REQ-' || lpad(nextval('requisition_seq')::text, 7, '0')), slug, title, team_id, category,
        level, employment_type, workplace_type, applicant_countries, locations, countries, cities, description_md,
        basic_qualifications, preferred_qualifications, pay_currency, pay_min, pay_max, pay_unit, pay_max_annual, status,
        headcount, posted_at, closes_at, anonymized_screening, search_doc
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
    )`);

/** The words of the open titles among `rows`, each with how many of those titles use it. */
export function countTitleWords(rows: Array<{ input: { status: string; title: string } }>, into = new Map<string, number>()): Map<string, number> {
  for (const row of rows) {
    if (row.input.status !== 'open') continue;
    for (const word of new Set(titleWordsOf(row.input.title))) into.set(word, (into.get(word) ?? 0) + 1);
  }
  return into;
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
  const records = rows.map((row, n) => jobRecord(row, n, now));
  const wordRows = [...countTitleWords(rows)].map(([word, jobs]) => ({ word, jobs }));
  // `input` is materialized once, so each job draws its id exactly once and every insert below sees the same ids.
  const result = await tx.execute(sql`
    with input as materialized (
      select nextval('jobs_id_seq')::int as id, x.*, ${searchDocSql('x')} as search_doc
      from json_to_recordset(${JSON.stringify(records)}::json) as x(${sql.raw(RECORD_COLUMNS)})
    ),
    ${WRITE_INPUT},
    new_words as (
      insert into title_words (word, jobs)
      select word, jobs from json_to_recordset(${JSON.stringify(wordRows)}::json) as w(word text, jobs int)
      on conflict (word) do update set jobs = title_words.jobs + excluded.jobs
    )
    select coalesce(json_agg(id order by n), '[]'::json) as ids from input`);
  const ids = (result as unknown as { rows: Array<{ ids: number[] | string }> }).rows[0]!.ids;
  return typeof ids === 'string' ? (JSON.parse(ids) as number[]) : ids;
}

// ---------------------------------------------------------------------------------------------
// The staged import on a PostgreSQL server. Other connections stage batches (cast every value)
// into an unlogged staging table while the import's transaction moves the batches staged
// before into the job tables, in file order. Batches travel as one array per column in
// PostgreSQL's binary format, so the server takes each value as it is instead of parsing text;
// the search documents come built by Node (search-document.ts), as parsing and stemming every
// description was most of the server's work, and the few Node leaves out are computed here.
// A staging table is never part of the catalogue: the transaction drops it as it commits.

/**
 * A batch of jobs as `stageJobs` reads it: one array per column of BATCH_COLUMNS, and the search
 * documents built in Node (null where PostgreSQL computes one), in the binary format.
 */
export interface JobColumns {
  count: number;
  arrays: Buffer[];
  documents: Buffer;
}

type JobRecord = ReturnType<typeof jobRecord>;

/**
 * One column of a batch: how it travels (int, or text the statement casts to `cast`), how it
 * is read from a job's record, and whether the staging table keeps it (the others only make
 * the search document).
 */
function column(name: string, wire: 'int4' | 'text', value: (r: JobRecord) => string | number | null, cast = '', staged = true) {
  return { name, wire, value, cast, staged };
}

const numberText = (value: number | null) => (value === null ? null : String(value));

/** The columns of a batch. Arrays travel as array literals, JSON as JSON, numbers as JavaScript prints them. */
const BATCH_COLUMNS = [
  column('n', 'int4', (r) => r.n),
  column('requisition_id', 'text', (r) => r.requisition_id),
  column('slug', 'text', (r) => r.slug),
  column('title', 'text', (r) => r.title),
  column('team_id', 'int4', (r) => r.team_id),
  column('team_name', 'text', (r) => r.team_name, '', false),
  column('category', 'text', (r) => r.category),
  column('level', 'int4', (r) => r.level),
  column('employment_type', 'text', (r) => r.employment_type),
  column('workplace_type', 'text', (r) => r.workplace_type),
  column('applicant_countries', 'text', (r) => arrayLiteral(r.applicant_countries), 'text[]'),
  column('locations', 'text', (r) => JSON.stringify(r.locations), 'jsonb'),
  column('countries', 'text', (r) => arrayLiteral(r.countries), 'text[]'),
  column('cities', 'text', (r) => arrayLiteral(r.cities), 'text[]'),
  column('description_md', 'text', (r) => r.description_md),
  column('basic_qualifications', 'text', (r) => arrayLiteral(r.basic_qualifications), 'text[]'),
  column('preferred_qualifications', 'text', (r) => arrayLiteral(r.preferred_qualifications), 'text[]'),
  column('qualifications', 'text', (r) => r.qualifications, '', false),
  column('pay_currency', 'text', (r) => r.pay_currency),
  column('pay_min', 'text', (r) => numberText(r.pay_min), 'numeric'),
  column('pay_max', 'text', (r) => numberText(r.pay_max), 'numeric'),
  column('pay_unit', 'text', (r) => r.pay_unit),
  column('pay_max_annual', 'text', (r) => numberText(r.pay_max_annual), 'numeric'),
  column('status', 'text', (r) => r.status),
  column('headcount', 'int4', (r) => r.headcount),
  column('posted_at', 'text', (r) => r.posted_at, 'timestamptz'),
  column('closes_at', 'text', (r) => r.closes_at, 'timestamptz'),
  column('anonymized_screening', 'text', (r) => String(r.anonymized_screening), 'boolean'),
  column('principle_ids', 'text', (r) => arrayLiteral(r.principle_ids), 'int[]'),
  column('questions', 'text', (r) => JSON.stringify(r.questions), 'json'),
];

const STAGED_COLUMNS = BATCH_COLUMNS.filter((c) => c.staged);

/** A batch as column arrays; `n` is each row's number in the file. Every derived value comes from `jobRecord`, as for `insertJobsInBulk`. */
export function jobColumns(rows: Array<JobRow & { row: number }>, documents: Array<Buffer | null> = []): JobColumns {
  const now = new Date().toISOString();
  const records = rows.map((row) => jobRecord(row, row.row, now));
  return {
    count: rows.length,
    arrays: BATCH_COLUMNS.map((c) => binaryArray(c.wire, records.map(c.value))),
    documents: binaryArray('tsvector', rows.map((_, i) => documents[i] ?? null)),
  };
}

/** Staging tables are named with this prefix; one left behind by an import that died is dropped by the next. */
const STAGING_PREFIX = 'job_import_staging_';

/** Any number; it names the advisory lock every staged import holds, so that they never overlap. */
const IMPORT_LOCK = 7_240_012;

/** A staging table's name from a random suffix of lowercase letters and digits. */
export function stagingTableName(suffix: string): string {
  if (!/^[a-z0-9]+$/.test(suffix)) throw new Error('a staging suffix is lowercase letters and digits');
  return STAGING_PREFIX + suffix;
}

/**
 * Takes the import lock for the rest of the transaction and drops the staging tables that
 * imports which died left behind: while the lock is held, no other import can be using one.
 */
export async function lockImportsAndSweepStaging(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
  const left = await queryRows<{ name: string }>(
    tx,
    sql`select tablename as name from pg_tables where schemaname = current_schema() and starts_with(tablename, ${STAGING_PREFIX})`,
  );
  for (const { name } of left) await dropJobStaging(tx, name);
}

/**
 * Creates an unlogged staging table (no WAL; rows kept whole in their page, as each is read
 * back once) indexed by batch. Autocommitted on its own connection, so every connection sees it.
 */
export async function createJobStaging(db: Db, name: string): Promise<void> {
  const columns = STAGED_COLUMNS.map((c) => `${c.name} ${c.cast || (c.wire === 'int4' ? 'int' : 'text')}`).join(', ');
  await db.execute(
    sql.raw(`create unlogged table "${name}" (batch int not null, ${columns}, search_doc tsvector not null)
      with (autovacuum_enabled = false, toast_tuple_target = 8160)`),
  );
  await db.execute(sql.raw(`create index on "${name}" (batch)`));
}

export async function dropJobStaging(db: Db, name: string): Promise<void> {
  await db.execute(sql.raw(`drop table if exists "${name}"`));
}

/**
 * Stages a batch as number `batch`: every value cast to its column's type, and the search
 * documents Node did not build computed as `insertJobsInBulk` computes them. One statement in
 * a transaction of its own, on whichever connection of the pool `db` gives it.
 *
 * With a generic plan: a custom plan folds each parameter into the plan as a constant, and
 * copying the batch's megabytes of arrays into it took a fifth of the server's CPU time on an
 * import (200,000 jobs: 42 s with custom plans, 34 s with a generic one).
 */
export async function stageJobs(db: Db, name: string, batch: number, columns: JobColumns): Promise<void> {
  await db.transaction(async (t) => {
    await t.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await t.execute(sql`
      insert into ${sql.raw(`"${name}"`)} (batch, ${sql.raw(STAGED_COLUMNS.map((c) => c.name).join(', '))}, search_doc)
      select ${batch}, ${sql.raw(STAGED_COLUMNS.map((c) => (c.cast ? `x.${c.name}::${c.cast}` : `x.${c.name}`)).join(', '))},
        coalesce(x.built_doc, ${searchDocSql('x')})
      from unnest(${sql.join(
        BATCH_COLUMNS.map((c, i) => sql`${columns.arrays[i]}::${sql.raw(c.wire === 'int4' ? 'int[]' : 'text[]')}`),
        sql`, `,
      )}, ${columns.documents}::tsvector[]) as x(${sql.raw(BATCH_COLUMNS.map((c) => c.name).join(', '))}, built_doc)`);
  });
}

/**
 * Moves staged batch `batch` into the job tables, leaving out the rows numbered in `skip`:
 * ids are drawn in row order, then jobs, principles and questions are written as
 * `insertJobsInBulk` writes them. Title words are the caller's. Call inside the import's
 * transaction. Returns how many jobs it added.
 */
export async function moveStagedJobs(tx: Db, name: string, batch: number, skip: number[]): Promise<number> {
  const rows = await queryRows<{ added: number }>(
    tx,
    sql`
      with input as materialized (
        select nextval('jobs_id_seq')::int as id, s.*
        from ${sql.raw(`"${name}"`)} s
        where s.batch = ${batch} and s.n <> all(${`{${skip.join(',')}}`}::int[])
        order by s.n
      ),
      ${WRITE_INPUT}
      select count(*)::int as added from input`,
  );
  return rows[0]!.added;
}

// ---------------------------------------------------------------------------------------------
// The copied import: into an empty catalogue on a PostgreSQL server, each batch is written
// straight into the job tables by COPY in the binary format, on the import's transaction. COPY
// takes each value as it is and writes pages of rows at a time; nothing is staged or moved.
// Ids and requisition numbers are drawn from their sequences first, so the rows carry them.

const COPIED_JOB_COLUMNS =
  'id, requisition_id, slug, title, team_id, category, level, employment_type, workplace_type, applicant_countries, locations, ' +
  'countries, cities, description_md, basic_qualifications, preferred_qualifications, pay_currency, pay_min, pay_max, pay_unit, ' +
  'pay_max_annual, status, headcount, posted_at, closes_at, anonymized_screening, search_doc';
const COPIED_JOB_FIELDS = COPIED_JOB_COLUMNS.split(', ').length;
/** An empty tsvector, for the documents PostgreSQL computes after the copy. */
const NO_DOCUMENT = Buffer.alloc(4);

/** A batch's ids, drawn before it is encoded: a job id per row, and a requisition number per row without one, in order. */
export interface DrawnIds {
  ids: number[];
  requisitions: string[];
}

/** Draws the ids of a batch from the sequences (`insertJobsInBulk` draws them the same way inside its statement). */
export async function drawJobIds(tx: Db, rows: JobRow[]): Promise<DrawnIds> {
  const numbered = rows.filter((r) => !r.requisitionId).length;
  const drawn = await queryRows<DrawnIds>(
    tx,
    sql`select array(select nextval('jobs_id_seq')::int from generate_series(1, ${rows.length})) as ids,
      array(select 'REQ-' || lpad(nextval('requisition_seq')::text, 7, '0') from generate_series(1, ${numbered})) as requisitions`,
  );
  return drawn[0]!;
}

/** A batch as three COPY streams in the binary format, and the jobs whose documents PostgreSQL computes after. */
export interface JobCopy {
  jobs: Uint8Array;
  principles: Uint8Array | null;
  questions: Uint8Array | null;
  /** Ids of the jobs copied with an empty document. */
  computed: number[];
}

/**
 * Encodes a batch for COPY with its drawn ids and the documents Node built (null: PostgreSQL
 * computes it after). Pure, so it can run on a worker thread (copy-encoder.ts).
 */
export function encodeJobCopy(rows: JobRow[], documents: Array<Buffer | null>, drawn: DrawnIds, now: string): JobCopy {
  const jobs = new CopyRows();
  const principles = new CopyRows();
  const questions = new CopyRows();
  let nextRequisition = 0;
  const computed: number[] = [];
  rows.forEach((row, i) => {
    const r = jobRecord(row, i, now);
    const id = drawn.ids[i]!;
    const document = documents[i];
    jobs
      .row(COPIED_JOB_FIELDS)
      .int4(id)
      .text(r.requisition_id ?? drawn.requisitions[nextRequisition++]!)
      .text(r.slug)
      .text(r.title)
      .int4(r.team_id)
      .text(r.category)
      .int2(r.level)
      .text(r.employment_type)
      .text(r.workplace_type)
      .textArray(r.applicant_countries)
      .jsonb(r.locations)
      .textArray(r.countries)
      .textArray(r.cities)
      .text(r.description_md)
      .textArray(r.basic_qualifications)
      .textArray(r.preferred_qualifications)
      .text(r.pay_currency)
      .numeric(r.pay_min)
      .numeric(r.pay_max)
      .text(r.pay_unit)
      .numeric(r.pay_max_annual)
      .text(r.status)
      .int4(r.headcount)
      .timestamp(r.posted_at)
      .timestamp(r.closes_at)
      .bool(r.anonymized_screening)
      .binary(document ?? NO_DOCUMENT);
    if (!document) computed.push(id);
    r.principle_ids.forEach((principle, position) => principles.row(3).int4(id).int4(principle).int2(position));
    r.questions.forEach((q, position) =>
      questions.row(6).int4(id).int2(position).text(q.label).text(q.kind).bool(q.required).textArray(q.options),
    );
  });
  return {
    jobs: jobs.finish(),
    principles: principles.rows ? principles.finish() : null,
    questions: questions.rows ? questions.finish() : null,
    computed,
  };
}

/**
 * Writes an encoded batch into the job tables by COPY (jobs, their principles and their
 * questions), then computes the documents Node left out, as `insertJobsInBulk` computes them.
 * Call inside the import's transaction on a node-postgres connection.
 */
export async function writeJobCopy(tx: Db, batch: JobCopy): Promise<void> {
  const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
  const copy = async (table: string, columns: string, data: Uint8Array | null) => {
    if (!data) return;
    // A batch from a worker arrives as a plain Uint8Array; the stream wants a Buffer of the same bytes.
    await pipeline(Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]), client.query(copyFrom(`copy ${table} (${columns}) from stdin (format binary)`)));
  };
  await copy('jobs', COPIED_JOB_COLUMNS, batch.jobs);
  await copy('job_principles', 'job_id, principle_id, position', batch.principles);
  await copy('job_questions', 'job_id, position, label, kind, required, options', batch.questions);
  if (batch.computed.length) {
    await tx.execute(sql`
      update jobs set search_doc = ${searchDocSql('x')}
      from (select j.id, j.title, j.category, t.name as team_name, j.description_md,
              array_to_string(j.basic_qualifications || j.preferred_qualifications, ' ') as qualifications
            from jobs j join teams t on t.id = j.team_id where j.id = any(${`{${batch.computed.join(',')}}`}::int[])) x
      where jobs.id = x.id`);
  }
}

/** Adds `words` (word → how many new open titles use it) to the title words. Call inside a transaction. */
export async function addTitleWords(tx: Db, words: Map<string, number>): Promise<void> {
  if (words.size === 0) return;
  const rows = [...words].map(([word, jobs]) => ({ word, jobs }));
  await tx.execute(sql`
    insert into title_words (word, jobs)
    select word, jobs from json_to_recordset(${JSON.stringify(rows)}::json) as w(word text, jobs int)
    on conflict (word) do update set jobs = title_words.jobs + excluded.jobs`);
}

const ELEMENT_OIDS = { text: 25, int4: 23, tsvector: 3614 } as const;

/**
 * A one-dimensional array in PostgreSQL's binary format (array_send): dimensions, then each
 * element as its length and bytes. node-postgres sends a Buffer parameter as binary; the
 * statement's cast names its type.
 */
function binaryArray(element: keyof typeof ELEMENT_OIDS, values: Array<string | number | Buffer | null>): Buffer {
  const sizes = values.map((v) => (v === null ? 0 : typeof v === 'number' ? 4 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(v)));
  const buffer = Buffer.allocUnsafe(20 + 4 * values.length + sizes.reduce((a, b) => a + b, 0));
  buffer.writeInt32BE(1, 0); // one dimension
  buffer.writeInt32BE(values.includes(null) ? 1 : 0, 4);
  buffer.writeInt32BE(ELEMENT_OIDS[element], 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  let at = 20;
  values.forEach((value, i) => {
    at = buffer.writeInt32BE(value === null ? -1 : sizes[i]!, at);
    if (value === null) return;
    at = typeof value === 'number' ? buffer.writeInt32BE(value, at) : Buffer.isBuffer(value) ? at + value.copy(buffer, at) : at + buffer.write(value, at);
  });
  return buffer;
}

/** An array literal (`{"a","b \\"c\\""}`) that `::text[]` or `::int[]` reads back as the same items. */
function arrayLiteral(items: Array<string | number>): string {
  return `{${items.map((item) => (typeof item === 'number' ? String(item) : `"${item.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
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

/**
 * Moves the requisition numbering past any "REQ-<number>" among these ids, as
 * `claimRequisitionIds` does, without looking for ids already taken: for an import into an
 * empty catalogue, where only the file itself can repeat an id.
 */
export async function advanceRequisitionNumbering(tx: Db, requisitionIds: string[]): Promise<void> {
  let highest = -1;
  for (const id of requisitionIds) {
    const match = /^REQ-([0-9]{1,15})$/.exec(id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  if (highest < 0) return;
  await tx.execute(sql`
    select setval('requisition_seq', ${highest}) from requisition_seq s where ${highest} >= s.last_value`);
}

/** The trigger that notes, per statement, which new jobs are open (migration catalog_version_public_only). */
const CATALOG_INSERT_TRIGGER = 'jobs_catalog_insert';

/** The job tables whose indexes and constraints an import into an empty catalogue rebuilds at the end. */
const JOB_TABLES = ['jobs', 'job_principles', 'job_questions'];

/**
 * When the jobs table is empty, drops what is far cheaper to build or check once at the end
 * than row by row, and returns the statements that put it back, read from the catalogue so
 * they always match the migrations: the non-unique secondary indexes of the job tables, the
 * unique constraints of jobs but its primary key, and the foreign keys of the job tables (to
 * jobs, teams and principles; checking one row costs as much as inserting it). Putting a key
 * back checks every row at once. Inside the import's transaction, so a failed import restores
 * them all; until it ends, the job tables, teams and principles are locked for writes and reads.
 * The foreign keys come back NOT VALID (checked for new rows at once); the imported rows are
 * checked after the commit (uncheckedJobKeys), side by side with other work and without locking
 * out readers or writers. That check cannot fail: teams and principles stay locked from here
 * to the commit, so the ones an import resolves after this call are still there.
 *
 * It also keeps the imported jobs whole in their pages (toast_tuple_target at its maximum until
 * the end): a job of a few kilobytes would otherwise have its description compressed (English
 * text gains about a tenth) and its search document moved out to the TOAST table, an insert
 * into a second table and its index for most jobs, read back again to build the search index.
 *
 * And it holds back the catalogue's insert trigger, which keeps every inserted row in a
 * transition table and writes one `job_changes` row per open job: at the end, one entry says
 * that every job changed (as a truncate does), so each node loads its search index afresh.
 */
export async function deferJobIndexesWhenEmpty(tx: Db): Promise<string[]> {
  const empty = async () => (await queryRows<{ empty: boolean }>(tx, sql`select not exists (select 1 from jobs) as empty`))[0]!.empty;
  if (!(await empty())) return [];
  // Nobody can be searching an empty catalogue; hold it still from here on, and look again.
  await tx.execute(sql`lock table jobs in access exclusive mode`);
  if (!(await empty())) return [];
  const tables = sql.join(JOB_TABLES.map((t) => sql`${t}`), sql`, `);
  const deferred = await queryRows<{ drop: string; restore: string }>(
    tx,
    sql`
      select format('alter table %I drop constraint %I', c.relname, k.conname) as drop,
        format('alter table %I add constraint %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
          || case when k.contype = 'f' then ' not valid' else '' end as restore
      from pg_constraint k join pg_class c on c.oid = k.conrelid
      where c.relnamespace = current_schema()::regnamespace and c.relname in (${tables})
        and ((c.relname = 'jobs' and k.contype = 'u') or k.contype = 'f')
      union all
      select format('drop index %I', i.indexname), i.indexdef
      from pg_indexes i join pg_class c on c.relname = i.indexname and c.relnamespace = current_schema()::regnamespace
        join pg_index x on x.indexrelid = c.oid
      where i.schemaname = current_schema() and i.tablename in (${tables}) and not x.indisunique and not x.indisprimary
      union all
      select 'alter table jobs set (toast_tuple_target = 8160)',
        coalesce((select format('alter table jobs set (%s)', o) from unnest(c.reloptions) o where o like 'toast_tuple_target=%'),
          'alter table jobs reset (toast_tuple_target)')
      from pg_class c where c.oid = 'jobs'::regclass`,
  );
  for (const { drop } of deferred) await tx.execute(sql.raw(drop));
  await tx.execute(sql.raw(`alter table jobs disable trigger ${CATALOG_INSERT_TRIGGER}`));
  return [
    ...deferred.map((d) => d.restore),
    `alter table jobs enable trigger ${CATALOG_INSERT_TRIGGER}`,
    'insert into job_changes (xid, job_id) values (pg_current_xact_id(), null)',
    'update catalog_state set version = version + 1 where id = 1',
  ];
}

/** Runs the statements `deferJobIndexesWhenEmpty` returned, with memory enough to sort each index in one go. */
export async function restoreJobIndexes(tx: Db, statements: string[]): Promise<void> {
  if (statements.length === 0) return;
  await tx.execute(sql`set local maintenance_work_mem = '1GB'`);
  for (const statement of statements) await tx.execute(sql.raw(statement));
}

/**
 * Runs a check of uncheckedJobKeys. It joins every row to the table it refers to, jobs itself for
 * principles and questions: with memory enough to hash the jobs in one go, and nothing compiled
 * for a query that runs once.
 */
export async function checkJobKey(db: Db, check: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql.raw(check));
  });
}

/**
 * The foreign keys of the job tables not yet checked against every row (put back NOT VALID by
 * an import into an empty catalogue), each with the statement that checks it. Checking takes
 * a lock that lets the table be read and written meanwhile.
 */
export async function uncheckedJobKeys(db: Db): Promise<Array<{ table: string; check: string }>> {
  return queryRows(
    db,
    sql`select c.relname as table, format('alter table %I validate constraint %I', c.relname, k.conname) as check
      from pg_constraint k join pg_class c on c.oid = k.conrelid
      where c.relnamespace = current_schema()::regnamespace and c.relname in (${sql.join(JOB_TABLES.map((t) => sql`${t}`), sql`, `)})
        and not k.convalidated
      order by k.conname`,
  );
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
