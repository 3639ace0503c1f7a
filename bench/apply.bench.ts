// Applications with a 200 KB PDF at concurrency 32 for BENCH_SECONDS (default 30) on
// BENCH_ENGINE=pglite|postgres (PostgreSQL: a fresh database on BENCH_SERVER_URL), then checks
// that every acknowledged application (303) is stored exactly once with its file.
// Writes bench/results/apply-<engine>.json. Target on PostgreSQL: ≥ 100 applications/s, none lost or doubled.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/server/db/client.ts';
import { makePdf } from '../test/support/files.ts';
import { multipart } from '../test/support/multipart.ts';
import { machineFacts } from './support/machine.ts';

const ENGINE = (process.env.BENCH_ENGINE ?? 'postgres') as 'pglite' | 'postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = 32;
const SERVER = process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let databaseUrl: string | undefined;
let dropDatabase = async () => {};
if (ENGINE === 'postgres') {
  const name = `dayone_bench_apply_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = () => admin(`drop database if exists ${name} with (force)`);
}

const server = spawn(process.execPath, ['--import', 'tsx', 'bench/support/apply-server.ts'], {
  env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const started = await new Promise<{ url: string; jobPath: string; dataDir: string }>((resolve, reject) => {
  server.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString())));
  server.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
});

// About 200 KB, as a real resume PDF is: a page of text plus embedded binary data (fonts, a photo).
const pdf = makePdf(`Resume ${'experience with distributed systems and data pipelines '.repeat(60)}`, 200_000);
let counter = 0;
const result = await autocannon({
  url: started.url,
  connections: CONNECTIONS,
  duration: SECONDS,
  requests: [
    {
      method: 'POST',
      path: started.jobPath,
      setupRequest: (request) => {
        const email = `bench-${counter++}-${randomUUID().slice(0, 8)}@example.test`;
        const body = multipart(
          { idempotencyKey: randomUUID(), name: 'Bench Candidate', email, consentProcessing: 'yes' },
          { field: 'resume', filename: 'resume.pdf', contentType: 'application/pdf', bytes: pdf },
        );
        return { ...request, body: body.payload, headers: { ...request.headers, ...body.headers, accept: 'text/html' } };
      },
    },
  ],
});
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

// Verify on the database itself.
const database = await openDatabase({ url: databaseUrl, dataDir: started.dataDir });
const rows = ((await database.db.execute(sql`
  select count(*)::int as applications, count(distinct p.email)::int as people,
         count(r.storage_key)::int as with_file, array_agg(r.storage_key) as keys
  from applications a join people p on p.id = a.person_id left join resumes r on r.id = a.resume_id`)) as unknown as {
  rows: Array<{ applications: number; people: number; with_file: number; keys: string[] }>;
}).rows[0]!;
await database.close();
await dropDatabase();
const filesPresent = rows.keys.filter((k) => k && existsSync(join(started.dataDir, 'files', k.slice(0, 2), k))).length;

const figures = {
  benchmark: 'apply',
  engine: ENGINE,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  pdfBytes: pdf.length,
  machine: machineFacts(),
  requests: result.requests.total,
  acknowledged: result['2xx'] + result['3xx'],
  applicationsPerSecond: Math.round(((result['2xx'] + result['3xx']) / SECONDS) * 10) / 10,
  // autocannon gives p90 and p97.5; p95 is interpolated between them.
  latencyMs: { p50: result.latency.p50, p95: Math.round(result.latency.p90 + ((result.latency.p97_5 - result.latency.p90) * 5) / 7.5), p99: result.latency.p99 },
  non2xx3xx: result.non2xx - result['3xx'],
  errors: result.errors,
  stored: { applications: rows.applications, distinctPeople: rows.people, withFile: rows.with_file, filesPresent },
  lost: Math.max(0, result['3xx'] - rows.applications),
  duplicated: rows.applications - rows.people,
  target: 'PostgreSQL: at least 100 applications/s, zero lost, zero duplicated',
};
console.log(JSON.stringify(figures, null, 2));
await mkdir('bench/results', { recursive: true });
await writeFile(`bench/results/apply-${ENGINE}.json`, `${JSON.stringify(figures, null, 2)}\n`);
