import { parseArgs } from 'node:util';
import { STAFF_ROLES } from '../domain/policy.ts';
import type { Config } from '../server/config.ts';
import { AppError } from '../server/errors.ts';
import { INVITE_HOURS } from '../server/features/staff/auth.service.ts';
import { inviteStaffUser, listStaffUsers, newStaffUserSchema, staffStatus } from '../server/features/staff/users.service.ts';
import type { CliIo } from './main.ts';
import { runSubcommand, UsageError, withDatabase } from './subcommand.ts';

export const USERS_USAGE = `Usage: dayone users <create|list> [options]

  users create --email EMAIL --role ROLE [--name NAME]
                              Add a member of staff and print their invitation link (valid
                              ${INVITE_HOURS} hours; nothing is emailed). ROLE is one of
                              ${STAFF_ROLES.join(', ')}. Use it for the first admin;
                              admins invite everyone else from /staff/users
  users list                  List the staff: id, email, name, role, status

Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.`;

/** `dayone users …`: add a member of staff (the first admin above all) and list the staff. Resolves to the exit code. */
export async function usersCommand(config: Config, argv: string[], io: CliIo): Promise<number> {
  return runSubcommand(io, USERS_USAGE, () => {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    const [sub, ...rest] = positionals;
    if (values.help) {
      io.stdout(USERS_USAGE);
      return 0;
    }
    switch (sub) {
      case 'create': {
        if (rest.length) throw new UsageError(`"users create" takes no arguments, got "${rest.join(' ')}".`);
        const { email, role, name } = values;
        if (email === undefined || role === undefined) throw new UsageError('"users create" needs --email EMAIL and --role ROLE, e.g. --email ada@example.com --role admin.');
        return () => create(config, { email, role, name: name ?? '' }, io);
      }
      case 'list':
        if (rest.length || values.email !== undefined || values.role !== undefined || values.name !== undefined) throw new UsageError('"users list" takes no arguments or options.');
        return () => list(config, io);
      default:
        throw new UsageError(sub === undefined ? 'Say what to do with staff users.' : `Unknown users command "${sub}".`);
    }
  });
}

async function create(config: Config, given: { email: string; role: string; name: string }, io: CliIo): Promise<number> {
  const parsed = newStaffUserSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    io.stderr(`dayone: --${String(issue.path[0])}: ${issue.message}.`);
    return 1;
  }
  try {
    const { user, link } = await withDatabase(config, (db) => inviteStaffUser({ db, input: parsed.data, by: null, publicUrl: config.publicUrl }));
    io.stdout(
      [
        `Added ${user.email} as ${user.role} (staff user ${user.id}). Their invitation link, valid for ${INVITE_HOURS} hours:`,
        '',
        `  ${link}`,
        '',
        'Send it to them yourself: it sets their password and signs them in, once. Nothing was emailed.',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      io.stderr(`dayone: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function list(config: Config, io: CliIo): Promise<number> {
  const users = await withDatabase(config, (db) => listStaffUsers({ db }));
  if (users.length === 0) {
    io.stdout('There are no staff users. Add the first admin with: dayone users create --email EMAIL --role admin');
    return 0;
  }
  for (const u of users) io.stdout([u.id, u.email, u.name || '-', u.role + (u.barRaiser ? ' (bar raiser)' : ''), staffStatus(u)].join('\t'));
  return 0;
}
