import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { packFiles, writePack } from '../../test/support/packs.ts';
import { defaultContentDir } from '../../test/support/test-app.ts';
import { freshDatabase, testEngine, type TestDatabase } from '../../test/support/test-db.ts';
import { runCli } from './main.ts';
import { createMailService } from '../server/features/mail/mail.service.ts';

const SECRET = 'cli-test-secret-cli-test-secret-0123456';
let server: TestDatabase | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dayone-cli-'));
  env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', SESSION_SECRET: SECRET };
  if (testEngine === 'postgres') {
    server = await freshDatabase();
    env.DATABASE_URL = server.url!;
  }
});
afterAll(() => server?.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('dayone CLI', () => {
  it('prints help and exits 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: dayone <command>');
    expect(stdout).toContain('content load [dir]');
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['content', 'unload']],
    [['migrate', 'extra']],
    [['serve', '--port=1']],
    [['seed', '--jobs', 'many']],
    [['seed', '--jobs', '0']],
    [['import']],
    [['import', 'a.json', 'b.json']],
    [['export', '--format', 'xml']],
    [['migrate', '--jobs', '3']],
    [['export', '--skip-invalid']],
  ])(
    'exits 2 with the usage for %j',
    async (argv) => {
      const { code, stderr } = await cli(...argv);
      expect(code).toBe(2);
      expect(stderr).toContain('Usage: dayone <command>');
    },
  );

  it('exits 1 naming the variable when the configuration is wrong', async () => {
    const out: string[] = [];
    const code = await runCli(['migrate'], { env: { ...env, PORT: 'nope' }, stdout: () => {}, stderr: (l) => out.push(l) });
    expect(code).toBe(1);
    expect(out).toEqual(['dayone: PORT must be a number (got "nope")']);
  });

  it('refuses to serve from several processes on the embedded database, before opening it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dayone-concurrency-'));
    const out: string[] = [];
    const code = await runCli(['serve'], { env: { ...env, DATABASE_URL: '', DATA_DIR: dataDir, WEB_CONCURRENCY: '2' }, stdout: (l) => out.push(l), stderr: (l) => out.push(l) });
    expect(code).toBe(1);
    expect(out).toEqual(['dayone: WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only (got "2")']);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
  });

  it('migrates and says so', async () => {
    const { code, stdout } = await cli('migrate');
    expect(code).toBe(0);
    expect(stdout).toBe('Migrations are up to date.');
  });

  it('refuses a broken pack naming file and field, and the site still serves the previous content', async () => {
    const good = await cli('content', 'load', await writePack(packFiles()));
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^Loaded 2 teams and 2 principles from .+ \(content version \d+\)\.$/);

    const broken = await writePack(
      packFiles({ 'teams/robots.md': '---\nname: Robots\norder: 1\nsummary: R.\nmood: happy\n---\n', 'principles/be-kind.md': '---\norder: 1\nsummary: K.\n---\n' }),
    );
    const refused = await cli('content', 'load', broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('teams/robots.md: mood: is not a known field');
    expect(refused.stderr).toContain('principles/be-kind.md: name: is required');
    expect(refused.stderr).toContain('Nothing was loaded');

    const config = loadConfig(env);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    const app = await buildApp({ config, database });
    try {
      const page = await app.inject({ url: '/teams', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Robots');
      expect(page.body).toContain('Acme');
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('loads the default pack when no folder is named', async () => {
    const { code, stdout } = await cli('content', 'load');
    expect(code).toBe(0);
    expect(stdout).toContain('Loaded 10 teams and 14 principles from content/default');
  });

  it('shows the outbox, newest first', async () => {
    expect((await cli('outbox')).stdout).toBe('The outbox is empty.');
    const config = loadConfig(env);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      const mail = createMailService({ db: database.db, smtpUrl: undefined, from: 'x' });
      await mail.send({ kind: 'verify_email', to: 'first@example.test', subject: 'First', text: 'one' });
      await mail.send({ kind: 'verify_email', to: 'second@example.test', subject: 'Second', text: 'Open https://x.test/verify?token=abc\nThanks' });
    } finally {
      await database.close();
    }
    const { code, stdout } = await cli('outbox', '--limit', '1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^#\d+ \S+ to second@example.test — Second \[kept in the outbox\]\n {4}Open https:\/\/x.test\/verify\?token=abc\n {4}Thanks/);
    expect(stdout).not.toContain('First');
  });

  it('exits 1 for a pack folder that does not exist', async () => {
    const { code, stderr } = await cli('content', 'load', '/no/such/folder');
    expect(code).toBe(1);
    expect(stderr).toBe('dayone: The content pack folder /no/such/folder does not exist');
  });
});

describe('dayone seed, import and export', () => {
  it('adds demo jobs and says how many', async () => {
    const { code, stdout } = await cli('seed', '--jobs', '25', '--seed', '3');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Added 25 demo jobs \(seed 3\) in [\d.]+ s\.$/);
  });

  it('exports every job as JSON to standard output and as CSV to a file, and imports both back', async () => {
    const json = await cli('export');
    expect(json.code).toBe(0);
    const jobs = JSON.parse(json.stdout) as Array<{ requisitionId: string; title: string }>;
    expect(jobs.length).toBeGreaterThanOrEqual(25);

    const dir = await mkdtemp(join(tmpdir(), 'dayone-cli-export-'));
    const csvFile = join(dir, 'jobs.csv');
    const csv = await cli('export', '--format', 'csv', '--out', csvFile);
    expect(csv).toMatchObject({ code: 0, stdout: `Exported ${jobs.length} jobs to ${csvFile} (CSV).` });
    expect((await readFile(csvFile, 'utf8')).split('\n')[0]).toMatch(/^requisitionId,title,team,/);

    // The same jobs under new requisition ids import cleanly, from either format.
    const jsonFile = join(dir, 'jobs.json');
    await writeFile(jsonFile, json.stdout.replaceAll('"REQ-', '"JSON-'));
    expect((await cli('import', jsonFile)).stdout).toMatch(new RegExp(`^Imported ${jobs.length} jobs from .+jobs\\.json \\(JSON\\) in`));
    await writeFile(csvFile, (await readFile(csvFile, 'utf8')).replaceAll('REQ-', 'CSV-'));
    expect((await cli('import', csvFile)).code).toBe(0);
    const after = JSON.parse((await cli('export')).stdout) as unknown[];
    expect(after).toHaveLength(jobs.length * 3);
  });

  it('refuses a file with a bad row, naming it, and imports the rest only with --skip-invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dayone-cli-import-'));
    const file = join(dir, 'jobs.json');
    const good = { title: 'Area Manager', team: 'legal', category: 'Operations', level: 4, employmentType: 'FULL_TIME', workplaceType: 'remote', applicantCountries: ['US'], description: 'Run things.' };
    await writeFile(file, JSON.stringify([good, { ...good, level: 9 }, good]));
    const before = (JSON.parse((await cli('export')).stdout) as unknown[]).length;

    const refused = await cli('import', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 invalid row(s); nothing was imported');
    expect(refused.stderr).toMatch(/row 2: level: .*8/);
    expect((JSON.parse((await cli('export')).stdout) as unknown[]).length).toBe(before);

    const skipped = await cli('import', file, '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/^Imported 2 jobs from .+\nSkipped 1 invalid row\(s\):\n {2}row 2: level: /);
  });

  it('exits 1 with a clear message for a file that is missing or not jobs', async () => {
    const missing = await cli('import', '/no/such/jobs.csv');
    expect(missing).toMatchObject({ code: 1, stderr: 'dayone: /no/such/jobs.csv: the file does not exist. Nothing was imported.' });
    const dir = await mkdtemp(join(tmpdir(), 'dayone-cli-import-'));
    await writeFile(join(dir, 'x.csv'), 'name,age\nAda,36\n');
    const wrong = await cli('import', join(dir, 'x.csv'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('unknown column(s) "name", "age"');
  });

  it('loads the content pack first when seeding an empty database', async () => {
    const emptyEnv: Record<string, string> = { ...env, DATA_DIR: await mkdtemp(join(tmpdir(), 'dayone-cli-seed-')), CONTENT_DIR: defaultContentDir };
    const empty = testEngine === 'postgres' ? await freshDatabase() : undefined;
    if (empty) emptyEnv.DATABASE_URL = empty.url!;
    try {
      const out: string[] = [];
      const code = await runCli(['seed', '--jobs', '5'], { env: emptyEnv, stdout: (l) => out.push(l), stderr: (l) => out.push(l) });
      expect(code).toBe(0);
      expect(out[0]).toBe(`Loaded the content pack from ${defaultContentDir} first, as the database had none.`);
      expect(out[1]).toMatch(/^Added 5 demo jobs/);
    } finally {
      await empty?.close();
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('dayone serve', () => {
  it('starts on a fresh data folder, serves pages, and on SIGTERM finishes in-flight requests and exits 0', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'dayone-serve-'));
    const child = spawn(process.execPath, ['bin/dayone.js', 'serve'], {
      env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', CONTENT_DIR: defaultContentDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!output.includes('Day One is running at') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(`Day One is running at http://localhost:${port}`);
    expect(output).toContain('10 teams, 14 principles');
    if (testEngine === 'pglite') {
      // pino writes its lines asynchronously: wait for the line rather than assume it came first.
      const demo = '"jobs":200,"seed":1,"msg":"added demo jobs to an empty database';
      while (!output.includes(demo) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain(demo);
    }

    const inFlight = fetch(`http://127.0.0.1:${port}/principles`);
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Leadership principles');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
  });
});
