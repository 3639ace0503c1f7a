import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import pg from 'pg';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { jobInputSchema } from '../../../shared/contracts/jobs.ts';
import { generateDemoJobsChunks } from './demo-jobs.ts';
import {
  addTitleWords,
  advanceRequisitionNumbering,
  checkJobKey,
  claimRequisitionIds,
  countTitleWords,
  createJobStaging,
  deferJobIndexesWhenEmpty,
  documentTexts,
  drawJobIds,
  dropJobStaging,
  insertJobsInBulk,
  jobColumns,
  lockImportsAndSweepStaging,
  moveStagedJobs,
  restoreJobIndexes,
  stageJobs,
  stagingTableName,
  streamAllJobs,
  uncheckedJobKeys,
  writeJobCopy,
  type ExportedJob,
} from './jobs.bulk.ts';
import { CopyEncoder } from './copy-encoder.ts';
import { readJobInput } from './jobs.input.ts';
import { findTeamsAndPrinciplesBySlug, type JobRow } from './jobs.repository.ts';
import { resolveJob, type RowIssue } from './jobs.service.ts';
import { parseTextsWith, SearchDocuments } from './search-document.ts';

// `dayone import` and `dayone export`: jobs to and from JSON or CSV files, streamed both ways
// so a file of a million jobs never sits in memory. docs/jobs-import.md describes the formats.

export type TransferFormat = 'json' | 'csv';

/** A file that cannot be read as jobs at all (broken JSON or CSV, unknown columns); nothing was imported. */
export class JobFileError extends AppError {
  constructor(message: string) {
    super(400, 'invalid_job_file', message);
  }
}

/** An import refused because of invalid rows; nothing was imported. `issues` holds the first MAX_ISSUES. */
export class JobImportRefusedError extends AppError {
  constructor(
    readonly issues: RowIssue[],
    readonly invalidRows: number,
  ) {
    super(400, 'invalid_jobs', `${invalidRows} row(s) are invalid, so nothing was imported`);
  }
}

/** The refusal lists at most this many problems; a file of nothing but bad rows must not fill memory. */
const MAX_ISSUES = 1000;

/**
 * The CSV columns, in the order export writes them. Import needs the header row, accepts the
 * columns in any order and may leave out all but the required ones.
 */
export const CSV_COLUMNS = [
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
  'payCurrency',
  'payMin',
  'payMax',
  'payUnit',
  'principles',
  'status',
  'headcount',
  'postedAt',
  'closesAt',
  'questions',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_CSV_COLUMNS: CsvColumn[] = ['title', 'team', 'category', 'level', 'employmentType', 'workplaceType', 'description'];

/** The format of a file: by its extension, else by its first character (`[` is JSON). */
export function detectFormat(path: string, firstText: string): TransferFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  return firstText.replace(/^\uFEFF/, '').trimStart().startsWith('[') ? 'json' : 'csv';
}

// ---------------------------------------------------------------------------------------------
// Import

/** One record of a file: its row number as the file counts it, and its raw job or what is wrong with it. */
type FileRecord = { row: number; value: unknown } | { row: number; issue: { field: string; message: string } };

export interface ImportResult {
  imported: number;
  /** Rows left out with `skipInvalid`, every one of them, in file order. */
  skipped: RowIssue[];
  format: TransferFormat;
}

/**
 * Imports the jobs of a JSON or CSV file in one transaction, in batches of `batchSize` written
 * by one statement each. A bad row refuses the whole file (every problem named, up to a
 * thousand), unless `skipInvalid`, which imports the rest and reports each skipped row.
 */
export async function importJobs({
  db,
  file,
  format,
  skipInvalid = false,
  batchSize = 2000,
}: {
  db: Db;
  file: string;
  format?: TransferFormat;
  skipInvalid?: boolean;
  batchSize?: number;
}): Promise<ImportResult> {
  const chunks = readChunks(file);
  const first = await chunks.next();
  // Enough to tell the format; a character cut at the end of the chunk does not matter here.
  const firstText = first.done ? '' : first.value.toString('utf8');
  const chosen = format ?? detectFormat(file, firstText);
  async function* all(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    yield* { [Symbol.asyncIterator]: () => chunks };
  }
  const records = chosen === 'json' ? jsonRecords(all()) : csvRecords(utf8Text(all()));
  const { imported, skipped } = await importRecords({ db, records, skipInvalid, batchSize });
  return { imported, skipped, format: chosen };
}

/**
 * Imports jobs given in memory or by a generator (the demo seed), chunk by chunk, through the
 * same validation and bulk path as a file; rows are numbered from 1 across all chunks.
 */
export async function importJobInputs({
  db,
  chunks,
  skipInvalid = false,
  batchSize = 2000,
}: {
  db: Db;
  chunks: Iterable<unknown[]> | AsyncIterable<unknown[]>;
  skipInvalid?: boolean;
  batchSize?: number;
}): Promise<{ imported: number; skipped: RowIssue[] }> {
  async function* records(): AsyncGenerator<FileRecord> {
    let row = 0;
    for await (const chunk of chunks) for (const value of chunk) yield { row: ++row, value };
  }
  return importRecords({ db, records: records(), skipInvalid, batchSize });
}

/**
 * Adds `count` demo jobs made from the seed, spread over the teams and principles of the
 * loaded content (taken in slug order, so the same seed gives the same jobs on any database).
 */
export async function seedDemoJobs({ db, count, seed, now }: { db: Db; count: number; seed: number; now: Date }): Promise<{ imported: number }> {
  const refs = await findTeamsAndPrinciplesBySlug(db);
  if (refs.teams.size === 0) throw new AppError(409, 'no_content', 'Demo jobs need teams: load a content pack first');
  const chunks = generateDemoJobsChunks({ count, chunkSize: 5000, seed, now, teams: [...refs.teams.keys()].sort(), principles: [...refs.principles.keys()].sort() });
  const { imported } = await importJobInputs({ db, chunks });
  return { imported };
}

/** The bytes of a file, a megabyte at a time. */
async function* readChunks(file: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new JobFileError('the file does not exist');
    throw error;
  }
}

/** UTF-8 bytes as text, a character cut between two chunks joined again. */
async function* utf8Text(chunks: AsyncIterator<Uint8Array>, head?: Uint8Array): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  if (head?.length) yield decoder.write(head);
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield decoder.write(next.value);
  const rest = decoder.end();
  if (rest) yield rest;
}

async function importRecords({
  db,
  records,
  skipInvalid,
  batchSize,
}: {
  db: Db;
  records: AsyncIterable<FileRecord>;
  skipInvalid: boolean;
  batchSize: number;
}): Promise<{ imported: number; skipped: RowIssue[] }> {
  const result = await writeRecords({ db, records, skipInvalid, batchSize });
  // After the commit: the foreign keys an import into an empty catalogue put back unchecked are
  // checked against its rows, and the tables get fresh planner statistics (PGlite has no
  // autovacuum to gather them, and a server's would come minutes later; without them search
  // plans guess badly). On a server the tables are done side by side, each on its own connection.
  const keys = await uncheckedJobKeys(db);
  const analyzed = result.imported > 0 ? ANALYZED_TABLES : [];
  await Promise.all(
    [...new Set([...keys.map((k) => k.table), ...analyzed])].map(async (table) => {
      for (const key of keys) if (key.table === table) await checkJobKey(db, key.check);
      if (analyzed.includes(table)) await db.execute(sql.raw(`analyze ${table}`));
    }),
  );
  return result;
}

const ANALYZED_TABLES = ['jobs', 'job_principles', 'job_questions', 'title_words'];

/**
 * How many batches may be staged at once, each on a connection of its own besides the
 * transaction's: two, the cores of the machine the project is measured on
 * (bench/results/import-postgres.json); more would only queue for the same cores.
 */
const STAGING_LANES = 2;

/** How many batches may be read ahead of the one being moved into the job tables. */
const READ_AHEAD = STAGING_LANES + 2;

/**
 * Whether batches can be staged beside the transaction: on a node-postgres pool with a
 * connection to spare. Not on PGlite (one connection), where each batch is written by one
 * statement that also computes its search documents.
 */
function hasConnectionsToSpare(db: Db): boolean {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool && (client.options.max ?? 10) > 1;
}

type ValidRow = JobRow & { row: number };

/** What moving a staged row needs of it. */
type StagedRow = Pick<ValidRow, 'row' | 'requisitionId'> & { input: Pick<ValidRow['input'], 'status' | 'title'> };

/**
 * Writes the valid records in one transaction, batch after batch in file order, each written
 * while the next ones are read. On a PostgreSQL server, an empty catalogue is filled by COPY on
 * the transaction (search documents built in Node); into a catalogue that has jobs, other
 * connections stage the batches ahead while the transaction moves the staged ones in.
 */
async function writeRecords({
  db,
  records,
  skipInvalid,
  batchSize,
}: {
  db: Db;
  records: AsyncIterable<FileRecord>;
  skipInvalid: boolean;
  batchSize: number;
}): Promise<{ imported: number; skipped: RowIssue[] }> {
  // One staging table per lane, so that the lanes never wait for each other to extend a table.
  const suffix = randomBytes(8).toString('hex');
  const staging = hasConnectionsToSpare(db) ? Array.from({ length: STAGING_LANES }, (_, lane) => stagingTableName(`${suffix}${lane}`)) : undefined;
  try {
    return await db.transaction(async (tx) => {
      if (staging) {
        await lockImportsAndSweepStaging(tx);
        // Compressing the large values is the costliest part of storing a row; lz4 is several
        // times faster than the default and reads back the same. A server built without it keeps the default.
        await tx.execute(sql`select set_config('default_toast_compression', 'lz4', true)
          from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)`);
        // Each move materializes a batch of whole jobs; keep it in memory. Once the staging table
        // is large, the planner's guesses for a move cross the JIT threshold, and compiling each
        // of hundreds of moves costs more than it saves.
        await tx.execute(sql`set local work_mem = '64MB'`);
        await tx.execute(sql`set local jit = off`);
      }
      // Loading into an empty catalogue: build the secondary indexes, and check the constraints
      // that are otherwise checked row by row, once at the end, which is far cheaper.
      const deferred = await deferJobIndexesWhenEmpty(tx);
      // Read after that: into an empty catalogue, teams and principles are now locked until the
      // commit, so every one the jobs name is still there when their keys are checked.
      const refs = await findTeamsAndPrinciplesBySlug(tx);
      // On a server, an empty catalogue is filled by COPY; otherwise batches are staged and moved in.
      const copying = staging !== undefined && deferred.length > 0;
      if (staging && !copying) for (const table of staging) await createJobStaging(db, table);
      const issues: RowIssue[] = [];
      let invalidRows = 0;
      const refuse = (row: number, found: Array<{ field: string; message: string }>) => {
        invalidRows += 1;
        for (const f of found) if (skipInvalid || issues.length < MAX_ISSUES) issues.push({ row, ...f });
      };
      // Once a row is bad and the file will be refused, keep checking the rest but write nothing more.
      const refused = () => invalidRows > 0 && !skipInvalid;
      const writer = batchWriter({ tx, db, staging: copying ? undefined : staging, copying, emptyCatalogue: deferred.length > 0, refuse, refused });

      const seenRequisitions = new Map<string, number>();
      let batch: ValidRow[] = [];
      try {
        for await (const record of records) {
          if ('issue' in record) {
            refuse(record.row, [record.issue]);
            continue;
          }
          // The fast path reads nearly every job; the schema reads the rest and names what is wrong.
          let input = readJobInput(record.value);
          if (!input) {
            const parsed = jobInputSchema.safeParse(record.value);
            if (!parsed.success) {
              refuse(
                record.row,
                parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
              );
              continue;
            }
            input = parsed.data;
          }
          const resolved = resolveJob(input, refs);
          if ('field' in resolved) {
            refuse(record.row, [resolved]);
            continue;
          }
          const requisitionId = resolved.requisitionId;
          if (requisitionId) {
            const earlier = seenRequisitions.get(requisitionId);
            if (earlier !== undefined) {
              refuse(record.row, [{ field: 'requisitionId', message: `"${requisitionId}" is also used by row ${earlier}` }]);
              continue;
            }
            seenRequisitions.set(requisitionId, record.row);
          }
          if (refused()) continue;
          batch.push({ ...resolved, row: record.row });
          if (batch.length >= batchSize) {
            await writer.write(batch);
            batch = [];
          }
        }
        if (batch.length && !refused()) await writer.write(batch);
      } catch (error) {
        // Nothing may touch the transaction once it is rolled back: let every batch under way finish first.
        await writer.abandon(error);
        throw error;
      }
      const imported = await writer.finish();
      if (refused()) throw new JobImportRefusedError(issues, invalidRows);
      await restoreJobIndexes(tx, deferred);
      // Dropped as the transaction commits: a committed import leaves no staging behind.
      for (const table of staging ?? []) await dropJobStaging(tx, table);
      return { imported, skipped: issues.sort((a, b) => a.row - b.row) };
    });
  } finally {
    // After a failure the staging tables are still there. Should dropping them fail too, the
    // first error is the one to report, and the next import drops what is left.
    for (const table of staging ?? []) await dropJobStaging(db, table).catch(() => {});
  }
}

interface BatchWriter {
  /** Takes the next batch of valid rows, in file order; resolves when the caller may read the next one. */
  write(rows: ValidRow[]): Promise<void>;
  /** Waits for every batch to be written and returns how many jobs were added; throws the first failure. */
  finish(): Promise<number>;
  /** Stops writing after `reason` and waits for whatever is under way. */
  abandon(reason: unknown): Promise<void>;
}

/**
 * Writes batches in file order inside `tx`, each once the one before it is written. Every
 * batch first has its requisition ids claimed (in an empty catalogue only the numbering moves,
 * as the file itself was checked for repeats). With `staging`, batch k is staged meanwhile on
 * lane k % STAGING_LANES, into that lane's table through `db` (outside the transaction), then
 * moved; with `copying` (an empty catalogue on a server), `tx` copies it in with its documents
 * built here; otherwise `tx` writes it by one statement.
 */
function batchWriter({
  tx,
  db,
  staging,
  copying,
  emptyCatalogue,
  refuse,
  refused,
}: {
  tx: Db;
  db: Db;
  staging: string[] | undefined;
  copying: boolean;
  emptyCatalogue: boolean;
  refuse: (row: number, found: Array<{ field: string; message: string }>) => void;
  refused: () => boolean;
}): BatchWriter {
  const lanes: Array<Promise<unknown>> = Array.from({ length: staging ? STAGING_LANES : 0 }, () => Promise.resolve());
  // Staged batches carry their search documents built here, each distinct chunk of text parsed
  // once; copied batches have theirs built on a worker thread with the rest of their encoding.
  const documents = new SearchDocuments(parseTextsWith(db));
  const encoder = copying ? new CopyEncoder(parseTextsWith(db)) : undefined;
  /** Claims and draws the ids of copied batches on the transaction, in file order. */
  let numbering: Promise<unknown> = Promise.resolve();
  const unwritten: Array<Promise<void>> = [];
  const titleWords = new Map<string, number>();
  let written: Promise<void> = Promise.resolve();
  let batches = 0;
  let imported = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
  };
  const stopped = () => failure !== undefined || refused();

  /** The rows of a batch whose requisition ids are free; the others are refused. */
  const claim = async <T extends Pick<ValidRow, 'row' | 'requisitionId'>>(rows: T[]): Promise<T[]> => {
    const ids = rows.flatMap((r) => (r.requisitionId ? [r.requisitionId] : []));
    if (emptyCatalogue) {
      await advanceRequisitionNumbering(tx, ids);
      return rows;
    }
    const taken = await claimRequisitionIds(tx, ids);
    if (taken.size === 0) return rows;
    const free: T[] = [];
    for (const r of rows) {
      if (r.requisitionId && taken.has(r.requisitionId)) refuse(r.row, [{ field: 'requisitionId', message: `a job with requisition id "${r.requisitionId}" already exists` }]);
      else free.push(r);
    }
    return free;
  };

  /** Writes a batch by one statement inside the transaction; returns how many jobs it added. */
  const insert = async (rows: ValidRow[]): Promise<number> => {
    const free = await claim(rows);
    return stopped() ? 0 : (await insertJobsInBulk(tx, free)).length;
  };

  /**
   * Moves staged batch `batch` once `staged` has settled; returns how many jobs it added. Of
   * its rows only what the move needs is kept, so the jobs themselves are not held meanwhile.
   */
  const move = async (table: string, batch: number, rows: StagedRow[], staged: Promise<unknown>): Promise<number> => {
    await staged;
    if (stopped()) return 0;
    const free = await claim(rows);
    if (stopped()) return 0;
    countTitleWords(free, titleWords);
    const kept = new Set(free);
    return moveStagedJobs(tx, table, batch, free.length === rows.length ? [] : rows.filter((r) => !kept.has(r)).map((r) => r.row));
  };

  /**
   * Numbers a batch for COPY and has the worker encode it (an empty catalogue: every row is
   * free, only the requisition numbering moves past the file's own ids); resolves to the
   * encoded batch, or undefined once the import has stopped.
   */
  const encode = (rows: ValidRow[]) => {
    const drawn = numbering.then(async () => {
      if (stopped()) return undefined;
      await claim(rows);
      return stopped() ? undefined : drawJobIds(tx, rows);
    });
    numbering = drawn.catch(() => {});
    const encoded = drawn.then((ids) => (ids && !stopped() ? encoder!.encode(rows, ids, new Date().toISOString()) : undefined));
    // A failure is reported by the write that awaits it, unless the import stopped before that write.
    encoded.catch(() => {});
    return encoded;
  };

  /** Copies an encoded batch into the job tables; returns how many jobs it added. */
  const copy = async (rows: ValidRow[], encoded: ReturnType<typeof encode>): Promise<number> => {
    const batch = await encoded;
    if (!batch || stopped()) return 0;
    countTitleWords(rows, titleWords);
    await writeJobCopy(tx, batch);
    return rows.length;
  };

  // Every statement under way on the transaction is awaited, numbering included.
  const settle = async () => {
    await Promise.all([written, numbering, ...lanes]);
    await encoder?.close();
  };

  return {
    async write(rows) {
      while (unwritten.length >= (staging || copying ? READ_AHEAD : 1)) await unwritten.shift();
      if (failure) throw failure.error;
      let write: () => Promise<number>;
      if (copying) {
        const encoded = encode(rows);
        write = () => copy(rows, encoded);
      } else if (staging) {
        const batch = batches++;
        const columns = jobColumns(rows, await documents.build(rows.map(documentTexts)));
        const lane = batch % STAGING_LANES;
        const staged = lanes[lane]!.then(() => (stopped() ? undefined : stageJobs(db, staging[lane]!, batch, columns)));
        lanes[lane] = staged.catch(fail);
        const summary: StagedRow[] = rows.map((r) => ({ row: r.row, requisitionId: r.requisitionId, input: { status: r.input.status, title: r.input.title } }));
        write = () => move(staging[lane]!, batch, summary, staged);
      } else {
        write = () => insert(rows);
      }
      written = written
        .then(async () => {
          if (!stopped()) imported += await write();
        })
        .catch(fail);
      unwritten.push(written);
    },
    async finish() {
      await settle();
      if (failure) throw failure.error;
      if (!refused()) await addTitleWords(tx, titleWords);
      return imported;
    },
    async abandon(reason) {
      fail(reason);
      await settle();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// JSON: an array of jobs. Elements are cut out of the stream by tracking brackets and strings,
// then each is parsed on its own, so memory holds one chunk and one element at a time.

const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const NEWLINE = 0x0a;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A job line longer than this is left to the character scanner, which never holds more than a chunk and one job. */
const LINE_LIMIT = 8 << 20;

/**
 * Reads the elements of a JSON array from the bytes of a UTF-8 file; row = array index + 1.
 *
 * A file written one job per line (as `dayone export` writes it) is read line by line: each
 * line is decoded and parsed on its own, which is several times faster than scanning the text
 * character by character, mostly because a line of plain ASCII decodes to a compact string
 * while a chunk holding one accented letter does not. At the first line that is anything else
 * (an element spread over lines, two on a line, a broken job, the closing bracket), the rest of
 * the file goes to `scanJsonText`, which carries on from that point: rows, positions in error
 * messages and what is accepted are the same either way.
 */
export async function* jsonRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<FileRecord> {
  const source = chunks[Symbol.asyncIterator]();
  let bytes = Buffer.alloc(0);
  let pos = 0;
  let opened = false; // past the opening bracket; until then every byte is kept for the scanner
  let bom = 0;
  let row = 0;
  let consumed = 0; // characters before `pos`, the byte-order mark left out, as the scanner counts them
  let expectValue = true;
  /** Appends the next chunk, dropping what is read once the array is open; false at the end. */
  const more = async (): Promise<boolean> => {
    const next = await source.next();
    if (next.done) return false;
    bytes = Buffer.concat([opened ? bytes.subarray(pos) : bytes, next.value]);
    if (opened) pos = 0;
    return true;
  };

  lines: for (;;) {
    if (pos >= bytes.length && !(await more())) break;
    const c = bytes[pos]!;
    if (!opened) {
      if (pos === 0 && bytes.length < 3 && (await more())) continue;
      if (pos === 0 && c === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = bom = 3;
      else if (isBlank(c)) pos++;
      else if (c === OPEN_BRACKET) {
        consumed = pos + 1 - bom;
        pos += 1;
        opened = true;
      } else break;
      continue;
    }
    if (isBlank(c) || (c === COMMA && !expectValue)) {
      if (c === COMMA) expectValue = true;
      pos++;
      consumed++;
      continue;
    }
    if (c !== OPEN_BRACE || !expectValue) break;
    let searched = pos;
    let newline = bytes.indexOf(NEWLINE, searched);
    while (newline === -1) {
      searched = bytes.length - pos;
      if (searched > LINE_LIMIT || !(await more())) break lines;
      newline = bytes.indexOf(NEWLINE, searched);
    }
    // The job ends the line, maybe followed by the comma before the next one.
    let end = newline;
    while (isBlank(bytes[end - 1])) end--;
    const comma = bytes[end - 1] === COMMA;
    if (comma) {
      end--;
      while (isBlank(bytes[end - 1])) end--;
    }
    if (end <= pos || bytes[end - 1] !== CLOSE_BRACE) break;
    const text = bytes.toString('utf8', pos, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      break; // the scanner names the broken job
    }
    row += 1;
    consumed += text.length + (newline + 1 - end);
    pos = newline + 1;
    expectValue = comma;
    yield { row, value };
  }
  const rest = utf8Text(source, opened ? bytes.subarray(pos) : bytes);
  yield* scanJsonText(rest, opened ? { row, consumed, expectValue } : undefined);
}

/**
 * Reads the elements of a JSON array from text chunks, character by character; row = array
 * index + 1. `resume` carries on after the opening bracket and `row` elements, `consumed`
 * characters into the file.
 */
export async function* scanJsonText(
  chunks: AsyncIterable<string>,
  resume?: { row: number; consumed: number; expectValue: boolean },
): AsyncGenerator<FileRecord> {
  let buffer = '';
  let pos = 0; // where scanning continues
  let start = -1; // where the current element starts, or -1 between elements
  let depth = 0; // nesting inside the current element
  let state: 'before' | 'between' | 'after' = resume ? 'between' : 'before';
  let expectValue = resume?.expectValue ?? true;
  let row = resume?.row ?? 0;
  let consumed = resume?.consumed ?? 0; // characters dropped from the front of the stream, for error positions
  const fail = (message: string, at: number): never => {
    throw new JobFileError(`Not a JSON array of jobs: ${message} (at character ${consumed + at + 1})`);
  };

  for await (const chunk of chunks) {
    buffer += !resume && consumed === 0 && buffer === '' ? chunk.replace(/^\uFEFF/, '') : chunk;
    const end = buffer.length;
    while (pos < end) {
      const c = buffer.charCodeAt(pos);
      if (start >= 0) {
        if (c === QUOTE) {
          // Skip the string: find its closing quote, one not escaped by an odd run of backslashes.
          let q = pos + 1;
          for (;;) {
            q = buffer.indexOf('"', q);
            if (q === -1) break;
            let slashes = 0;
            while (buffer.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
            if (slashes % 2 === 0) break;
            q += 1;
          }
          if (q === -1) break; // the string goes on in the next chunk
          pos = q + 1;
          continue;
        }
        if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
        else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) depth = -1;
        if (depth === 0 && (c === CLOSE_BRACE || c === CLOSE_BRACKET)) {
          row += 1;
          yield parseElement(buffer.slice(start, pos + 1), row);
          start = -1;
          expectValue = false;
        } else if (depth < 0) {
          // A scalar element (say 42) ends at the comma or bracket after it.
          row += 1;
          yield parseElement(buffer.slice(start, pos), row);
          start = -1;
          depth = 0;
          expectValue = false;
          continue;
        }
        pos++;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        pos++;
        continue;
      }
      if (state === 'before') {
        if (c !== OPEN_BRACKET) fail('the file must start with [', pos);
        state = 'between';
        pos++;
        continue;
      }
      if (state === 'after') fail('unexpected text after the closing ]', pos);
      if (c === CLOSE_BRACKET) {
        if (expectValue && row > 0) fail('a comma is followed by ]', pos);
        state = 'after';
      } else if (c === COMMA) {
        if (expectValue) fail('unexpected comma', pos);
        expectValue = true;
      } else {
        if (!expectValue) fail('a comma is missing between two jobs', pos);
        start = pos;
        depth = c === OPEN_BRACE || c === OPEN_BRACKET ? 1 : 0;
        if (c === QUOTE) continue; // let the string skipper above read it
      }
      pos++;
    }
    // Drop what is done; keep the element in progress.
    const keep = start >= 0 ? start : pos;
    if (keep > 0) {
      buffer = buffer.slice(keep);
      consumed += keep;
      pos -= keep;
      if (start >= 0) start = 0;
    }
  }
  if (state === 'before') fail('the file is empty', 0);
  if (state !== 'after' || start >= 0) fail('the file ends before the closing ]', buffer.length);
}

function parseElement(text: string, row: number): FileRecord {
  try {
    return { row, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new JobFileError(`Not a JSON array of jobs: job ${row} is not valid JSON: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180): comma-separated, fields with commas, quotes or line breaks in double quotes,
// quotes doubled inside them; CRLF or LF; a leading byte-order mark is ignored.

/** Splits CSV text chunks into records; `line` is the line of the file each record starts on. */
export async function* csvRows(chunks: AsyncIterable<string>): AsyncGenerator<{ fields: string[]; line: number }> {
  let buffer = '';
  let line = 1;
  let first = true;
  for await (const chunk of chunks) {
    buffer += first ? chunk.replace(/^\uFEFF/, '') : chunk;
    first = false;
    const { records, consumed, lines } = parseCsv(buffer, false, line);
    buffer = buffer.slice(consumed);
    for (const r of records) yield r;
    line = lines;
  }
  const { records } = parseCsv(buffer, true, line);
  for (const r of records) yield r;
}

function parseCsv(text: string, final: boolean, firstLine: number): { records: Array<{ fields: string[]; line: number }>; consumed: number; lines: number } {
  const records: Array<{ fields: string[]; line: number }> = [];
  const len = text.length;
  let i = 0;
  // The end of the last complete record and the line after it: what the caller may drop.
  let done = 0;
  let line = firstLine;
  records: while (i < len) {
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1 || (q + 1 >= len && !final)) {
            if (final) throw new JobFileError(`CSV line ${line}: a quoted field is never closed`);
            break records; // wait for more text
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += text.slice(j, q);
          i = q + 1;
          break;
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < len) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === 0x0a || c === 0x0d) break;
          j++;
        }
        if (j >= len && !final) break records;
        fields.push(text.slice(i, j));
        i = j;
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === 0x0d) {
        if (i + 1 >= len && !final) break records;
        i += text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      } else if (c === 0x0a) {
        i++;
      } else if (i < len) {
        throw new JobFileError(`CSV line ${line + countLines(text, done, i)}: unexpected text after a closing quote`);
      }
      // A blank line is not a record.
      if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line });
      line += countLines(text, done, i);
      done = i;
      continue records;
    }
  }
  return { records, consumed: done, lines: line };
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

/** Reads jobs from CSV text chunks. Row numbers count records the way a spreadsheet does: the header is row 1. */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<FileRecord> {
  let header: CsvColumn[] | undefined;
  let row = 0;
  for await (const { fields } of csvRows(chunks)) {
    row += 1;
    if (!header) {
      header = checkHeader(fields);
      continue;
    }
    if (fields.length !== header.length) {
      yield { row, issue: { field: '', message: `has ${fields.length} fields but the header has ${header.length}` } };
      continue;
    }
    yield fromCsv(header, fields, row);
  }
  if (!header) throw new JobFileError('The CSV file is empty: it needs a header row naming its columns');
}

function checkHeader(fields: string[]): CsvColumn[] {
  const names = fields.map((f) => f.trim());
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new JobFileError(`The CSV header names unknown column(s) ${unknown.map((n) => `"${n}"`).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length) throw new JobFileError(`The CSV header names ${repeated.map((n) => `"${n}"`).join(', ')} more than once`);
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) throw new JobFileError(`The CSV header lacks the required column(s) ${missing.join(', ')}`);
  return names as CsvColumn[];
}

class CellError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** One CSV record as a raw job input for the schema to validate. Empty cells are left out, so defaults apply. */
function fromCsv(header: CsvColumn[], fields: string[], row: number): FileRecord {
  const cells = new Map<CsvColumn, string>();
  header.forEach((name, i) => {
    const value = fields[i]!;
    if (value.trim() !== '') cells.set(name, value);
  });
  const number = (cell: string | undefined) => (cell !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(cell) ? Number(cell) : cell);
  const json = (name: CsvColumn) => {
    const cell = cells.get(name);
    if (cell === undefined) return undefined;
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      throw new CellError(name, 'is not valid JSON');
    }
  };
  // Codes and slugs: "US;CA" (a JSON array is accepted too).
  const codes = (name: CsvColumn) => {
    const cell = cells.get(name);
    if (cell === undefined) return undefined;
    return cell.trimStart().startsWith('[') ? json(name) : cell.split(';').map((s) => s.trim()).filter(Boolean);
  };
  // Free text: a JSON array of strings, or one item per line.
  const texts = (name: CsvColumn) => {
    const cell = cells.get(name);
    if (cell === undefined) return undefined;
    return cell.trimStart().startsWith('[') ? json(name) : cell.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  };
  try {
    const value: Record<string, unknown> = {
      requisitionId: cells.get('requisitionId'),
      title: cells.get('title'),
      team: cells.get('team'),
      category: cells.get('category'),
      level: number(cells.get('level')),
      employmentType: cells.get('employmentType'),
      workplaceType: cells.get('workplaceType'),
      applicantCountries: codes('applicantCountries'),
      locations: json('locations'),
      description: cells.get('description'),
      basicQualifications: texts('basicQualifications'),
      preferredQualifications: texts('preferredQualifications'),
      pay:
        ['payCurrency', 'payMin', 'payMax', 'payUnit'].some((c) => cells.has(c as CsvColumn))
          ? { currency: cells.get('payCurrency'), min: number(cells.get('payMin')), max: number(cells.get('payMax')), unit: cells.get('payUnit') }
          : null,
      principles: codes('principles'),
      status: cells.get('status'),
      headcount: number(cells.get('headcount')),
      postedAt: cells.get('postedAt'),
      closesAt: cells.get('closesAt'),
      questions: json('questions'),
    };
    for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
    return { row, value };
  } catch (error) {
    if (error instanceof CellError) return { row, issue: { field: error.field, message: error.message } };
    throw error;
  }
}

/** A CSV field, quoted when it holds a comma, quote, line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function toCsvLine(job: ExportedJob): string {
  const cells: Record<CsvColumn, string> = {
    requisitionId: job.requisitionId,
    title: job.title,
    team: job.team,
    category: job.category,
    level: String(job.level),
    employmentType: job.employmentType,
    workplaceType: job.workplaceType,
    applicantCountries: job.applicantCountries.join(';'),
    locations: job.locations.length ? JSON.stringify(job.locations) : '',
    description: job.description,
    basicQualifications: job.basicQualifications.length ? JSON.stringify(job.basicQualifications) : '',
    preferredQualifications: job.preferredQualifications.length ? JSON.stringify(job.preferredQualifications) : '',
    payCurrency: job.pay?.currency ?? '',
    payMin: job.pay ? String(job.pay.min) : '',
    payMax: job.pay ? String(job.pay.max) : '',
    payUnit: job.pay?.unit ?? '',
    principles: job.principles.join(';'),
    status: job.status,
    headcount: String(job.headcount),
    postedAt: job.postedAt?.toISOString() ?? '',
    closesAt: job.closesAt?.toISOString() ?? '',
    questions: job.questions.length ? JSON.stringify(job.questions) : '',
  };
  return CSV_COLUMNS.map((c) => csvField(cells[c])).join(',');
}

// ---------------------------------------------------------------------------------------------
// Export

/**
 * Writes every job (whatever its status) as a JSON array or as CSV, page by page. `write`
 * receives whole lines without their final line break and may return a promise to slow the
 * export down to the pace of its destination.
 */
export async function exportJobs({
  db,
  format,
  write,
  pageSize = 2000,
}: {
  db: Db;
  format: TransferFormat;
  write: (lines: string) => void | Promise<void>;
  pageSize?: number;
}): Promise<{ exported: number }> {
  let exported = 0;
  if (format === 'csv') {
    await write(CSV_COLUMNS.join(','));
    for await (const page of streamAllJobs(db, pageSize)) {
      await write(page.map(toCsvLine).join('\r\n'));
      exported += page.length;
    }
    return { exported };
  }
  // One job per line; the last line of a page waits for the next page to learn whether it needs a comma.
  await write('[');
  let pending: string | undefined;
  for await (const page of streamAllJobs(db, pageSize)) {
    const lines = page.map((job) => JSON.stringify(job));
    if (pending !== undefined) lines.unshift(pending);
    pending = lines.pop();
    if (lines.length) await write(lines.map((l) => `${l},`).join('\n'));
    exported += page.length;
  }
  if (pending !== undefined) await write(pending);
  await write(']');
  return { exported };
}
