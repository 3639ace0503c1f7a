// Generates BENCH_JOBS demo jobs (default 1,000,000) into a temporary JSON or CSV file
// (BENCH_FORMAT, default json), imports it BENCH_RUNS times (default 3), each into a fresh
// PostgreSQL database, through the same code as `dayone import`, and writes each run's seconds
// and their median to bench/results/import-postgres.json: on a shared 2-core machine one run
// can differ from the next by a fifth. Each database is created and dropped on the server of
// BENCH_SERVER_URL (default the local one); with DATABASE_URL set, that database is used as it
// is and kept, for one run.
// Goal: 1,000,000 jobs in at most 120 s.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { openPostgres } from '../src/server/db/client.ts';
import { createContentService } from '../src/server/features/content/content.service.ts';
import { generateDemoJobsChunks } from '../src/server/features/jobs/demo-jobs.ts';
import { countRequisitions, findTeamsAndPrinciplesBySlug } from '../src/server/features/jobs/jobs.repository.ts';
import { csvField, CSV_COLUMNS, importJobs, type TransferFormat } from '../src/server/features/jobs/jobs.transfer.ts';
import { machineFacts } from './support/machine.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 1_000_000);
const FORMAT = (process.env.BENCH_FORMAT ?? 'json') as TransferFormat;
const BATCH = Number(process.env.BENCH_BATCH ?? 2000);
const RUNS = process.env.DATABASE_URL ? 1 : Number(process.env.BENCH_RUNS ?? 3);
const SERVER = process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const GOAL_SECONDS = 120;

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => {} };
  const name = `dayone_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** Writes the jobs as `dayone export` would, so the import reads a realistic file. */
async function writeJobsFile(file: string, teams: string[], principles: string[]): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(FORMAT === 'json' ? '[\n' : `${CSV_COLUMNS.join(',')}\r\n`);
  let first = true;
  for (const chunk of generateDemoJobsChunks({ count: JOBS, chunkSize: 5000, seed: 1, teams, principles, now: new Date() })) {
    if (FORMAT === 'json') {
      await write(`${first ? '' : ',\n'}${chunk.map((j) => JSON.stringify(j)).join(',\n')}`);
    } else {
      const lines = chunk.map((j) => {
        const cells: Record<string, unknown> = {
          ...j,
          applicantCountries: j.applicantCountries?.join(';'),
          locations: j.locations?.length ? JSON.stringify(j.locations) : '',
          basicQualifications: JSON.stringify(j.basicQualifications ?? []),
          preferredQualifications: JSON.stringify(j.preferredQualifications ?? []),
          payCurrency: j.pay?.currency,
          payMin: j.pay?.min,
          payMax: j.pay?.max,
          payUnit: j.pay?.unit,
          principles: j.principles?.join(';'),
          postedAt: j.postedAt instanceof Date ? j.postedAt.toISOString() : '',
          closesAt: j.closesAt instanceof Date ? j.closesAt.toISOString() : '',
          questions: j.questions?.length ? JSON.stringify(j.questions) : '',
        };
        return CSV_COLUMNS.map((c) => csvField(cells[c] === undefined || cells[c] === null ? '' : String(cells[c]))).join(',');
      });
      await write(`${lines.join('\r\n')}\r\n`);
    }
    first = false;
  }
  if (FORMAT === 'json') await write('\n]\n');
  out.end();
  await once(out, 'finish');
}

/** A fresh database with the migrations and the default content, as `dayone import` finds it on a new install. */
async function preparedDatabase() {
  const target = await freshDatabase();
  // The pool `dayone import` opens (openDatabase): the import checks keys and analyzes on connections of its own.
  const database = openPostgres(target.url);
  await database.migrate();
  await createContentService({ db: database.db }).loadPack({ dir: 'content/default' });
  return {
    database,
    async drop() {
      await database.close();
      await target.drop();
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round(((sorted[middle - 1]! + sorted[middle]!) / 2) * 100) / 100;
};

const dir = await mkdtemp(join(tmpdir(), 'dayone-import-bench-'));
const file = join(dir, `jobs.${FORMAT}`);
let prepared: Awaited<ReturnType<typeof preparedDatabase>> | undefined;
try {
  prepared = await preparedDatabase();
  const refs = await findTeamsAndPrinciplesBySlug(prepared.database.db);
  let started = performance.now();
  await writeJobsFile(file, [...refs.teams.keys()], [...refs.principles.keys()]);
  const generateSeconds = seconds(started);
  const fileMiB = Math.round((await stat(file)).size / 2 ** 20);
  console.log(`generated ${JOBS.toLocaleString('en')} jobs into a ${fileMiB} MiB ${FORMAT} file in ${generateSeconds} s`);

  const runs: number[] = [];
  let postgres: string | undefined;
  for (let run = 1; run <= RUNS; run++) {
    prepared ??= await preparedDatabase();
    const { database } = prepared;
    try {
      started = performance.now();
      const result = await importJobs({ db: database.db, file, batchSize: BATCH });
      const importSeconds = seconds(started);
      const rows = await countRequisitions(database.db);
      if (result.imported !== JOBS || rows !== JOBS || result.skipped.length) throw new Error(`imported ${result.imported}, counted ${rows}, expected ${JOBS}`);
      console.log(`run ${run}: imported ${JOBS.toLocaleString('en')} jobs in ${importSeconds} s (${Math.round(JOBS / importSeconds).toLocaleString('en')} rows/s)`);
      runs.push(importSeconds);
      postgres ??= ((await database.db.execute('select version()' as never)) as unknown as { rows: Array<{ version: string }> }).rows[0]?.version;
    } finally {
      await prepared.drop();
      prepared = undefined;
    }
  }
  const importSeconds = median(runs);
  const rowsPerSecond = Math.round(JOBS / importSeconds);
  console.log(`median of ${RUNS}: ${importSeconds} s (${rowsPerSecond.toLocaleString('en')} rows/s)`);

  const report = {
    benchmark: 'import-postgres',
    description:
      '`dayone import` code path into a fresh PostgreSQL database on the same machine, run several times: stream-parse and validate on the main thread; search documents (built from chunks PostgreSQL parsed once, search-document.ts) and binary COPY rows encoded on a worker thread; each batch written into the empty job tables by COPY on the import\'s one transaction; indexes and unique keys built once at the end; after the commit, foreign keys checked beside ANALYZE. importSeconds is the median of runSeconds',
    machine: machineFacts(),
    postgres,
    jobs: JOBS,
    format: FORMAT,
    fileMiB,
    batchSize: BATCH,
    generateSeconds,
    runSeconds: runs,
    importSeconds,
    rowsPerSecond,
    goal: `${JOBS.toLocaleString('en')} jobs in at most ${(GOAL_SECONDS * JOBS) / 1_000_000} s`,
  };
  report.goal += importSeconds <= (GOAL_SECONDS * JOBS) / 1_000_000 ? ' — met' : ' — NOT met';
  await mkdir('bench/results', { recursive: true });
  const out = 'bench/results/import-postgres.json';
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`→ ${out}`);
} finally {
  await prepared?.drop();
  await rm(dir, { recursive: true, force: true });
}
