import cluster, { type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import type { ContentSnapshot } from '../shared/contracts/content.ts';
import { withSessionSecret, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { createContentService } from './features/content/content.service.ts';
import { logPrepared, prepareDatabase, printLogins, startServer, type Prepared, type Server, type Stoppable } from './main.ts';
import { migrateQueue } from './queue.ts';

/** The wait before replacing a worker that stopped unexpectedly; it doubles while workers keep dying young. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A worker that lived this long before it died was not crash-looping: the back-off starts over. */
const STABLE_MS = 60_000;

/** The primary of several server processes (WEB_CONCURRENCY). It serves nothing itself. */
export interface ServerCluster extends Stoppable {
  /** The content the workers serve, as the primary found it once the database was prepared. */
  content: ContentSnapshot | undefined;
  /** Asks every worker to stop as a single server does (requests in flight finish); resolves once all have exited. */
  stop(): Promise<void>;
  /** Kills every worker at once. */
  kill(): void;
}

/**
 * Starts the primary: prepares the database once (migrations, pg-boss's schema, the orphan sweep,
 * the first content and demo data), then forks `config.webConcurrency` workers that each build the
 * app and listen on the same port (node:cluster hands them the connections). Resolves once every
 * worker listens; rejects, having stopped the others, when one exits before it does. Later, a
 * worker that exits unexpectedly is replaced after a back-off.
 *
 * Workers run this process's own command line again (`dayone serve`), which calls `runWorker`.
 */
export async function startCluster(baseConfig: Config): Promise<ServerCluster> {
  const config = await withSessionSecret(baseConfig);
  // Written synchronously: the primary logs little, and its last lines come just before it exits.
  const log: FastifyBaseLogger = pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: true }));
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let prepared: Prepared;
  let content: ContentSnapshot | undefined;
  try {
    prepared = await prepareDatabase(config, database);
    // Each worker runs its own pg-boss; they share the schedules and jobs through the database.
    await migrateQueue(database);
    const contentService = createContentService({ db: database.db });
    await contentService.refresh();
    content = contentService.current();
  } finally {
    await database.close();
  }
  logPrepared(log, config, prepared);

  const live = new Map<Worker, { forkedAt: number }>();
  const replacements = new Set<NodeJS.Timeout>();
  let stopping: Promise<void> | undefined;
  let allExited = () => {};
  /** Set until every first worker listens: then an exit fails the start instead of being replaced. */
  let failStart: ((error: Error) => void) | undefined;
  let youngDeaths = 0;

  const fields = (worker: Worker) => ({ worker: worker.id, workerPid: worker.process.pid });
  const fork = () => live.set(cluster.fork(), { forkedAt: Date.now() });

  cluster.on('listening', (worker, address) => log.info({ ...fields(worker), port: address.port }, 'server process listening'));
  cluster.on('exit', (worker, code, signal) => {
    const forkedAt = live.get(worker)?.forkedAt ?? Date.now();
    live.delete(worker);
    if (stopping) {
      log.info({ ...fields(worker), code, signal }, 'server process stopped');
      if (live.size === 0) allExited();
      return;
    }
    if (failStart) {
      failStart(new Error(`server process ${worker.id} stopped before it listened (${signal ?? `exit code ${code}`}); its own message says why`));
      return;
    }
    youngDeaths = Date.now() - forkedAt < STABLE_MS ? youngDeaths + 1 : 0;
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, youngDeaths - 1));
    log.error({ ...fields(worker), code, signal, replaceInMs: delay }, 'server process stopped unexpectedly; starting another');
    const timer = setTimeout(() => {
      replacements.delete(timer);
      if (!stopping) fork();
    }, delay);
    replacements.add(timer);
  });

  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      for (const timer of replacements) clearTimeout(timer);
      replacements.clear();
      allExited = resolve;
      if (live.size === 0) resolve();
      // A signal, not a message: a worker still loading has no listener yet, and its default end is right.
      for (const worker of live.keys()) worker.process.kill('SIGTERM');
    }));
  const kill = () => {
    for (const worker of live.keys()) worker.process.kill('SIGKILL');
  };

  let onListening = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      let listening = 0;
      failStart = reject;
      onListening = () => {
        if (++listening === config.webConcurrency) resolve();
      };
      cluster.on('listening', onListening);
      for (let i = 0; i < config.webConcurrency; i++) fork();
    });
  } catch (error) {
    await stop();
    throw error;
  } finally {
    failStart = undefined;
    cluster.off('listening', onListening);
  }
  printLogins(config, prepared);
  return { log, content, stop, kill };
}

/**
 * Runs this process as one worker of several: the server without the once-per-start work (the
 * primary did it), stopped gracefully on SIGTERM (from the primary) or SIGINT. Ctrl+C reaches every
 * process of the terminal's group, and some supervisors signal them all, so signals after the
 * first are ignored: the primary decides when waiting has lasted long enough.
 */
export async function runWorker(config: Config): Promise<Server> {
  const state: { server?: Server; signal?: string } = {};
  const stop = (signal: string) => {
    if (state.signal) return;
    state.signal = signal;
    if (state.server) stopWorker(state.server, signal);
  };
  // Handled before the server starts, so that a signal while it starts stops it once it has.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  state.server = await startServer(config, { prepare: false });
  if (state.signal) stopWorker(state.server, state.signal);
  return state.server;
}

function stopWorker(server: Server, signal: string): void {
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
}
