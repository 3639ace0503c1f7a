import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/server/db/client.ts';

/** The engine the suite runs on: PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export const testEngine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase extends Database {
  /** The connection URL of the fresh database (PostgreSQL only), for code that opens its own. */
  url: string | undefined;
}

/**
 * A fresh, empty database for one test file: an in-memory PGlite, or a new database on the
 * server named by TEST_DATABASE_URL that is dropped on close. Migrations are not applied.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { ...(await openPglite(undefined)), url: undefined };
  const name = `dayone_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), 4);
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** A fresh database with the app's migrations applied. */
export async function testDatabase(): Promise<TestDatabase> {
  const database = await freshDatabase();
  await database.migrate();
  return database;
}
