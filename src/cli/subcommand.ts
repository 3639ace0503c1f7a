import type { Config } from '../server/config.ts';
import { openDatabase, type Db } from '../server/db/client.ts';
import type { CliIo } from './main.ts';

/** A command line that cannot be understood: exits 2 with the usage. */
export class UsageError extends Error {}

/** Whether `error` says the command line was wrong (ours, or node:util parseArgs's). */
export function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || Boolean((error as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS'));
}

/**
 * Runs a subcommand (`dayone apikey …`, `dayone users …`): `parse` reads the command line and
 * answers the action to run, or an exit code when there is nothing to run (--help). A wrong
 * command line exits 2 with the usage; a failing action exits 1 with one line.
 */
export async function runSubcommand(io: Pick<CliIo, 'stderr'>, usage: string, parse: () => number | (() => Promise<number>)): Promise<number> {
  let action: number | (() => Promise<number>);
  try {
    action = parse();
  } catch (error) {
    if (!isUsageError(error)) throw error;
    io.stderr(`dayone: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (typeof action === 'number') return action;
  try {
    return await action();
  } catch (error) {
    io.stderr(`dayone: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** Opens and migrates the configured database for one command, and closes it after. */
export async function withDatabase<T>(config: Config, use: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    return await use(database.db);
  } finally {
    await database.close();
  }
}
