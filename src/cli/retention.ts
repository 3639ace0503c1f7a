import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MIN_RETENTION_DAYS } from '../domain/retention.ts';
import { ConfigError, type Config } from '../server/config.ts';
import { DatabaseInUseError, openDatabase } from '../server/db/client.ts';
import { folderFileStore } from '../server/files/file-store.ts';
import { runRetention, type RetentionReport } from '../server/features/privacy/retention.ts';
import type { CliIo } from './main.ts';
import { isUsageError, UsageError } from './subcommand.ts';

/** The lines `dayone help` shows for this command. */
export const RETENTION_USAGE = `  retention run [--days N] [--dry-run]
                        Erase the data of people whose last application closed more than N
                        days ago (default RETENTION_DAYS, 365), unless they have an open
                        application, talent-pool consent or a legal hold; --dry-run only
                        lists who would be erased`;

/**
 * `dayone retention run [--days N] [--dry-run]`. `argv` is what follows "retention". The
 * config may be given lazily, so a wrong command line is reported (exit 2) before settings
 * are read. Exit codes: 0 done, 1 failed, 2 the command line was wrong.
 */
export async function retentionCommand(config: Config | (() => Config), argv: string[], io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  let days: number | undefined;
  let dryRun: boolean;
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { days: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    });
    if (positionals[0] !== 'run') throw new UsageError(`Unknown retention command "${positionals[0] ?? ''}". Did you mean "dayone retention run"?`);
    if (positionals.length > 1) throw new UsageError(`"retention run" takes no arguments, got "${positionals.slice(1).join(' ')}".`);
    if (values.days !== undefined) {
      const n = Number(values.days);
      if (!/^\d+$/.test(values.days) || !Number.isSafeInteger(n) || n < MIN_RETENTION_DAYS) {
        throw new UsageError(`--days must be a whole number of at least ${MIN_RETENTION_DAYS}, got "${values.days}".`);
      }
      days = n;
    }
    dryRun = values['dry-run'] ?? false;
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`dayone: ${(error as Error).message}\n\nUsage:\n${RETENTION_USAGE}`);
      return 2;
    }
    throw error;
  }

  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    const settings = typeof config === 'function' ? config() : config;
    database = await openDatabase({ url: settings.databaseUrl, dataDir: settings.dataDir });
    await database.migrate();
    const report = await runRetention({
      db: database.db,
      files: folderFileStore(join(settings.dataDir, 'files')),
      days: days ?? settings.retentionDays,
      dryRun,
    });
    io.stdout(describe(report));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
      io.stderr(`dayone: ${error.message}`);
      return 1;
    }
    io.stderr(`dayone: retention failed: ${error instanceof Error ? error.message : String(error)}\nPeople erased before the failure stay erased; run it again to finish.`);
    return 1;
  } finally {
    await database?.close();
  }
}

const REASONS: Record<string, string> = {
  legal_hold: 'on legal hold',
  active_application: 'with an open application',
  talent_pool: 'in the talent pool',
  recently_closed: 'closed recently',
  no_applications: 'without applications',
  already_anonymized: 'already anonymized',
};

function describe(report: RetentionReport): string {
  const period = `more than ${report.days} days ago (before ${report.cutoff.toISOString()})`;
  const kept = Object.entries(report.kept).map(([reason, n]) => `${n} ${REASONS[reason] ?? reason}`);
  const lines = report.dryRun
    ? [
        `Dry run: ${report.erased} ${people(report.erased)} whose last application closed ${period} would be erased; nothing was changed.`,
        ...(report.erasedIds?.length ? [`Would erase person ids: ${report.erasedIds.join(', ')}`] : []),
      ]
    : [`Erased ${report.erased} ${people(report.erased)} whose last application closed ${period}, and ${report.files} resume ${report.files === 1 ? 'file' : 'files'}.`];
  if (kept.length) lines.push(`Kept ${kept.join(', ')}.`);
  return lines.join('\n');
}

const people = (n: number) => (n === 1 ? 'person' : 'people');
