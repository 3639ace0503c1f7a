import { and, asc, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { StaffRole } from '../../../domain/policy.ts';
import type { Db } from '../../db/client.ts';
import { staffInvites, staffUsers, teams } from '../../db/schema/index.ts';

/** A member of staff as the users pages, sign-in and the CLI see them (never the password hash). */
export interface StaffUserRow {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  barRaiser: boolean;
  level: number;
  teamId: number | null;
  teamSlug: string | null;
  teamName: string | null;
  managerId: number | null;
  managerName: string | null;
  hasPassword: boolean;
  oidcLinked: boolean;
  demo: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

/** What sign-in needs of a member of staff, found by email. */
export interface StaffCredentials {
  id: number;
  email: string;
  passwordHash: string | null;
  disabled: boolean;
}

const manager = alias(staffUsers, 'manager');

function userColumns() {
  return {
    id: staffUsers.id,
    email: staffUsers.email,
    name: staffUsers.name,
    role: staffUsers.role,
    barRaiser: staffUsers.barRaiser,
    level: staffUsers.level,
    teamId: staffUsers.teamId,
    teamSlug: teams.slug,
    teamName: teams.name,
    managerId: staffUsers.managerId,
    managerName: manager.name,
    hasPassword: sql<boolean>`${staffUsers.passwordHash} is not null`,
    oidcLinked: sql<boolean>`${staffUsers.oidcSubject} is not null`,
    demo: staffUsers.demo,
    disabledAt: staffUsers.disabledAt,
    createdAt: staffUsers.createdAt,
  };
}

type RawUser = Omit<StaffUserRow, 'role'> & { role: string };
const typed = (row: RawUser): StaffUserRow => ({ ...row, role: row.role as StaffRole, hasPassword: Boolean(row.hasPassword), oidcLinked: Boolean(row.oidcLinked) });

/** Every member of staff, enabled ones first, then by name and email. */
export async function findStaffUsers(db: Db): Promise<StaffUserRow[]> {
  const rows = await db
    .select(userColumns())
    .from(staffUsers)
    .leftJoin(teams, eq(teams.id, staffUsers.teamId))
    .leftJoin(manager, eq(manager.id, staffUsers.managerId))
    .orderBy(sql`${staffUsers.disabledAt} is not null`, asc(sql`lower(${staffUsers.name})`), asc(sql`lower(${staffUsers.email})`));
  return rows.map(typed);
}

export async function findStaffUser(db: Db, id: number): Promise<StaffUserRow | undefined> {
  const [row] = await db
    .select(userColumns())
    .from(staffUsers)
    .leftJoin(teams, eq(teams.id, staffUsers.teamId))
    .leftJoin(manager, eq(manager.id, staffUsers.managerId))
    .where(eq(staffUsers.id, id));
  return row ? typed(row) : undefined;
}

/** The same as findStaffUser, and locks the row until the transaction ends, so two admins' edits do not interleave. */
export async function lockStaffUser(tx: Db, id: number): Promise<StaffUserRow | undefined> {
  await tx.execute(sql`select id from staff_users where id = ${id} for no key update`);
  return findStaffUser(tx, id);
}

/** Sign-in's view of the member of staff with this email, in any letter case. */
export async function findStaffCredentials(db: Db, email: string): Promise<StaffCredentials | undefined> {
  const [row] = await db
    .select({ id: staffUsers.id, email: staffUsers.email, passwordHash: staffUsers.passwordHash, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(sql`lower(${staffUsers.email}) = lower(${email})`);
  return row ? { id: row.id, email: row.email, passwordHash: row.passwordHash, disabled: row.disabledAt !== null } : undefined;
}

/** The member of staff linked to this OpenID Connect issuer and subject. */
export async function findStaffByOidc(db: Db, issuer: string, subject: string): Promise<{ id: number; disabled: boolean } | undefined> {
  const [row] = await db
    .select({ id: staffUsers.id, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(and(eq(staffUsers.oidcIssuer, issuer), eq(staffUsers.oidcSubject, subject)));
  return row ? { id: row.id, disabled: row.disabledAt !== null } : undefined;
}

/**
 * The enabled member of staff with this email who is not linked to an account at `issuer` yet
 * (a link to another issuer is from a provider used before, and is replaced).
 */
export async function findLinkableStaff(db: Db, email: string, issuer: string): Promise<{ id: number } | undefined> {
  const [row] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(sql`lower(${staffUsers.email}) = lower(${email})`, isNull(staffUsers.disabledAt), notLinkedAt(issuer)));
  return row;
}

const notLinkedAt = (issuer: string) => or(isNull(staffUsers.oidcSubject), isNull(staffUsers.oidcIssuer), ne(staffUsers.oidcIssuer, issuer));

/** Links an account to an issuer and subject, unless it was linked at that issuer meanwhile; true when linked. */
export async function linkOidc(tx: Db, id: number, issuer: string, subject: string): Promise<boolean> {
  const rows = await tx
    .update(staffUsers)
    .set({ oidcIssuer: issuer, oidcSubject: subject, updatedAt: sql`now()` })
    .where(and(eq(staffUsers.id, id), notLinkedAt(issuer)))
    .returning({ id: staffUsers.id });
  return rows.length > 0;
}

/** What a new member of staff is created with. */
export interface NewStaffUser {
  email: string;
  name: string;
  role: StaffRole;
  barRaiser: boolean;
  level: number;
  teamId: number | null;
  managerId: number | null;
}

/** Inserts a member of staff, or answers undefined when the email (in any letter case) is taken. */
export async function insertStaffUser(tx: Db, user: NewStaffUser): Promise<{ id: number } | undefined> {
  const [row] = await tx.insert(staffUsers).values(user).onConflictDoNothing().returning({ id: staffUsers.id });
  return row;
}

/** The fields the users page edits. */
export type StaffUserChanges = Partial<Pick<NewStaffUser, 'name' | 'role' | 'barRaiser' | 'level' | 'teamId' | 'managerId'>> & {
  disabledAt?: Date | null;
  passwordHash?: string;
};

export async function updateStaffUser(tx: Db, id: number, changes: StaffUserChanges): Promise<void> {
  await tx
    .update(staffUsers)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(staffUsers.id, id));
}

/**
 * Before changing a member of staff: locks their row and every enabled admin's, in one
 * statement and in id order (so two changes never wait on each other in a circle), and counts
 * the enabled admins other than them. Two admins who demote each other at the same moment
 * thus take turns, and the second sees that the first is no longer an admin.
 */
export async function lockForStaffChange(tx: Db, id: number): Promise<{ otherEnabledAdmins: number }> {
  const result = (await tx.execute(sql`
    select id, role, disabled_at from staff_users
    where id = ${id} or (role = 'admin' and disabled_at is null)
    order by id for no key update`)) as unknown as { rows: Array<{ id: number; role: string; disabled_at: unknown }> };
  return { otherEnabledAdmins: result.rows.filter((row) => Number(row.id) !== id && row.role === 'admin' && row.disabled_at === null).length };
}

/** Every member of staff's manager, for refusing a reporting chain that loops. */
export async function findManagerLinks(db: Db): Promise<Map<number, number | null>> {
  const rows = await db.select({ id: staffUsers.id, managerId: staffUsers.managerId }).from(staffUsers);
  return new Map(rows.map((row) => [row.id, row.managerId]));
}

/** Whether any demo account exists (the sign-in page then says where their passwords are). */
export async function hasDemoStaff(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.demo, true)).limit(1);
  return row !== undefined;
}

/** The content pack's teams, in the pack's order. */
export async function findTeams(db: Db): Promise<Array<{ id: number; slug: string; name: string }>> {
  return db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.position));
}

export async function insertInvite(tx: Db, invite: { tokenHash: string; userId: number; invitedBy: number | null; expiresAt: Date }): Promise<void> {
  await tx.insert(staffInvites).values(invite);
}

/** Ends every unused invitation of a user, so that only the newest link works. */
export async function retireInvitesOf(tx: Db, userId: number): Promise<void> {
  await tx
    .update(staffInvites)
    .set({ usedAt: sql`now()` })
    .where(and(eq(staffInvites.userId, userId), isNull(staffInvites.usedAt)));
}

/** Whether a member of staff has joined: they have a password or a single sign-on link. */
const joined = sql<boolean>`(${staffUsers.passwordHash} is not null or ${staffUsers.oidcSubject} is not null)`;

/**
 * The user an unused, unexpired emailed link (an invitation or a password reset) is for, when
 * that user is enabled; `joined` tells which of the two the link does.
 */
export async function findUsableInvite(db: Db, tokenHash: string): Promise<{ userId: number; email: string; name: string; joined: boolean } | undefined> {
  const [row] = await db
    .select({ userId: staffUsers.id, email: staffUsers.email, name: staffUsers.name, joined })
    .from(staffInvites)
    .innerJoin(staffUsers, eq(staffUsers.id, staffInvites.userId))
    .where(and(eq(staffInvites.tokenHash, tokenHash), isNull(staffInvites.usedAt), gt(staffInvites.expiresAt, sql`now()`), isNull(staffUsers.disabledAt)));
  return row ? { ...row, joined: Boolean(row.joined) } : undefined;
}

/** The enabled member of staff with this email (in any letter case) who has joined, so may reset a password. */
export async function findResettableStaff(db: Db, email: string): Promise<{ id: number; email: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name })
    .from(staffUsers)
    .where(and(sql`lower(${staffUsers.email}) = lower(${email})`, isNull(staffUsers.disabledAt), joined));
  return row;
}

/** Marks an invitation used in one statement, so a link clicked twice at once works once; answers its user. */
export async function spendInvite(tx: Db, tokenHash: string): Promise<number | undefined> {
  const [row] = await tx
    .update(staffInvites)
    .set({ usedAt: sql`now()` })
    .where(and(eq(staffInvites.tokenHash, tokenHash), isNull(staffInvites.usedAt), gt(staffInvites.expiresAt, sql`now()`)))
    .returning({ userId: staffInvites.userId });
  return row?.userId;
}

/** Whether an email (in any letter case) belongs to a member of staff other than `exceptId`. */
export async function emailTaken(db: Db, email: string, exceptId = 0): Promise<boolean> {
  const [row] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(sql`lower(${staffUsers.email}) = lower(${email})`, ne(staffUsers.id, exceptId)));
  return row !== undefined;
}
