import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { withSessionSecret, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { startQueue, type Queue } from './queue.ts';
import { sweepOrphanFiles } from './files/sweep.ts';
import { join } from 'node:path';
import { countRequisitions } from './features/jobs/jobs.repository.ts';
import { seedDemoJobs } from './features/jobs/jobs.transfer.ts';
import { seedDemoWorkspace, type DemoAccount } from './features/workspace/demo-workspace.ts';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { STAFF_ROLE_LABELS } from '../domain/policy.ts';

/** How many demo jobs the first start adds, and from which seed, so every fresh site looks the same. */
const FIRST_START_JOBS = { count: 200, seed: 1 };

export interface Server {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  address: string;
  /** Stops taking requests, lets those in flight finish, then closes the database. */
  stop(): Promise<void>;
}

/**
 * Reads config → opens and migrates the database → builds the app → on the first start loads
 * the content pack and adds demo jobs → listens.
 */
export async function startServer(baseConfig: Config): Promise<Server> {
  const config = await withSessionSecret(baseConfig);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let app: FastifyInstance | undefined;
  let queue: Queue | undefined;
  try {
    await database.migrate();
    // PGlite is this process's alone, so nothing else can be mid-upload: sweep every orphan.
    const orphans = config.s3 ? 0 : await sweepOrphanFiles({ db: database.db, dir: join(config.dataDir, 'files'), olderThanMs: database.engine === 'pglite' ? 0 : 15 * 60_000 });
    queue = await startQueue(database);
    app = await buildApp({ config, database, queue });
    if (orphans > 0) app.log.info({ files: orphans }, 'removed stored files that no record refers to');
    if (await app.content.loadPackIfEmpty({ dir: config.contentDir })) {
      app.log.info({ contentDir: config.contentDir }, 'loaded the content pack into an empty database');
      // A living site from the first `npm start`: demo jobs, only while there are no jobs at all.
      if ((await countRequisitions(database.db)) === 0) {
        const { imported } = await seedDemoJobs({ db: database.db, ...FIRST_START_JOBS, now: new Date() });
        app.log.info({ jobs: imported, seed: FIRST_START_JOBS.seed }, 'added demo jobs to an empty database (remove them before going live)');
      }
      // A living workspace too: one demo account per role, jobs in every status, applications in every stage.
      const accounts = await seedDemoWorkspace({ db: database.db, now: new Date() });
      if (accounts.length > 0) {
        await writeFile(demoLoginsFile(config), demoLoginsText(accounts, config.publicUrl), { mode: 0o600 });
        await chmod(demoLoginsFile(config), 0o600);
        app.log.info({ accounts: accounts.length }, 'added demo staff accounts, jobs and applications (disable the accounts before going live)');
      }
    }
    const logins = await readFile(demoLoginsFile(config), 'utf8').catch(() => undefined);
    const address = await app.listen({ port: config.port, host: config.host });
    // Printed at every start, so a newcomer finds the way in; the file lives in DATA_DIR (0600).
    if (logins && config.logLevel !== 'silent') process.stdout.write(logins);
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

/** Stops the server on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function stopOnSignals(server: Server): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    server.app.log.info({ signal }, 'shutting down: finishing requests in flight');
    server.stop().then(
      () => {
        server.app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
