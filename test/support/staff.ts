import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/server/db/client.ts';
import { jobTeam, sessions, staffUsers } from '../../src/server/db/schema/index.ts';
import type { StaffRole, TeamRole } from '../../src/domain/policy.ts';
import { hashPassword } from '../../src/server/features/accounts/passwords.ts';
import { hashToken, newToken } from '../../src/server/features/accounts/sessions.ts';
import { STAFF_COOKIE } from '../../src/server/features/staff/staff.scope.ts';
import { FormClient } from './account-client.ts';

let counter = 0;

/** Adds a member of staff straight to the database (with a password when given). */
export async function createStaff(
  db: Db,
  options: { role: StaffRole; name?: string; email?: string; password?: string; barRaiser?: boolean; level?: number; managerId?: number },
): Promise<{ id: number; email: string; name: string }> {
  counter += 1;
  const name = options.name ?? `${options.role.replace('_', ' ')} ${counter}`;
  const email = options.email ?? `${options.role}.${counter}.${Math.random().toString(36).slice(2, 8)}@staff.example.test`;
  const [row] = await db
    .insert(staffUsers)
    .values({
      email,
      name,
      role: options.role,
      barRaiser: options.barRaiser ?? false,
      level: options.level ?? 5,
      managerId: options.managerId ?? null,
      passwordHash: options.password ? await hashPassword(options.password) : null,
    })
    .returning({ id: staffUsers.id });
  return { id: row!.id, email, name };
}

/** Puts a member of staff on a job's hiring team. */
export async function addToJobTeam(db: Db, jobId: number, userId: number, role: TeamRole): Promise<void> {
  await db.insert(jobTeam).values({ jobId, userId, role });
}

/**
 * A FormClient signed in as the given member of staff, by a session written straight to the
 * database (the sign-in form has tests of its own). Opening a staff page fills in its CSRF token.
 */
export async function staffClient(app: FastifyInstance, db: Db, userId: number): Promise<FormClient> {
  const token = newToken();
  await db.insert(sessions).values({ tokenHash: hashToken(token), kind: 'staff', subjectId: userId, expiresAt: new Date(Date.now() + 3600_000) });
  const client = new FormClient(app);
  client.cookies.set(STAFF_COOKIE, token);
  return client;
}
