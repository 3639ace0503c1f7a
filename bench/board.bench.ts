// The pipeline board at scale: one job with 5,000 applications (people, resumes with text,
// applications spread over the stages, some tags), on PostgreSQL and on PGlite.
//   board      GET /staff/jobs/:id/board as a signed-in recruiter, autocannon for BENCH_SECONDS
//              (default 15) at 1 connection, then at BENCH_CONNECTIONS (default 4), as a browser
//              asks (br/gzip)
//   variants   the same page filtered by resume words, sorted by name, and one stage's page 2:
//              20 requests each, one at a time (the words filter is not indexed)
//   bulk move  1,000 applications through the service (one transaction), three times
// The server runs in its own process (this file with BOARD_BENCH_ROLE=server), so the load
// generator does not share its event loop; with PGlite, the database is that process's own.
// Run: node --import tsx bench/board.bench.ts   (BENCH_ENGINE=pglite|postgres for one engine)
// PostgreSQL: a fresh database on BENCH_SERVER_URL / DATABASE_URL / postgres://postgres@127.0.0.1:5432,
// dropped afterwards. Writes bench/results/board-<engine>.json. Targets: board p95 ≤ 100 ms, bulk move ≤ 2 s.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { machineFacts } from './support/machine.ts';

const APPLICATIONS = 5_000;
const BULK = 1_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SERVER_URL = process.env.BENCH_SERVER_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * React renders several times faster with NODE_ENV=production; `npm start` does not set it yet,
 * so the figures say which mode they were measured in.
 */
const NODE_ENV = process.env.BENCH_NODE_ENV ?? 'production';
type Engine = 'pglite' | 'postgres';

if (process.env.BOARD_BENCH_ROLE === 'server') await serve();
else await main();

// ---------------------------------------------------------------------------------------------
// The load generator
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const engines: Engine[] = process.env.BENCH_ENGINE ? [process.env.BENCH_ENGINE as Engine] : ['postgres', 'pglite'];
  for (const engine of engines) await run(engine);
}

async function run(engine: Engine): Promise<void> {
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (engine === 'postgres') {
    const name = `dayone_bench_board_${randomBytes(4).toString('hex')}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    await admin(`create database ${name}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => admin(`drop database if exists ${name} with (force)`);
  }
  const env: Record<string, string | undefined> = { ...process.env, BOARD_BENCH_ROLE: 'server', DATABASE_URL: databaseUrl, NODE_ENV };
  if (!databaseUrl) delete env.DATABASE_URL;
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/board.bench.ts'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const replies: Array<(line: string) => void> = [];
  lines.on('line', (line) => replies.shift()?.(line));
  const next = () => new Promise<string>((resolve, reject) => {
    replies.push(resolve);
    server.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  const ask = async <T>(command: string): Promise<T> => {
    const answer = next();
    server.stdin.write(`${command}\n`);
    return JSON.parse(await answer) as T;
  };

  try {
    const started = JSON.parse(await next()) as { url: string; jobId: number; cookie: string; seedMs: number; counts: Record<string, number> };
    const board = `/staff/jobs/${started.jobId}/board`;
    const headers = { cookie: started.cookie, accept: 'text/html', 'accept-encoding': 'br, gzip' };

    // One request first: the page must be the board (not a sign-in redirect) and its size is worth knowing.
    const first = await fetch(`${started.url}${board}`, { headers: { cookie: started.cookie, accept: 'text/html' } });
    const html = await first.text();
    if (first.status !== 200 || !html.includes('board__column')) throw new Error(`GET ${board} answered ${first.status}`);
    const compressedBytes = await new Promise<number>((resolve, reject) => {
      get(`${started.url}${board}`, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve(bytes));
      }).on('error', reject);
    });
    const loadBefore = loadavg()[0]!;

    // One recruiter, then several at once.
    const load = async (connections: number) => {
      const result = await autocannon({ url: `${started.url}${board}`, connections, duration: SECONDS, headers });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`the board answered ${result.non2xx} non-2xx and ${result.errors} errors`);
      // autocannon gives p90 and p97.5; p95 is interpolated between them.
      const p95 = Math.round(result.latency.p90 + ((result.latency.p97_5 - result.latency.p90) * 5) / 7.5);
      return {
        connections,
        durationSeconds: SECONDS,
        requests: result.requests.total,
        requestsPerSecond: round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p95, p99: result.latency.p99, max: result.latency.max },
      };
    };
    const single = await load(1);
    const concurrent = await load(CONNECTIONS);

    const variants: Record<string, string> = {
      'resume words': `${board}?q=${encodeURIComponent('kubernetes "payment systems"')}`,
      'sorted by name': `${board}?sort=name`,
      'one stage, page 2': `${board}?stage=applied&page=2`,
    };
    const variantFigures: Record<string, { medianMs: number; maxMs: number }> = {};
    for (const [label, path] of Object.entries(variants)) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const res = await fetch(`${started.url}${path}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      variantFigures[label] = { medianMs: round(times[10]!), maxMs: round(times.at(-1)!) };
    }

    const bulk = await ask<{ runs: Array<{ from: string; to: string; moved: number; ms: number }> }>('bulk');

    const worstBulk = Math.max(...bulk.runs.map((r) => r.ms));
    const figures = {
      benchmark: 'board',
      engine,
      applications: APPLICATIONS,
      countsByStage: started.counts,
      seedSeconds: round(started.seedMs / 1000),
      nodeEnv: NODE_ENV,
      machine: { ...machineFacts(), loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0]!) } },
      board: {
        path: `${board} (no filters: 7 columns of at most 50 cards)`,
        htmlBytes: Buffer.byteLength(html),
        compressedBytes,
        single,
        concurrent,
      },
      variants: variantFigures,
      bulkMove: { applications: BULK, runs: bulk.runs, worstMs: worstBulk },
      targets: { boardP95Ms: 100, bulkMoveMs: 2000 },
      met: { boardSingle: single.latencyMs.p95 <= 100, boardConcurrent: concurrent.latencyMs.p95 <= 100, bulkMove: worstBulk <= 2000 },
    };
    console.log(JSON.stringify(figures, null, 2));
    await mkdir('bench/results', { recursive: true });
    await writeFile(`bench/results/board-${engine}.json`, `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(undefined)));
    await dropDatabase();
  }
}

/** One decimal. (A function declaration: the top-level await above runs before any const here exists.) */
function round(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// The server: the app as `npm start` builds it, plus the pipeline extension, on a seeded job
// ---------------------------------------------------------------------------------------------

async function serve(): Promise<void> {
  const { buildApp } = await import('../src/server/app.ts');
  const { loadConfig } = await import('../src/server/config.ts');
  const { openDatabase } = await import('../src/server/db/client.ts');
  const { createJobs } = await import('../src/server/features/jobs/jobs.service.ts');
  const { moveApplicationsTo } = await import('../src/server/features/pipeline/pipeline.service.ts');
  const { hashToken, newToken } = await import('../src/server/features/accounts/sessions.ts');
  const { STAFF_COOKIE } = await import('../src/server/features/staff/staff.scope.ts');
  const { jobTeam, sessions, staffUsers } = await import('../src/server/db/schema/index.ts');

  const dataDir = await mkdtemp(join(tmpdir(), 'dayone-bench-board-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' });
  const database = await openDatabase({ url: config.databaseUrl, dataDir });
  await database.migrate();
  const app = await buildApp({ config, database });
  await app.content.loadPack({ dir: 'content/default' });
  const db = database.db;

  const t0 = performance.now();
  const { ids } = await createJobs({
    db,
    inputs: [
      {
        title: 'Benchmark Engineer',
        team: 'amazon-web-services',
        category: 'Software Development',
        level: 5,
        employmentType: 'FULL_TIME',
        workplaceType: 'remote',
        applicantCountries: ['US'],
        description: 'A job with a long pipeline.',
        principles: ['ownership'],
      },
    ],
  });
  const jobId = ids[0]!;
  // People, their resumes (about 1.5 KB of varied text each), applications over the stages
  // (most early, as in a real funnel), their "applied" events and some tags: set-based SQL.
  await db.execute(sql`
    insert into people (email, name, phone)
    select 'bench-' || g || '@example.test',
      (array['Ada','Grace','Alan','Katherine','Edsger','Barbara','Donald','Frances','Margaret','Tim'])[1 + g % 10] || ' ' ||
      (array['Lovelace','Hopper','Turing','Johnson','Dijkstra','Liskov','Knuth','Allen','Hamilton','Berners'])[1 + (g / 10) % 10] || ' ' || g,
      '+1 555 ' || lpad(g::text, 7, '0')
    from generate_series(1, ${APPLICATIONS}) g`);
  await db.execute(sql`
    insert into resumes (person_id, filename, content_type, size, text)
    select p.id, 'resume.txt', 'text/plain', 1500,
      p.name || E'\n' ||
      'Software engineer with ' || (3 + p.id % 12) || ' years of experience in ' ||
      (array['Rust','Go','Java','Python','Kotlin','TypeScript','C++','Scala'])[1 + p.id % 8] || ' and ' ||
      (array['Kubernetes','PostgreSQL','Kafka','AWS','React','Terraform','Spark','gRPC'])[1 + (p.id / 8) % 8] || E'.\n' ||
      (case when p.id % 7 = 0 then E'Built payment systems that moved money for millions of customers.\n' else '' end) ||
      repeat(E'Designed, built and ran services; measured them; wrote the runbooks; mentored engineers; led incident reviews and fixed root causes.\n', 10)
    from people p where p.email like 'bench-%'`);
  await db.execute(sql`
    insert into applications (person_id, job_id, resume_id, source, stage, stage_entered_at, idempotency_key, consent_processing, confirmed_at, created_at)
    select r.person_id, ${jobId}, r.id,
      (array['site','site','site','job_board','referral','agency','sourced'])[1 + r.id % 7],
      case
        when r.id % 100 < 40 then 'applied'
        when r.id % 100 < 60 then 'screen'
        when r.id % 100 < 70 then 'phone_interview'
        when r.id % 100 < 76 then 'onsite_loop'
        when r.id % 100 < 79 then 'debrief'
        when r.id % 100 < 81 then 'offer'
        when r.id % 100 < 82 then 'hired'
        when r.id % 100 < 97 then 'rejected'
        else 'withdrawn'
      end,
      now() - make_interval(days => r.id % 60, hours => r.id % 24),
      'bench-' || r.id, true, now(),
      now() - make_interval(days => 60 + r.id % 90, mins => r.id % 1440)
    from resumes r`);
  await db.execute(sql`
    insert into application_events (application_id, kind, to_stage, actor_type, actor_id, at)
    select id, 'applied', 'applied', 'candidate', person_id, created_at from applications where job_id = ${jobId}`);
  await db.execute(sql`
    insert into application_tags (application_id, tag)
    select id, (array['strong referral','relocation','visa','returning'])[1 + id % 4] from applications where job_id = ${jobId} and id % 5 = 0`);
  await db.execute(sql`analyze`);
  const seedMs = performance.now() - t0;

  const [user] = await db.insert(staffUsers).values({ email: 'bench.recruiter@example.test', name: 'Bench Recruiter', role: 'recruiter' }).returning({ id: staffUsers.id });
  await db.insert(jobTeam).values({ jobId, userId: user!.id, role: 'recruiter' });
  const token = newToken();
  await db.insert(sessions).values({ tokenHash: hashToken(token), kind: 'staff', subjectId: user!.id, expiresAt: new Date(Date.now() + 12 * 3600_000) });
  const counts = Object.fromEntries(
    ((await db.execute(sql`select stage, count(*)::int as n from applications where job_id = ${jobId} group by stage order by stage`)) as unknown as {
      rows: Array<{ stage: string; n: number }>;
    }).rows.map((r) => [r.stage, Number(r.n)]),
  );

  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url, jobId, cookie: `${STAFF_COOKIE}=${token}`, seedMs, counts })}\n`);

  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    if (line.trim() !== 'bulk') return;
    void (async () => {
      // Three bulk moves of 1,000 open applications, each one transaction through the service.
      const runs: Array<{ from: string; to: string; moved: number; ms: number }> = [];
      for (const [from, to] of [
        ['applied', 'screen'],
        ['screen', 'phone_interview'],
        ['phone_interview', 'applied'],
      ] as const) {
        const picked = ((await db.execute(sql`select id from applications where job_id = ${jobId} and stage = ${from} order by id limit ${BULK}`)) as unknown as {
          rows: Array<{ id: number }>;
        }).rows.map((r) => Number(r.id));
        const started = performance.now();
        const result = await moveApplicationsTo({ db, jobId, selection: { ids: picked }, to, by: { id: user!.id, name: 'Bench Recruiter' } });
        runs.push({ from, to, moved: result.moved, ms: round(performance.now() - started) });
      }
      process.stdout.write(`${JSON.stringify({ runs })}\n`);
    })();
  });

  process.on('SIGTERM', () =>
    void app
      .close()
      .then(() => database.close())
      .then(() => rm(dataDir, { recursive: true, force: true }))
      .then(() => process.exit(0)),
  );
}
