import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema/index.ts';

/** The generated SQL migrations that ship with the app. */
export const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

/** Any number; it names the advisory lock that lets one node at a time migrate a shared server. */
const MIGRATION_LOCK = 7_240_011;

/** A Drizzle handle on either engine. Inside a transaction the `tx` passed to the callback has the same type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Engine = 'pglite' | 'postgres';

/** An open database: the Drizzle handle, which engine serves it, and how to check and close it. */
export interface Database {
  readonly db: Db;
  readonly engine: Engine;
  /** How the job queue (pg-boss) reaches this database: PGlite's one in-process client, or the server's URL. */
  readonly queueConnection: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; url: string };
  /**
   * Applies pending migrations from `folder` (the app's own by default) in one transaction:
   * when one fails, none is applied and the error is thrown.
   */
  migrate(folder?: string): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * PGlite only: calls `onNotify` for each NOTIFY on `channel`, before the statement whose commit
   * sent it returns, and resolves (listening) with a function that stops it. The process that owns
   * the database runs every commit, so a value read from it stays true until a notice says
   * otherwise. Absent on a server: another node's commit reaches a listener late.
   */
  readonly listenToCommits?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Opens PostgreSQL when `url` is given, else the embedded PGlite database kept in `dataDir`. */
export async function openDatabase(options: { url?: string | undefined; dataDir: string }): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(join(options.dataDir, 'pglite'));
}

export function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    queueConnection: { kind: 'postgres', url },
    migrate: async (folder = migrationsFolder) => {
      const lock = await pool.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(db as never, { migrationsFolder: folder });
      } finally {
        await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        lock.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/**
 * Opens PGlite in `dir` (in memory when `dir` is undefined). PGlite is one process's
 * database: a lock file next to it stops a second process (say `dayone migrate` while the
 * server runs) from opening the same folder and corrupting it.
 */
export async function openPglite(dir: string | undefined): Promise<Database> {
  let releaseLock = async () => {};
  if (dir) {
    await mkdir(dir, { recursive: true });
    releaseLock = await lockFolder(dir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create({ ...(dir ? { dataDir: dir } : {}), extensions: { pg_trgm } });
  } catch (error) {
    await releaseLock();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    queueConnection: { kind: 'pglite', client },
    migrate: (folder = migrationsFolder) => migratePglite(db as never, { migrationsFolder: folder }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    // PGlite parses the notice out of the commit's own reply and queues the callback as a
    // microtask, so it runs before the committing caller resumes (catalog-version.test.ts checks it).
    listenToCommits: async (channel, onNotify) => {
      const stop = await client.listen(channel, () => onNotify());
      // Nothing to stop once the database is closed (its owner may close it first).
      return async () => {
        if (!client.closed) await stop();
      };
    },
    close: async () => {
      await client.close();
      await releaseLock();
    },
  };
}

/** Thrown when another live process holds the embedded database. */
export class DatabaseInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Stop that process first, or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = 'DatabaseInUseError';
  }
}

async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const file = resolve(dir, '..', 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) throw new DatabaseInUseError(dir, pid);
      // A stale lock from a process that died: take it over.
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
