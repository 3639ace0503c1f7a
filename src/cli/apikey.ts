import { parseArgs } from 'node:util';
import type { Config } from '../server/config.ts';
import { AppError } from '../server/errors.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../server/features/apikeys/apikeys.service.ts';
import type { CliIo } from './main.ts';
import { runSubcommand, UsageError, withDatabase } from './subcommand.ts';

export const APIKEY_USAGE = `Usage: dayone apikey <create|list|revoke> [options]

  apikey create --name NAME   Make a key for a job board or integration to apply through the
                              Greenhouse- and Lever-compatible APIs; the key is shown once
  apikey list                 List keys (id, name, first characters, created, revoked)
  apikey revoke ID            Revoke a key at once; requests with it are refused from then on

Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.`;

/** `dayone apikey …`: create, list and revoke the API keys of the job-board apply endpoints. Resolves to the exit code. */
export async function apikeyCommand(config: Config, argv: string[], io: CliIo): Promise<number> {
  return runSubcommand(io, APIKEY_USAGE, () => {
    const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    const [sub, ...rest] = positionals;
    if (values.help) {
      io.stdout(APIKEY_USAGE);
      return 0;
    }
    switch (sub) {
      case 'create': {
        if (rest.length) throw new UsageError(`"apikey create" takes no arguments, got "${rest.join(' ')}".`);
        const name = values.name;
        if (name === undefined || !name.trim()) throw new UsageError('"apikey create" needs --name NAME, e.g. --name "Acme job board".');
        return () => create(config, name, io);
      }
      case 'list':
        if (rest.length || values.name !== undefined) throw new UsageError('"apikey list" takes no arguments or options.');
        return () => list(config, io);
      case 'revoke': {
        if (rest.length !== 1 || values.name !== undefined) throw new UsageError('"apikey revoke" takes one ID (see "dayone apikey list").');
        const id = Number(rest[0]);
        if (!/^\d{1,9}$/.test(rest[0]!) || id < 1) throw new UsageError(`ID must be a whole number, got "${rest[0]}".`);
        return () => revoke(config, id, io);
      }
      default:
        throw new UsageError(sub === undefined ? 'Say what to do with API keys.' : `Unknown apikey command "${sub}".`);
    }
  });
}

async function create(config: Config, name: string, io: CliIo): Promise<number> {
  const { key, apiKey } = await withDatabase(config, (db) => createApiKey({ db, name }));
  io.stdout(
    [
      `Created API key ${apiKey.id} (${apiKey.name}):`,
      '',
      `  ${key}`,
      '',
      'Store it now, somewhere safe: it is shown only this once, and only its hash is kept.',
      'Greenhouse-style clients send it as the HTTP Basic user name (empty password);',
      'Lever-style clients send it as ?key=.',
    ].join('\n'),
  );
  return 0;
}

async function list(config: Config, io: CliIo): Promise<number> {
  const keys = await withDatabase(config, (db) => listApiKeys({ db }));
  if (keys.length === 0) {
    io.stdout('There are no API keys. Make one with: dayone apikey create --name NAME');
    return 0;
  }
  for (const k of keys) {
    io.stdout(`${k.id}\t${k.prefix}…\t${k.name}\tcreated ${k.createdAt.toISOString()}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}`);
  }
  return 0;
}

async function revoke(config: Config, id: number, io: CliIo): Promise<number> {
  try {
    const revoked = await withDatabase(config, (db) => revokeApiKey({ db, id }));
    io.stdout(`Revoked API key ${revoked.id} (${revoked.name}). Requests with it are refused from now on.`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      io.stderr(`dayone: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
