import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../../test/support/files.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { freshDatabase, testEngine, type TestDatabase } from '../../../test/support/test-db.ts';
import { openDatabase } from '../db/client.ts';

let server: TestDatabase | undefined;
afterAll(() => server?.close());

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/dayone.js', 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

describe(`a server killed during a burst of applications, on ${testEngine}`, () => {
  it('keeps every acknowledged application exactly once with its file, and no orphan file or half-written row', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dayone-crash-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', CONTENT_DIR: 'content/default' };
    if (testEngine === 'postgres') {
      server = await freshDatabase();
      env.DATABASE_URL = server.url!;
      env.SESSION_SECRET = 'crash-test-secret-crash-test-secret-0000';
    }

    let run = start(env);
    await ready(url);
    const jobs = (await (await fetch(`${url}/api/v1/jobs`)).json()) as { jobs: Array<{ url: string }> };
    const applyUrl = `${url}${new URL(jobs.jobs[0]!.url).pathname}/apply`;
    const page = await (await fetch(applyUrl, { headers: { accept: 'text/html' } })).text();
    // Answer every question the demo job asks, the simple way: the first option, a number, a yes.
    const answers: Record<string, string> = {};
    for (const m of page.matchAll(/name="(q\d+)"(?: value="([^"]*)")?/g)) answers[m[1]!] ??= m[2] ?? '3';

    const acknowledged: string[] = [];
    const send = async (i: number) => {
      const email = `burst-${i}-${randomUUID().slice(0, 8)}@example.test`;
      const body = multipart(
        { idempotencyKey: randomUUID(), name: `Burst ${i}`, email, consentProcessing: 'yes', ...answers },
        { field: 'resume', filename: 'cv.pdf', contentType: 'application/pdf', bytes: makePdf(`Candidate ${i}`) },
      );
      const res = await fetch(applyUrl, { method: 'POST', body: new Uint8Array(body.payload), headers: { ...body.headers, accept: 'text/html' }, redirect: 'manual' }).catch(() => undefined);
      if (res?.status === 303) acknowledged.push(email);
    };
    const burst = Array.from({ length: 60 }, (_, i) => new Promise<void>((r) => setTimeout(r, i * 25)).then(() => send(i)));
    // Kill it once a few applications are answered, while the rest are still arriving.
    for (let waited = 0; acknowledged.length < 3 && waited < 20_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    run.child.kill('SIGKILL');
    await run.exited;
    await Promise.all(burst);
    // The kill landed mid-burst: some applications were answered, some never were.
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeLessThan(60);

    // Restart: recovery and the orphan sweep run at start.
    run = start(env);
    await ready(url);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const database = await openDatabase({ url: env.DATABASE_URL, dataDir });
    try {
      const rows = ((await database.db.execute(sql`
        select p.email, a.id as application_id, r.storage_key
        from people p join applications a on a.person_id = p.id left join resumes r on r.id = a.resume_id
        where p.email like 'burst-%'`)) as unknown as { rows: Array<{ email: string; application_id: number; storage_key: string | null }> }).rows;
      for (const email of acknowledged) expect(rows.filter((r) => r.email === email)).toHaveLength(1);
      const filesDir = join(dataDir, 'files');
      for (const row of rows) {
        expect(row.storage_key).not.toBeNull();
        expect(existsSync(join(filesDir, row.storage_key!.slice(0, 2), row.storage_key!))).toBe(true);
      }
      const buckets = (await readdir(filesDir).catch(() => [] as string[])).filter((b) => /^[0-9a-f]{2}$/.test(b));
      const stored = (await Promise.all(buckets.map((b) => readdir(join(filesDir, b))))).flat();
      expect(stored.sort()).toEqual(rows.map((r) => r.storage_key!).sort());
      const halves = ((await database.db.execute(sql`
        select (select count(*)::int from resumes r where not exists (select 1 from applications a where a.resume_id = r.id)) as lonely_resumes,
               (select count(*)::int from applications a where not exists (select 1 from application_events e where e.application_id = a.id)) as no_timeline`)) as unknown as {
        rows: Array<{ lonely_resumes: number; no_timeline: number }>;
      }).rows[0]!;
      expect(halves).toEqual({ lonely_resumes: 0, no_timeline: 0 });
    } finally {
      await database.close();
    }
  }, 120_000);
});
