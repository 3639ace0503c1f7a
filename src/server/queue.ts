import { fromPglite, PgBoss } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './db/client.ts';

/** The job queue: pg-boss in its own schema of the app's database (in-process on PGlite). */
export type Queue = PgBoss;

/**
 * How often a node's workers of scheduled sweeps (reminders, offers, retention, digests) look for
 * a job. Their schedules fire every 15 minutes at most, so half a minute late is nothing; pg-boss's
 * default of 2 s meant five polls a second on the database, which on PGlite run on the event loop
 * and held up requests by a few milliseconds each.
 */
export const SWEEP_POLL_SECONDS = 30;

/** What a scheduled sweep's registration takes besides its own dependencies. */
export interface SweepPolling {
  /** Seconds between looks for a job: SWEEP_POLL_SECONDS unless given (tests use 1). */
  pollSeconds?: number;
}

/** pg-boss work options of a scheduled sweep: one job at a time, polled every `pollSeconds`. */
export function sweepWorkOptions({ pollSeconds = SWEEP_POLL_SECONDS }: SweepPolling): { batchSize: number; pollingIntervalSeconds: number } {
  return { batchSize: 1, pollingIntervalSeconds: pollSeconds };
}

/** Starts pg-boss on the database: creates or migrates its schema, then polls for work. */
export async function startQueue(database: Database, log?: FastifyBaseLogger): Promise<Queue> {
  const boss = newQueue(database, {});
  boss.on('error', (error: unknown) => log?.error({ err: error }, 'job queue error'));
  await boss.start();
  return boss;
}

/**
 * Creates or migrates pg-boss's schema, then stops: for the primary of several server processes,
 * which prepares the database once and leaves the work (and the schedules) to its workers.
 */
export async function migrateQueue(database: Database): Promise<void> {
  const boss = newQueue(database, { supervise: false, schedule: false });
  await boss.start();
  await boss.stop();
}

function newQueue(database: Database, options: { supervise?: boolean; schedule?: boolean }): PgBoss {
  const connection = database.queueConnection;
  return connection.kind === 'pglite'
    ? new PgBoss({ db: fromPglite(connection.client), backend: 'pglite', schema: 'pgboss', ...options })
    : new PgBoss({ connectionString: connection.url, schema: 'pgboss', max: 4, ...options });
}
