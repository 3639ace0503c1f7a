import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { withSessionSecret, type Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { createContentService } from './features/content/content.service.ts';
import { startQueue, type Queue } from './queue.ts';
import { sweepOrphanFiles } from './files/sweep.ts';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { countRequisitions } from './features/jobs/jobs.repository.ts';
import { seedDemoJobs } from './features/jobs/jobs.transfer.ts';
import { seedDemoWorkspace, type DemoAccount } from './features/workspace/demo-workspace.ts';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { STAFF_ROLE_LABELS } from '../domain/policy.ts';

/**
 * Gives the server's young generation 64 MB semispaces (V8 picks 16–32 MB). Each request leaves
 * short-lived garbage, and with many requests under way a small young generation is scavenged
 * often while much of it is still live; a larger one lets it die first. At a million jobs, broad
 * searches 16 at once on this (noisy) machine ran at 440–610 a second with it, 440–490 without.
 * A size set in NODE_OPTIONS or on the command line is kept.
 */
export function enlargeYoungGeneration(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes('semi-space-size'));
  if (!given) setFlagsFromString('--max-semi-space-size=64');
}

/** How many demo jobs the first start adds, and from which seed, so every fresh site looks the same. */
const FIRST_START_JOBS = { count: 200, seed: 1 };

export interface Server {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  address: string;
  /** Stops taking requests, lets those in flight finish, then closes the database. */
  stop(): Promise<void>;
}

/** What the once-per-start work did, for the caller to log and print. */
export interface Prepared {
  /** Stored files that no record referred to, now removed. */
  orphans: number;
  /** Whether the content pack was loaded, the database having none. */
  contentLoaded: boolean;
  /** Demo jobs added to an empty catalogue. */
  demoJobs: number;
  /** Demo staff accounts added (with jobs and applications) to a workspace without staff. */
  demoAccounts: number;
  /** The demo logins the first start kept in DATA_DIR, printed at every start. */
  logins: string | undefined;
}

/**
 * The work a start does once for the database, before anything serves: migrate, sweep orphan
 * files, and on the first start load the content pack and add demo data. With several server
 * processes (WEB_CONCURRENCY) the primary runs it before it starts the workers.
 */
export async function prepareDatabase(config: Config, database: Database): Promise<Prepared> {
  await database.migrate();
  // PGlite is this process's alone, so nothing else can be mid-upload: sweep every orphan. On a
  // server, other nodes sharing the folder may be, so only their old orphans go; this node's go at
  // once, which is safe only before any of its processes serves. So it runs here, never in a
  // worker: the workers share the folder's node id and may be mid-upload when one restarts.
  const orphans = config.s3 ? 0 : await sweepOrphanFiles({ db: database.db, dir: join(config.dataDir, 'files'), olderThanMs: database.engine === 'pglite' ? 0 : 15 * 60_000 });
  const prepared: Prepared = { orphans, contentLoaded: false, demoJobs: 0, demoAccounts: 0, logins: undefined };
  if (await createContentService({ db: database.db }).loadPackIfEmpty({ dir: config.contentDir })) {
    prepared.contentLoaded = true;
    // A living site from the first `npm start`: demo jobs, only while there are no jobs at all.
    if ((await countRequisitions(database.db)) === 0) {
      prepared.demoJobs = (await seedDemoJobs({ db: database.db, ...FIRST_START_JOBS, now: new Date() })).imported;
    }
    // A living workspace too: one demo account per role, jobs in every status, applications in every stage.
    const accounts = await seedDemoWorkspace({ db: database.db, now: new Date() });
    if (accounts.length > 0) {
      await writeFile(demoLoginsFile(config), demoLoginsText(accounts, config.publicUrl), { mode: 0o600 });
      await chmod(demoLoginsFile(config), 0o600);
      prepared.demoAccounts = accounts.length;
    }
  }
  prepared.logins = await readFile(demoLoginsFile(config), 'utf8').catch(() => undefined);
  return prepared;
}

/** Logs what `prepareDatabase` did, one line per change. */
export function logPrepared(log: FastifyBaseLogger, config: Config, prepared: Prepared): void {
  if (prepared.orphans > 0) log.info({ files: prepared.orphans }, 'removed stored files that no record refers to');
  if (prepared.contentLoaded) log.info({ contentDir: config.contentDir }, 'loaded the content pack into an empty database');
  if (prepared.demoJobs > 0) log.info({ jobs: prepared.demoJobs, seed: FIRST_START_JOBS.seed }, 'added demo jobs to an empty database (remove them before going live)');
  if (prepared.demoAccounts > 0) log.info({ accounts: prepared.demoAccounts }, 'added demo staff accounts, jobs and applications (disable the accounts before going live)');
}

/** Prints the demo logins at every start, so a newcomer finds the way in; the file lives in DATA_DIR (0600). */
export function printLogins(config: Config, prepared: Prepared): void {
  if (prepared.logins && config.logLevel !== 'silent') process.stdout.write(prepared.logins);
}

/**
 * Reads config → opens the database → prepares it (migrations, first content and demo data) →
 * builds the app → listens. A worker of several server processes passes `prepare: false`: the
 * primary has done that work once for all of them.
 */
export async function startServer(baseConfig: Config, options: { prepare?: boolean } = {}): Promise<Server> {
  const config = await withSessionSecret(baseConfig);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let app: FastifyInstance | undefined;
  let queue: Queue | undefined;
  try {
    const prepared = options.prepare === false ? undefined : await prepareDatabase(config, database);
    queue = await startQueue(database);
    app = await buildApp({ config, database, queue });
    if (prepared) logPrepared(app.log, config, prepared);
    const address = await app.listen({ port: config.port, host: config.host });
    if (prepared) printLogins(config, prepared);
    const running = app;
    const runningQueue = queue;
    let stopping: Promise<void> | undefined;
    return {
      app: running,
      address,
      stop: () =>
        (stopping ??= (async () => {
          await running.close();
          // Lets a delivery in progress finish; anything left stays queued for the next start.
          await runningQueue.stop({ graceful: true, timeout: 10_000 });
          await database.close();
        })()),
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await queue?.stop({ graceful: false }).catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/** Where the first start keeps the demo logins it printed, to print them again at later starts. */
function demoLoginsFile(config: Config): string {
  return join(config.dataDir, 'demo-logins.txt');
}

function demoLoginsText(accounts: DemoAccount[], publicUrl: string): string {
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = accounts.map((a) => `  ${(STAFF_ROLE_LABELS[a.role] + (a.barRaiser ? ' (bar raiser)' : '')).padEnd(28)} ${a.email.padEnd(width)}  ${a.password}`);
  return [
    '',
    `Demo staff accounts (sign in at ${publicUrl}/staff/sign-in; demo data only — disable these before going live):`,
    ...lines,
    '',
    '',
  ].join('\n');
}

/** What `stopOnSignals` stops: one server, or the primary of several. */
export interface Stoppable {
  log: FastifyBaseLogger;
  /** Stops gracefully: requests in flight finish. */
  stop(): Promise<void>;
  /** Ends at once whatever `stop` is still waiting for (the primary's workers), before exiting on a second signal. */
  kill?(): void;
}

/** Stops on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function stopOnSignals(target: Stoppable): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      target.kill?.();
      process.exit(1);
    }
    signalled = true;
    target.log.info({ signal }, 'shutting down: finishing requests in flight');
    target.stop().then(
      () => {
        target.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        target.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
