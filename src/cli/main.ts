import cluster from 'node:cluster';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { DatabaseInUseError, openDatabase } from '../server/db/client.ts';
import { ContentPackError, createContentService } from '../server/features/content/content.service.ts';
import { exportJobs, importJobs, seedDemoJobs, JobFileError, JobImportRefusedError, type TransferFormat } from '../server/features/jobs/jobs.transfer.ts';
import { enlargeYoungGeneration, startServer, stopOnSignals } from '../server/main.ts';
import { runWorker, startCluster } from '../server/cluster.ts';
import type { ContentSnapshot } from '../shared/contracts/content.ts';
import { createMailService } from '../server/features/mail/mail.service.ts';
import { apikeyCommand } from './apikey.ts';
import { retentionCommand, RETENTION_USAGE } from './retention.ts';
import { usersCommand } from './users.ts';
import { isUsageError, UsageError } from './subcommand.ts';

/** Where the CLI reads its settings and writes its words; tests pass their own. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const USAGE = `Usage: dayone <command> [options]

Commands:
  serve                 Start the web server (migrates, and loads the content pack on first start)
  migrate               Apply pending database migrations
  content load [dir]    Validate a content pack and load it in one transaction
                        (dir defaults to CONTENT_DIR, which defaults to content/default)
  seed [--jobs N] [--seed S]
                        Add N realistic demo jobs (default 200; seed S, default 1, makes
                        them repeatable); loads the content pack first if there is none
  import FILE [--skip-invalid]
                        Import jobs from a JSON or CSV file (see docs/jobs-import.md) in one
                        transaction; a bad row refuses the file, naming every bad row,
                        unless --skip-invalid, which imports the rest and lists those skipped
  export [--format json|csv] [--out FILE]
                        Write every job, whatever its status, as JSON (default) or CSV to
                        FILE or to standard output; \`dayone import\` reads it back
  outbox [--limit N]    Show the newest N emails the app sent or keeps in its outbox (default 10),
                        e.g. to open a confirmation link in a demo without SMTP
${RETENTION_USAGE}
  apikey create --name NAME | list | revoke ID
                        Keys for the job-board apply APIs (a key is shown once, stored hashed)
  users create --email EMAIL --role ROLE [--name NAME] | list
                        Add a member of staff (the first admin) and print their invitation
                        link; list the staff (see docs/staff-accounts.md)
  help                  Show this help

Settings come from environment variables; see README.md ("Configuration").

Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.`;

/**
 * Runs one `dayone` command. Resolves to the exit code, or to 'running' for `serve`,
 * which keeps the process alive until a signal stops it.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number | 'running'> {
  try {
    // apikey has options of its own; it parses them itself.
    if (argv[0] === 'apikey') return await apikeyCommand(loadConfig(io.env), argv.slice(1), io);
    if (argv[0] === 'users') return await usersCommand(loadConfig(io.env), argv.slice(1), io);
    if (argv[0] === 'retention') return await retentionCommand(() => loadConfig(io.env), argv.slice(1), io);
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        jobs: { type: 'string' },
        seed: { type: 'string' },
        'skip-invalid': { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        limit: { type: 'string' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || command === 'help' || command === undefined) {
      (command === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const { help: _help, ...given } = values;
    allowOptions(given, command, { seed: ['jobs', 'seed'], import: ['skip-invalid'], export: ['format', 'out'], outbox: ['limit'] }[command] ?? []);
    switch (command) {
      case 'seed': {
        expectArgs(rest, 0, 'seed');
        const jobs = positiveInteger(values.jobs ?? '200', '--jobs');
        const seed = positiveInteger(values.seed ?? '1', '--seed');
        return await seed_(loadConfig(io.env), { jobs, seed }, io);
      }
      case 'import': {
        if (rest.length !== 1) throw new UsageError('"import" takes one FILE, a .json or .csv file of jobs.');
        return await import_(loadConfig(io.env), rest[0]!, values['skip-invalid'] ?? false, io);
      }
      case 'export': {
        expectArgs(rest, 0, 'export');
        const format = values.format ?? 'json';
        if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}".`);
        return await export_(loadConfig(io.env), format, values.out, io);
      }
      case 'outbox': {
        expectArgs(rest, 0, 'outbox');
        return await outbox(loadConfig(io.env), positiveInteger(values.limit ?? '10', '--limit'), io);
      }
      case 'serve':
        expectArgs(rest, 0, 'serve');
        enlargeYoungGeneration();
        return await serve(loadConfig(io.env), io);
      case 'migrate':
        expectArgs(rest, 0, 'migrate');
        return await migrate(loadConfig(io.env), io);
      case 'content': {
        if (rest[0] !== 'load') throw new UsageError(`Unknown content command "${rest[0] ?? ''}". Did you mean "dayone content load [dir]"?`);
        expectArgs(rest.slice(1), 1, 'content load');
        const config = loadConfig(io.env);
        return await loadContent(config, rest[1] ?? config.contentDir, io);
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`dayone: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
      io.stderr(`dayone: ${error.message}`);
      return 1;
    }
    io.stderr(`dayone: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function allowOptions(given: Record<string, unknown>, command: string, allowed: string[]): void {
  const wrong = Object.keys(given).filter((name) => given[name] !== undefined && !allowed.includes(name));
  if (wrong.length) throw new UsageError(`"${command}" does not take ${wrong.map((n) => `--${n}`).join(', ')}.`);
}

function positiveInteger(text: string, option: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} must be a whole number of at least 1, got "${text}".`);
  return n;
}

function expectArgs(args: string[], max: number, command: string): void {
  if (args.length > max) throw new UsageError(`"${command}" takes ${max === 0 ? 'no arguments' : `at most ${max} argument`}, got "${args.join(' ')}".`);
}

async function serve(config: Config, io: CliIo): Promise<'running'> {
  if (config.webConcurrency > 1) {
    if (cluster.isWorker) {
      // The channel to the primary keeps a worker alive, so one that cannot start exits itself;
      // the primary sees it and stops the start.
      await runWorker(config).catch((error: unknown) => {
        io.stderr(`dayone: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
      return 'running';
    }
    const primary = await startCluster(config);
    stopOnSignals(primary);
    banner(config, primary.content, io, `${config.webConcurrency} server processes (WEB_CONCURRENCY)`);
    return 'running';
  }
  const server = await startServer(config);
  stopOnSignals({ log: server.app.log, stop: server.stop });
  banner(config, server.app.content.current(), io);
  return 'running';
}

function banner(config: Config, content: ContentSnapshot | undefined, io: CliIo, processes?: string): void {
  io.stdout(
    [
      '',
      `  Day One is running at ${config.publicUrl}`,
      `  Database: ${config.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}/pglite`}`,
      ...(processes ? [`  Processes: ${processes}`] : []),
      `  Content: ${content ? `${content.teams.length} teams, ${content.principles.length} principles` : 'none loaded'}`,
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
}

async function migrate(config: Config, io: CliIo): Promise<number> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    io.stdout('Migrations are up to date.');
    return 0;
  } catch (error) {
    io.stderr(`dayone: migration failed, nothing was changed: ${(error as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

async function loadContent(config: Config, dir: string, io: CliIo): Promise<number> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const content = createContentService({ db: database.db });
    const loaded = await content.loadPack({ dir });
    io.stdout(`Loaded ${loaded.teams} teams and ${loaded.principles} principles from ${dir} (content version ${loaded.version}).`);
    return 0;
  } catch (error) {
    if (error instanceof ContentPackError) {
      io.stderr(`dayone: ${error.message}\nNothing was loaded; the site keeps its current content.`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

async function seed_(config: Config, options: { jobs: number; seed: number }, io: CliIo): Promise<number> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const started = performance.now();
    if (await createContentService({ db: database.db }).loadPackIfEmpty({ dir: config.contentDir })) io.stdout(`Loaded the content pack from ${config.contentDir} first, as the database had none.`);
    const { imported } = await seedDemoJobs({ db: database.db, count: options.jobs, seed: options.seed, now: new Date() });
    io.stdout(`Added ${imported} demo jobs (seed ${options.seed}) in ${seconds(started)} s.`);
    return 0;
  } catch (error) {
    if (error instanceof ContentPackError) {
      io.stderr(`dayone: no content is loaded and ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

async function import_(config: Config, file: string, skipInvalid: boolean, io: CliIo): Promise<number> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const started = performance.now();
    const { imported, skipped, format } = await importJobs({ db: database.db, file, skipInvalid });
    io.stdout(`Imported ${imported} jobs from ${file} (${format.toUpperCase()}) in ${seconds(started)} s.`);
    if (skipped.length) {
      const rows = new Set(skipped.map((i) => i.row)).size;
      io.stdout(`Skipped ${rows} invalid row(s):\n${skipped.map((i) => `  row ${i.row}: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n')}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof JobImportRefusedError) {
      const listed = error.issues.map((i) => `  row ${i.row}: ${i.field ? `${i.field}: ` : ''}${i.message}`);
      const more = error.issues.length < error.invalidRows ? `\n  … and more; only the first ${error.issues.length} problems are listed` : '';
      io.stderr(`dayone: ${file}: ${error.invalidRows} invalid row(s); nothing was imported:\n${listed.join('\n')}${more}\nFix them, or import the other rows with --skip-invalid.`);
      return 1;
    }
    if (error instanceof JobFileError) {
      io.stderr(`dayone: ${file}: ${error.message}. Nothing was imported.`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

async function export_(config: Config, format: TransferFormat, out: string | undefined, io: CliIo): Promise<number> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const file = out ? createWriteStream(out) : undefined;
  try {
    if (file) await once(file, 'open');
    await database.migrate();
    const write = file
      ? async (lines: string) => {
          if (!file.write(`${lines}\n`)) await once(file, 'drain');
        }
      : io.stdout;
    const { exported } = await exportJobs({ db: database.db, format, write });
    if (file) {
      file.end();
      await once(file, 'finish');
      io.stdout(`Exported ${exported} jobs to ${out} (${format.toUpperCase()}).`);
    }
    return 0;
  } finally {
    file?.destroy();
    await database.close();
  }
}

const seconds = (since: number) => (Math.round((performance.now() - since) / 100) / 10).toFixed(1);

async function outbox(config: Config, limit: number, io: CliIo): Promise<number> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const messages = await createMailService({ db: database.db, smtpUrl: undefined, from: '' }).recent(limit);
    if (messages.length === 0) io.stdout('The outbox is empty.');
    for (const m of messages) {
      const state = m.sentAt ? (m.transport === 'outbox' ? 'kept in the outbox' : 'sent') : `not sent yet (${m.attempts} attempts${m.lastError ? `: ${m.lastError}` : ''})`;
      io.stdout([`#${m.id} ${m.createdAt.toISOString()} to ${m.toAddress} — ${m.subject} [${state}]`, ...m.textBody.split('\n').map((l) => `    ${l}`), ''].join('\n'));
    }
    return 0;
  } finally {
    await database.close();
  }
}
