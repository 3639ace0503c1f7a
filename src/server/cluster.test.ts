import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContentDir } from '../../test/support/test-app.ts';
import { freshDatabase, testEngine, type TestDatabase } from '../../test/support/test-db.ts';

// `dayone serve` with WEB_CONCURRENCY=2, as a real process: a primary that prepares the database
// once and two workers that share the port. Several processes need a PostgreSQL server.
describe.runIf(testEngine === 'postgres')('dayone serve with two server processes', () => {
  let database: TestDatabase;
  let primary: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let port: number;
  let orphan: string;
  const workers = new Set<number>();

  /** The JSON log lines so far (other output, like the demo logins, is left out). */
  const logs = () =>
    output.split('\n').flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as { pid: number; msg: string; [field: string]: unknown }] : [];
      } catch {
        return [];
      }
    });
  const waitFor = async (done: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return done();
  };
  /** Asks /healthz which process answers, on a new connection each time, as the cluster spreads connections. */
  const healthPid = () =>
    new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve((JSON.parse(body) as { pid: number }).pid));
      }).on('error', reject);
    });
  const pidsAnswering = async (times: number) => {
    const pids = new Set<number>();
    for (let i = 0; i < times; i++) pids.add(await healthPid().catch(() => 0));
    pids.delete(0);
    return pids;
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    database = await freshDatabase();
    port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'dayone-cluster-'));
    // An upload whose record was never written, from before this start: the sweep removes it, once.
    const key = `ab${randomUUID().slice(2)}`;
    orphan = join(dataDir, 'files', 'ab', key);
    await mkdir(join(dataDir, 'files', 'ab'), { recursive: true });
    await writeFile(orphan, 'resume');
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(orphan, anHourAgo, anHourAgo);

    primary = spawn(process.execPath, ['bin/dayone.js', 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        SESSION_SECRET: 'cluster-test-secret-cluster-test-secret',
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        CONTENT_DIR: defaultContentDir,
        WEB_CONCURRENCY: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => primary.on('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('Day One is running at'), 90_000);
  }, 120_000);

  afterAll(async () => {
    // Only when a test failed part-way: end what this file started, by pid.
    for (const pid of [...workers, primary.pid!]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await database?.close();
  });

  it('prepares the database once in the primary, then answers requests from two worker processes', async () => {
    expect(output).toContain(`Day One is running at http://localhost:${port}`);
    expect(output).toContain('Processes: 2 server processes (WEB_CONCURRENCY)');
    expect(output).toContain('10 teams, 14 principles');

    const answering = await pidsAnswering(10);
    expect(answering.size).toBe(2);
    expect(answering.has(primary.pid!)).toBe(false);
    for (const pid of answering) workers.add(pid);

    // The one-time work ran in the primary alone: one demo seed, one sweep, the logins printed once.
    const once = (msg: string) => logs().filter((l) => l.msg.startsWith(msg));
    expect(once('added demo jobs').map((l) => l.pid)).toEqual([primary.pid]);
    expect(once('removed stored files').map((l) => [l.pid, l.files])).toEqual([[primary.pid, 1]]);
    expect(existsSync(orphan)).toBe(false);
    expect(output.split('Demo staff accounts (sign in at').length).toBe(2);
    const listening = logs().filter((l) => l.msg === 'server process listening');
    expect(new Set(listening.map((l) => l.workerPid))).toEqual(answering);

    const jobs = (await database.db.execute(sql`select count(*)::int as n from jobs`)) as unknown as { rows: Array<{ n: number }> };
    expect(jobs.rows[0]!.n).toBeGreaterThan(0);
    // Every worker runs pg-boss and schedules its recurring work; each schedule is kept once.
    const schedules = (await database.db.execute(sql`select name, count(*)::int as n from pgboss.schedule group by name`)) as unknown as {
      rows: Array<{ name: string; n: number }>;
    };
    expect(schedules.rows.length).toBeGreaterThan(0);
    expect(schedules.rows.filter((r) => r.n !== 1)).toEqual([]);
  });

  it('replaces a worker that dies, after a short wait, and logs it', async () => {
    const [victim, survivor] = [...workers];
    process.kill(victim!, 'SIGKILL');
    expect(await waitFor(() => logs().some((l) => l.msg.startsWith('server process stopped unexpectedly') && l.workerPid === victim), 10_000)).toBe(true);
    const died = logs().find((l) => l.workerPid === victim && l.msg.startsWith('server process stopped unexpectedly'))!;
    expect(died).toMatchObject({ pid: primary.pid, signal: 'SIGKILL', replaceInMs: 1000 });

    let answering = new Set<number>();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      answering = await pidsAnswering(6);
      if (answering.size === 2 && !answering.has(victim!)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(answering.has(survivor!)).toBe(true);
    expect(answering.has(victim!)).toBe(false);
    expect(answering.size).toBe(2);
    for (const pid of answering) workers.add(pid);
    expect(alive(victim!)).toBe(false);
  }, 120_000);

  it('on SIGTERM lets the workers finish requests in flight, then the primary exits 0 with no worker left', async () => {
    const inFlight = fetch(`http://127.0.0.1:${port}/principles?in-flight`);
    await waitFor(() => output.includes('/principles?in-flight'), 10_000);
    primary.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Leadership principles');
    expect(await exited).toBe(0);
    const last = logs().filter((l) => l.pid === primary.pid).at(-1);
    expect(last?.msg).toBe('stopped');
    for (const pid of workers) expect(alive(pid), `worker ${pid}`).toBe(false);
  }, 60_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
