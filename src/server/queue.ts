import { fromPglite, PgBoss } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './db/client.ts';

/** The job queue: pg-boss in its own schema of the app's database (in-process on PGlite). */
export type Queue = PgBoss;

/** Starts pg-boss on the database: creates or migrates its schema, then polls for work. */
export async function startQueue(database: Database, log?: FastifyBaseLogger): Promise<Queue> {
  const connection = database.queueConnection;
  const boss =
    connection.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(connection.client), backend: 'pglite', schema: 'pgboss' })
      : new PgBoss({ connectionString: connection.url, schema: 'pgboss', max: 4 });
  boss.on('error', (error: unknown) => log?.error({ err: error }, 'job queue error'));
  await boss.start();
  return boss;
}
