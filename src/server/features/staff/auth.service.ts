import { z } from 'zod';
import { newPasswordSchema, PASSWORD_MAX_LENGTH, tokenSchema } from '../../../shared/contracts/account.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { passwordProblem } from '../accounts/accounts.service.ts';
import { hashPassword, verifyPassword } from '../accounts/passwords.ts';
import { hashToken, newToken } from '../accounts/sessions.ts';
import { findLinkableStaff, findStaffByOidc, findStaffCredentials, findUsableInvite, insertInvite, linkOidc, retireInvitesOf, spendInvite, updateStaffUser } from './auth.repository.ts';
import type { OidcIdentity } from './oidc.ts';
import { recordStaffAudit } from './staff.repository.ts';

/** How long an invitation link works. */
export const INVITE_HOURS = 72;

/** The staff sign-in form: any non-empty password is checked, whatever its length. */
export const staffSignInSchema = z.object({
  email: z.string({ error: 'Enter your email address' }).trim().min(1, 'Enter your email address').max(254, 'The email address or password is not right'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH, 'The email address or password is not right'),
});

/** The form that accepts an invitation: the name colleagues will see, and a password. */
export const acceptInviteSchema = z.object({
  token: z.string({ error: 'This invitation link is not complete' }),
  name: z.string({ error: 'Enter your name' }).trim().min(1, 'Enter your name').max(120, 'Use at most 120 characters'),
  password: newPasswordSchema,
});

/** The one answer for every failed sign-in, so the form never tells whether an address belongs to staff. */
export class StaffSignInError extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'The email address or password is not right.', [{ field: 'email', message: 'The email address or password is not right' }]);
  }
}

export class InvalidInviteError extends AppError {
  constructor() {
    super(400, 'invalid_invite', 'This invitation link has expired or has already been used. Ask an admin to send you a new one.');
  }
}

/** Someone the provider signed in who is not (or no longer) a member of staff here. */
export class SsoNotStaffError extends AppError {
  constructor(message: string) {
    super(403, 'sso_not_staff', message);
  }
}

/**
 * Checks a member of staff's email and password, and records the sign-in. An unknown address,
 * a wrong password, a disabled account and one without a password fail alike and take the same
 * time (a password check runs in every case). Answers the user id to start the session for.
 */
export async function signInWithPassword({ db, email, password }: { db: Db; email: string; password: string }): Promise<number> {
  const user = await findStaffCredentials(db, email);
  const matches = await verifyPassword(user?.passwordHash, password);
  if (!user || !matches || user.disabled) throw new StaffSignInError();
  await db.transaction((tx) => recordStaffAudit(tx, { actorId: user.id, action: 'staff.signed_in', subjectType: 'staff_user', subjectId: user.id, after: { method: 'password' } }));
  return user.id;
}

/** Makes an invitation for a user (ending their earlier ones) inside the caller's transaction; answers the token for the link. */
export async function issueInvite(tx: Db, { userId, by }: { userId: number; by: number | null }): Promise<string> {
  await retireInvitesOf(tx, userId);
  const token = newToken();
  await insertInvite(tx, { tokenHash: hashToken(token), userId, invitedBy: by, expiresAt: new Date(Date.now() + INVITE_HOURS * 3600_000) });
  return token;
}

/** The link a new member of staff opens. */
export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/staff/invite?token=${encodeURIComponent(token)}`;
}

/** Whom a still-usable invitation is for, or undefined for a malformed, expired or used one. */
export async function findInvite({ db, token }: { db: Db; token: string }): Promise<{ email: string; name: string } | undefined> {
  if (!tokenSchema.safeParse(token).success) return undefined;
  const invite = await findUsableInvite(db, hashToken(token));
  return invite ? { email: invite.email, name: invite.name } : undefined;
}

/**
 * Accepts an invitation: sets the name and password, spends the link (once, even when clicked
 * twice at the same moment) and records it. Answers the user id to start the session for.
 */
export async function acceptInvite({ db, token, name, password }: { db: Db; token: string; name: string; password: string }): Promise<number> {
  const invite = await findInvite({ db, token });
  if (!invite) throw new InvalidInviteError();
  const problem = passwordProblem(password, invite.email);
  if (problem) throw new ValidationError(problem, [{ field: 'password', message: problem }]);
  // Hashing takes a while; it happens before the transaction so that no row stays locked meanwhile.
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const userId = await spendInvite(tx, hashToken(token));
    if (userId === undefined) throw new InvalidInviteError();
    await updateStaffUser(tx, userId, { name, passwordHash });
    await recordStaffAudit(tx, {
      actorId: userId,
      action: 'staff_user.joined',
      subjectType: 'staff_user',
      subjectId: userId,
      before: { name: invite.name },
      after: { name, password: 'set' },
    });
    return userId;
  });
}

/**
 * Finds the member of staff a provider signed in: by the issuer and subject linked before, or
 * on first use by the provider's verified email of an existing, enabled member of staff (then
 * linked, so a later change of address at the provider does not matter). No one is created:
 * admins invite people first. Records the sign-in; answers the user id.
 */
export async function signInWithOidc({ db, identity, label }: { db: Db; identity: OidcIdentity; label: string }): Promise<number> {
  const linked = await findStaffByOidc(db, identity.issuer, identity.subject);
  if (linked?.disabled) throw new SsoNotStaffError('Your staff account here is disabled. Ask an admin if you need access again.');
  if (linked) {
    await db.transaction((tx) =>
      recordStaffAudit(tx, { actorId: linked.id, action: 'staff.signed_in', subjectType: 'staff_user', subjectId: linked.id, after: { method: 'oidc', issuer: identity.issuer } }),
    );
    return linked.id;
  }
  const notStaff = `${label} signed you in${identity.email ? ` as ${identity.email}` : ''}, but there is no staff account here for you. An admin must invite you first, with the same email address.`;
  if (!identity.email || !identity.emailVerified) {
    throw new SsoNotStaffError(
      identity.email
        ? `${label} signed you in as ${identity.email}, but does not say that this address is verified, so it cannot be matched to a staff account. Ask an admin for help.`
        : notStaff,
    );
  }
  const email = identity.email;
  const found = await findLinkableStaff(db, email, identity.issuer);
  if (!found) throw new SsoNotStaffError(notStaff);
  return db.transaction(async (tx) => {
    if (!(await linkOidc(tx, found.id, identity.issuer, identity.subject))) throw new SsoNotStaffError(notStaff);
    await recordStaffAudit(tx, {
      actorId: found.id,
      action: 'staff_user.sso_linked',
      subjectType: 'staff_user',
      subjectId: found.id,
      before: { oidcLinked: false },
      after: { oidcLinked: true, issuer: identity.issuer, email },
    });
    await recordStaffAudit(tx, { actorId: found.id, action: 'staff.signed_in', subjectType: 'staff_user', subjectId: found.id, after: { method: 'oidc', issuer: identity.issuer } });
    return found.id;
  });
}

/** Where to go after signing in: only a path inside the workspace, so a crafted link cannot send anyone elsewhere. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/staff';
  // A path under /staff, without "//", backslashes or control characters that browsers may read as another host,
  // and without ".." (or its escaped form, which browsers read alike) that would climb out of /staff.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (!/^\/staff(?:[/?#]|$)/.test(next) || /\/\/|\\|\.\.|%2e|[\u0000-\u001f\u007f]/i.test(next)) return '/staff';
  return next;
}
