import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { DatabaseInUseError, openDatabase } from '../server/db/client.ts';
import { ContentPackError, createContentService } from '../server/features/content/content.service.ts';
import { startServer, stopOnSignals } from '../server/main.ts';

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
  help                  Show this help

Settings come from environment variables; see README.md ("Configuration").

Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.`;

/** Thrown for a command line that cannot be understood; exits 2 with the usage. */
class UsageError extends Error {}

/**
 * Runs one `dayone` command. Resolves to the exit code, or to 'running' for `serve`,
 * which keeps the process alive until a signal stops it.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number | 'running'> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    const [command, ...rest] = positionals;
    if (values.help || command === 'help' || command === undefined) {
      (command === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    switch (command) {
      case 'serve':
        expectArgs(rest, 0, 'serve');
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
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
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

function expectArgs(args: string[], max: number, command: string): void {
  if (args.length > max) throw new UsageError(`"${command}" takes ${max === 0 ? 'no arguments' : `at most ${max} argument`}, got "${args.join(' ')}".`);
}

async function serve(config: Config, io: CliIo): Promise<'running'> {
  const server = await startServer(config);
  stopOnSignals(server);
  const content = server.app.content.current();
  io.stdout(
    [
      '',
      `  Day One is running at ${config.publicUrl}`,
      `  Database: ${config.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}/pglite`}`,
      `  Content: ${content ? `${content.teams.length} teams, ${content.principles.length} principles` : 'none loaded'}`,
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  return 'running';
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
