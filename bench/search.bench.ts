// Job search at scale. Seeds BENCH_JOBS demo jobs (default 100,000 on PGlite, 1,000,000 on
// PostgreSQL; BENCH_ENGINE=pglite|postgres), then measures three query classes:
//   narrow       words + two filters
//   broad        one common word ("customer", in about 15% of jobs), ranked, with facet counts
//   filter-only  two filters, no words, newest first, with facet counts
// Each class runs through HTTP (autocannon, 16 connections, GET /api/v1/jobs on a server in its
// own process, from a client in a third process, result cache off so every request searches) and
// as the floor: the same search service in-process, no HTTP, at the same concurrency, on the
// in-memory index. In each round (BENCH_ROUNDS) a class runs as floor and HTTP in turn, in
// SLICES slices of each, so the two figures a ratio compares were measured under the same spells
// of a VM whose speed drifts. For reference the old single-statement SQL search (what runs while
// the index loads) is timed alone.
// Figures go to bench/results/search-<engine>.json.
// Targets: PostgreSQL at 1M p95 ≤ 50 ms; PGlite at 100k p95 ≤ 100 ms; HTTP ≤ 2× the floor.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../src/server/db/client.ts';
import { createContentService } from '../src/server/features/content/content.service.ts';
import { watchCatalogVersion } from '../src/server/features/jobs/catalog-version.ts';
import { countRequisitions } from '../src/server/features/jobs/jobs.repository.ts';
import { seedDemoJobs } from '../src/server/features/jobs/jobs.transfer.ts';
import { createSearchIndexSync } from '../src/server/features/jobs/search-index/search-index.sync.ts';
import { createJobSearch, type JobSearch } from '../src/server/features/jobs/search.service.ts';
import { searchParamsSchema } from '../src/shared/contracts/search.ts';
import { machineFacts } from './support/machine.ts';

// The floor runs under the server's V8 settings: `dayone serve` turns allocation-site pretenuring off.
setFlagsFromString('--no-allocation-site-pretenuring');

const ENGINE = (process.env.BENCH_ENGINE ?? 'pglite') as 'pglite' | 'postgres';
const JOBS = Number(process.env.BENCH_JOBS ?? (ENGINE === 'pglite' ? 100_000 : 1_000_000));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 16;
const SERVER = process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_P95 = ENGINE === 'pglite' ? 100 : 50;
/**
 * Server processes: on a PostgreSQL server, one per core (WEB_CONCURRENCY), as a deployment on
 * this machine would run; PGlite belongs to one process.
 */
const PROCESSES = ENGINE === 'postgres' ? Number(process.env.BENCH_PROCESSES ?? availableParallelism()) : 1;
/**
 * Rounds: each runs every class in-process (the floor) and through HTTP. On a shared VM one
 * 15-second run can be half as fast as the next for the same code (steal time reaches 30% while
 * neighbours are busy), so a class is judged by the median of its rounds (p95, and the ratio of
 * the two runs of the same round), and every round is written out. Five rounds: with three, one
 * unlucky round in two moved the median ratio by 0.2.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/**
 * Slices per round: the floor and HTTP alternate in slices of durationSeconds / SLICES, and each
 * side's percentiles come from all its slices. The VM has slow spells of a few seconds (steal
 * time); run as one 15-second block each, one side could catch a spell the other missed.
 */
const SLICES = 3;

const TEAMS = ['amazon-web-services', 'e-commerce', 'legal', 'finance-administration', 'seller-service', 'amazon-devices-services'];
const WORDS = ['data engineer', 'product manager', 'financial analyst', 'software development engineer', 'solutions architect', 'operations manager', 'counsel', 'designer'];

/** The query strings of each class; requests cycle through them so no single query dominates. */
const CLASSES: Record<string, string[]> = {
  narrow: WORDS.flatMap((q, i) => [`q=${encodeURIComponent(q)}&team=${TEAMS[i % TEAMS.length]}&workplace=${i % 2 ? 'hybrid' : 'on_site'}`]),
  broad: ['q=customer'],
  'filter-only': TEAMS.flatMap((team, i) => [`team=${team}&workplace=${['on_site', 'hybrid', 'remote'][i % 3]}`]),
};

/** A database that already holds JOBS demo jobs (kept between runs, since seeding a million takes minutes). */
async function seededDatabase(): Promise<{ openForFloor: () => Promise<Database>; env: Record<string, string> }> {
  let open: () => Promise<Database>;
  let openForFloor: () => Promise<Database>;
  let env: Record<string, string>;
  if (ENGINE === 'pglite') {
    const dataDir = join(tmpdir(), `dayone-bench-search-${JOBS}`);
    open = () => openPglite(join(dataDir, 'pglite'));
    // The server holds the folder while the floor runs beside it: the floor gets a fresh copy.
    const floorDir = join(tmpdir(), `dayone-bench-search-${JOBS}-floor`);
    openForFloor = async () => {
      await rm(floorDir, { recursive: true, force: true });
      await cp(join(dataDir, 'pglite'), join(floorDir, 'pglite'), { recursive: true });
      const database = await openPglite(join(floorDir, 'pglite'));
      return {
        ...database,
        close: async () => {
          await database.close();
          await rm(floorDir, { recursive: true, force: true });
        },
      };
    };
    env = { DATA_DIR: dataDir };
  } else {
    const name = `dayone_bench_search_${JOBS}`;
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(SERVER);
    url.pathname = `/${name}`;
    open = async () => openPostgres(url.toString(), 16);
    openForFloor = open;
    env = { DATABASE_URL: url.toString(), SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' };
  }
  const database = await open();
  try {
    await database.migrate();
    const content = createContentService({ db: database.db });
    await content.loadPackIfEmpty({ dir: 'content/default' });
    const have = await countRequisitions(database.db);
    if (have !== JOBS) {
      if (have > 0) throw new Error(`The bench database holds ${have} jobs, not ${JOBS}; drop it first.`);
      const started = performance.now();
      console.log(`seeding ${JOBS} jobs into ${ENGINE}…`);
      await seedDemoJobs({ db: database.db, count: JOBS, seed: 7, now: new Date() });
      // Fresh statistics, or the planner guesses (PGlite has no autovacuum).
      await database.db.execute(ENGINE === 'postgres' ? sql`vacuum analyze` : sql`analyze`);
      console.log(`seeded in ${Math.round((performance.now() - started) / 1000)} s`);
    }
  } finally {
    await database.close();
  }
  return { openForFloor, env };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 100) / 100;

type Measured = { requestsPerSecond: number; latencyMs: { p50: number; p95: number; p99: number } };

/** Requests per second and exact percentiles of latencies pooled from runs lasting `seconds` in all. */
function measured(latencies: number[], seconds: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(sorted.length / seconds),
    latencyMs: { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)) },
  };
}

/** The floor: the search service on the in-memory index, called directly, CONNECTIONS at a time, for `seconds`; every latency. */
async function floor(search: JobSearch, queries: string[], seconds: number): Promise<number[]> {
  const params = queries.map((q) => searchParamsSchema.parse(Object.fromEntries(new URLSearchParams(q))));
  for (const p of params) await search.search(p);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const p = params[next++ % params.length]!;
        const started = performance.now();
        await search.search(p);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

/** The SQL search alone (no index, no cache): each query of the class once, one at a time. */
async function sqlAlone(search: JobSearch, queries: string[]) {
  const latencies: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await search.search(searchParamsSchema.parse(Object.fromEntries(new URLSearchParams(q))));
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return { searches: latencies.length, latencyMs: { p50: round(percentile(latencies, 50)), max: round(latencies.at(-1)!) } };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Through HTTP for `seconds`, from a load client in its own process (bench/support/load.ts), not sharing this process's heap; every latency. */
async function http(url: string, queries: string[], seconds: number): Promise<number[]> {
  const paths = queries.map((q) => `/api/v1/jobs?${q}`);
  for (const path of paths) await fetch(`${url}${path}`);
  const client = spawn(process.execPath, [...process.execArgv, 'bench/support/load.ts'], {
    env: { ...process.env, BASE_URL: url, PATHS: JSON.stringify(paths), CONNECTIONS: String(CONNECTIONS), SECONDS: String(seconds), LATENCIES: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  client.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(client, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load client exited with ${code}`);
  const r = JSON.parse(output) as { latencies: number[]; non2xx: number; errors: number };
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx answers and ${r.errors} errors`);
  return r.latencies;
}

const { openForFloor, env } = await seededDatabase();
const results: Record<string, unknown> = {};

// The floor's own handle on the catalogue, its index and search service, kept for every round.
const database = await openForFloor();
const total = await countRequisitions(database.db);
const index = createSearchIndexSync({ db: database.db, onError: (error) => console.error(error) });
let started = performance.now();
await index.start();
const load = { seconds: round((performance.now() - started) / 1000), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) };
console.log(`index loaded in ${load.seconds} s, rss ${load.rssMiB} MiB`);
// The catalogue version is checked as the server checks it (on PGlite, by hearing commits).
const catalogVersion = await watchCatalogVersion(database);
// Content does not change during the bench: job data is kept as the server keeps it between content versions.
const onIndex = createJobSearch({ db: database.db, publicUrl: 'http://bench', teamName: (s) => s, cacheEntries: 0, index, catalogVersion: catalogVersion.read, contentVersion: () => 0 });
const inSql = createJobSearch({ db: database.db, publicUrl: 'http://bench', teamName: (s) => s, cacheEntries: 0 });
const sqls: Record<string, Awaited<ReturnType<typeof sqlAlone>>> = {};
for (const [name, queries] of Object.entries(CLASSES)) {
  sqls[name] = await sqlAlone(inSql, queries);
  console.log(`sql   ${name.padEnd(12)} ${JSON.stringify(sqls[name])}`);
}

const port = await freePort();
const server = spawn(process.execPath, ['bin/dayone.js', 'serve'], {
  env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEARCH_CACHE_ENTRIES: '0', WEB_CONCURRENCY: String(PROCESSES) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
try {
  // Wait until every server process has loaded its index (until then it searches in SQL). Each
  // probe comes on a new connection, which the processes take in turn: 4 × PROCESSES "ready"
  // answers in a row mean every process has answered ready.
  started = performance.now();
  let readyInARow = 0;
  for (let i = 0; i < 4800 && readyInARow < 4 * PROCESSES; i++) {
    const ready = await fetch(`${url}/readyz`, { headers: { connection: 'close' } }).then(
      async (r) => r.ok && ((await r.json()) as { searchIndex?: string }).searchIndex === 'ready',
      () => false,
    );
    readyInARow = ready ? readyInARow + 1 : 0;
    if (!ready) await new Promise((r) => setTimeout(r, 250));
  }
  if (readyInARow < 4 * PROCESSES) throw new Error('the server processes did not load their indexes in 20 minutes');
  console.log(`server ready with its index in ${round((performance.now() - started) / 1000)} s`);
  const rounds: Record<string, Array<{ http: Measured; floor: Measured; httpToFloorP95: number }>> = {};
  for (let r = 1; r <= ROUNDS; r++) {
    for (const [name, queries] of Object.entries(CLASSES)) {
      const floorLatencies: number[] = [];
      const httpLatencies: number[] = [];
      for (let slice = 0; slice < SLICES; slice++) {
        for (const latency of await floor(onIndex, queries, SECONDS / SLICES)) floorLatencies.push(latency);
        for (const latency of await http(url, queries, SECONDS / SLICES)) httpLatencies.push(latency);
      }
      const f = measured(floorLatencies, SECONDS);
      const h = measured(httpLatencies, SECONDS);
      const pair = { http: h, floor: f, httpToFloorP95: round(h.latencyMs.p95 / Math.max(f.latencyMs.p95, 0.01)) };
      (rounds[name] ??= []).push(pair);
      console.log(`round ${r} ${name.padEnd(12)} floor ${JSON.stringify(f.latencyMs)} http ${JSON.stringify(h)} ratio ${pair.httpToFloorP95}`);
    }
  }
  const median = <T>(list: T[], by: (t: T) => number) => [...list].sort((a, b) => by(a) - by(b))[Math.floor(list.length / 2)]!;
  for (const [name, queries] of Object.entries(CLASSES)) {
    const taken = rounds[name]!;
    const typical = median(taken, (t) => t.http.latencyMs.p95).http;
    const ratio = median(taken, (t) => t.httpToFloorP95).httpToFloorP95;
    results[name] = {
      queries: queries.map((q) => `/api/v1/jobs?${q}`),
      http: typical,
      floor: median(taken, (t) => t.floor.latencyMs.p95).floor,
      rounds: taken,
      sqlAlone: sqls[name],
      httpToFloorP95: ratio,
      p95TargetMs: TARGET_P95,
      met: typical.latencyMs.p95 <= TARGET_P95 && ratio <= 2,
    };
  }
} finally {
  server.kill('SIGTERM');
  await catalogVersion.close();
  await index.stop();
  await database.close();
}

await mkdir('bench/results', { recursive: true });
const file = `bench/results/search-${ENGINE}.json`;
await writeFile(
  file,
  `${JSON.stringify(
    {
      benchmark: 'search',
      engine: ENGINE,
      jobs: total,
      connections: CONNECTIONS,
      serverProcesses: PROCESSES,
      durationSeconds: SECONDS,
      rounds: ROUNDS,
      slices: SLICES,
      indexLoad: load,
      notes:
        'http = GET /api/v1/jobs on the real server (`dayone serve` with WEB_CONCURRENCY=serverProcesses, each process holding its own index) with its result cache off (SEARCH_CACHE_ENTRIES=0), so every request searches the in-memory index after checking the catalogue version (a read per search on a server; on PGlite, which hears its own commits, a read only after a change); requests cycle through the listed queries; the client (autocannon) runs in a process of its own, so its pauses are not those of the bench process, which holds the floor index, and its percentiles are exact, from the latency of every answer (as for the floor), not from the whole-millisecond histogram of autocannon. floor = the same search service in-process at the same concurrency, no HTTP, on its own copy of the database, under the V8 settings of the server (allocation-site pretenuring off, as `dayone serve` runs). Each of the `rounds` rounds runs every class as floor and HTTP in turn, in `slices` slices of each (durationSeconds in all per side, percentiles over every latency of the slices), so both sides see the same spells of the VM; per class, `http` and `floor` are the runs with the median p95, httpToFloorP95 is the median of the ratios of the rounds, and every round is listed. sqlAlone = the single-statement SQL search (used only while the index loads), each query once, one at a time. indexLoad = loading the index from the database at start.',
      machine: machineFacts(),
      classes: results,
    },
    null,
    2,
  )}\n`,
);
console.log(`→ ${file}`);
