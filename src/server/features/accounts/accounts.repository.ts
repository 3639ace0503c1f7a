import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEvents, authTokens, candidateAccounts, people, sessions } from '../../db/schema/index.ts';

/** What emailed tokens are for; each has its own lifetime (see accounts.service.ts). */
export type TokenPurpose = 'verify_email' | 'reset_password' | 'sign_in';

/** A person found by email, with their account when they have one. */
export interface PersonAccount {
  personId: number;
  email: string;
  account: { passwordHash: string | null; emailVerifiedAt: Date | null } | null;
}

export async function findPersonByEmail(db: Db, email: string): Promise<PersonAccount | undefined> {
  const [row] = await db
    .select({
      personId: people.id,
      email: people.email,
      hasAccount: candidateAccounts.personId,
      passwordHash: candidateAccounts.passwordHash,
      emailVerifiedAt: candidateAccounts.emailVerifiedAt,
    })
    .from(people)
    .leftJoin(candidateAccounts, eq(candidateAccounts.personId, people.id))
    .where(sql`lower(${people.email}) = lower(${email})`);
  if (!row) return undefined;
  return {
    personId: row.personId,
    email: row.email,
    account: row.hasAccount === null ? null : { passwordHash: row.passwordHash, emailVerifiedAt: row.emailVerifiedAt },
  };
}

export async function findPersonById(db: Db, personId: number): Promise<PersonAccount | undefined> {
  const [row] = await db.select({ email: people.email }).from(people).where(eq(people.id, personId));
  return row ? findPersonByEmail(db, row.email) : undefined;
}

/** Inserts the person unless one with this email (in any letter case) exists; either way returns their id. */
export async function insertPersonIfAbsent(tx: Db, email: string): Promise<{ personId: number; created: boolean }> {
  const inserted = (await tx.execute(sql`
    insert into people (email) values (${email})
    on conflict (lower(email)) do nothing
    returning id`)) as unknown as { rows: Array<{ id: number }> };
  if (inserted.rows[0]) return { personId: Number(inserted.rows[0].id), created: true };
  const [row] = await tx.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = lower(${email})`);
  return { personId: row!.id, created: false };
}

/** Creates the account of a person unless they have one; true when it was created. */
export async function insertAccountIfAbsent(
  tx: Db,
  { personId, passwordHash, emailVerifiedAt = null }: { personId: number; passwordHash: string | null; emailVerifiedAt?: Date | null },
): Promise<boolean> {
  const rows = await tx
    .insert(candidateAccounts)
    .values({ personId, passwordHash, emailVerifiedAt })
    .onConflictDoNothing()
    .returning({ personId: candidateAccounts.personId });
  return rows.length > 0;
}

export async function updatePassword(tx: Db, personId: number, passwordHash: string): Promise<void> {
  await tx.update(candidateAccounts).set({ passwordHash }).where(eq(candidateAccounts.personId, personId));
}

/** Forgets a password chosen before the address was proven, so only the mailbox owner can set one. */
export async function clearPassword(tx: Db, personId: number): Promise<void> {
  await tx.update(candidateAccounts).set({ passwordHash: null }).where(eq(candidateAccounts.personId, personId));
}

/** Marks the address verified; true when it was not verified before. */
export async function markEmailVerified(tx: Db, personId: number): Promise<boolean> {
  const rows = await tx
    .update(candidateAccounts)
    .set({ emailVerifiedAt: sql`now()` })
    .where(and(eq(candidateAccounts.personId, personId), isNull(candidateAccounts.emailVerifiedAt)))
    .returning({ personId: candidateAccounts.personId });
  return rows.length > 0;
}

export async function insertToken(
  tx: Db,
  token: { tokenHash: string; purpose: TokenPurpose; personId: number; expiresAt: Date },
): Promise<void> {
  await tx.insert(authTokens).values(token);
}

/** The person a token is for while it is unused and unexpired. */
export async function findUsableToken(db: Db, tokenHash: string, purpose: TokenPurpose): Promise<number | undefined> {
  const [row] = await db
    .select({ personId: authTokens.personId })
    .from(authTokens)
    .where(and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt), gt(authTokens.expiresAt, sql`now()`)));
  return row?.personId;
}

/** Uses a token once: of two requests racing with the same token, one gets the person and the other nothing. */
export async function consumeToken(tx: Db, tokenHash: string, purpose: TokenPurpose): Promise<number | undefined> {
  const [row] = await tx
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt), gt(authTokens.expiresAt, sql`now()`)))
    .returning({ personId: authTokens.personId });
  return row?.personId;
}

/** Spends every outstanding token of a person, e.g. after their password changed. */
export async function spendTokensOf(tx: Db, personId: number): Promise<void> {
  await tx
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(authTokens.personId, personId), isNull(authTokens.usedAt)));
}

export async function insertSession(
  tx: Db,
  session: { tokenHash: string; personId: number; expiresAt: Date; userAgent: string | null },
): Promise<void> {
  await tx.insert(sessions).values({
    tokenHash: session.tokenHash,
    kind: 'candidate',
    subjectId: session.personId,
    expiresAt: session.expiresAt,
    userAgent: session.userAgent,
  });
}

/** A live candidate session with its person. */
export async function findSession(
  db: Db,
  tokenHash: string,
): Promise<{ personId: number; email: string; emailVerifiedAt: Date | null; lastSeenAt: Date } | undefined> {
  const [row] = await db
    .select({ personId: people.id, email: people.email, emailVerifiedAt: candidateAccounts.emailVerifiedAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.subjectId))
    .innerJoin(candidateAccounts, eq(candidateAccounts.personId, people.id))
    .where(and(eq(sessions.tokenHash, tokenHash), eq(sessions.kind, 'candidate'), gt(sessions.expiresAt, sql`now()`)));
  return row;
}

export async function slideSession(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: sql`now()`, expiresAt }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(tx: Db, tokenHash: string): Promise<number> {
  const rows = await tx.delete(sessions).where(and(eq(sessions.tokenHash, tokenHash), eq(sessions.kind, 'candidate'))).returning({ h: sessions.tokenHash });
  return rows.length;
}

/** Ends every candidate session of a person; returns how many there were. */
export async function deleteSessionsOf(tx: Db, personId: number): Promise<number> {
  const rows = await tx
    .delete(sessions)
    .where(and(eq(sessions.kind, 'candidate'), eq(sessions.subjectId, personId)))
    .returning({ h: sessions.tokenHash });
  return rows.length;
}

/** One audit event about a person. */
export interface AccountEvent {
  action: string;
  personId: number;
  /** Who did it: the candidate themself, or anonymous (before sign-in, e.g. sign-up). */
  actor: 'candidate' | 'anonymous';
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export async function insertAudit(tx: Db, event: AccountEvent): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: event.actor,
    actorId: event.actor === 'candidate' ? event.personId : null,
    action: event.action,
    subjectType: 'person',
    subjectId: String(event.personId),
    before: event.before ?? null,
    after: event.after ?? null,
  });
}
