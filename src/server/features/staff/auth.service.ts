import { z } from 'zod';
import { emailSchema, newPasswordSchema, PASSWORD_MAX_LENGTH, tokenSchema } from '../../../shared/contracts/account.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { passwordProblem } from '../accounts/accounts.service.ts';
import { hashPassword, verifyPassword } from '../accounts/passwords.ts';
import { hashToken, newToken } from '../accounts/sessions.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import {
  findLinkableStaff,
  findResettableStaff,
  findStaffByOidc,
  findStaffCredentials,
  findUsableInvite,
  insertInvite,
  linkOidc,
  lockStaffUser,
  retireInvitesOf,
  spendInvite,
  updateStaffUser,
} from './auth.repository.ts';
import type { OidcIdentity } from './oidc.ts';
import { deleteStaffSessionsOf, recordStaffAudit } from './staff.repository.ts';

/** How long an invitation link works. */
export const INVITE_HOURS = 72;
/** How long a link to choose a new password works. */
export const RESET_HOURS = 1;

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

/** The "forgot your password?" form: only an address. */
export const forgotPasswordSchema = z.object({ email: emailSchema });

/** The form a password reset link opens: a new password. */
export const resetStaffPasswordSchema = z.object({
  token: z.string({ error: 'This link is not complete' }),
  password: newPasswordSchema,
});

export class InvalidResetLinkError extends AppError {
  constructor() {
    super(400, 'invalid_reset_link', 'This link to choose a new password has expired or has already been used. You can ask for a new one.');
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

/**
 * Makes an emailed link for a user (ending their earlier ones) inside the caller's transaction:
 * an invitation, or with `hours: RESET_HOURS` a password reset. Answers the token for the link.
 */
export async function issueInvite(tx: Db, { userId, by, hours = INVITE_HOURS }: { userId: number; by: number | null; hours?: number }): Promise<string> {
  await retireInvitesOf(tx, userId);
  const token = newToken();
  await insertInvite(tx, { tokenHash: hashToken(token), userId, invitedBy: by, expiresAt: new Date(Date.now() + hours * 3600_000) });
  return token;
}

/** The link a new member of staff opens. */
export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/staff/invite?token=${encodeURIComponent(token)}`;
}

/** Whom a still-usable invitation is for, or undefined for a malformed, expired or used one. */
export async function findInvite({ db, token }: { db: Db; token: string }): Promise<{ email: string; name: string } | undefined> {
  const link = await findStaffLink({ db, token });
  return link ? { email: link.email, name: link.name } : undefined;
}

/**
 * Whom a still-usable emailed link is for, and what it does: for someone who has not joined
 * yet it accepts the invitation; for someone who has (a password or single sign-on), it
 * chooses a new password. Undefined for a malformed, expired or used link.
 */
export async function findStaffLink({ db, token }: { db: Db; token: string }): Promise<{ email: string; name: string; joined: boolean } | undefined> {
  if (!tokenSchema.safeParse(token).success) return undefined;
  const link = await findUsableInvite(db, hashToken(token));
  return link ? { email: link.email, name: link.name, joined: link.joined } : undefined;
}

/**
 * "Forgot your password?": emails an enabled member of staff who has joined a link to choose a
 * new password, working once for an hour (earlier links stop working). For any other address
 * nothing is written or sent, and the caller answers alike, so no one learns who is on the staff.
 */
export async function requestStaffPasswordReset({
  db,
  email,
  publicUrl,
  mail,
  organization,
}: {
  db: Db;
  email: string;
  publicUrl: string;
  mail: Mail;
  organization: string;
}): Promise<void> {
  const user = await findResettableStaff(db, email);
  if (!user) return;
  const token = await db.transaction(async (tx) => {
    const issued = await issueInvite(tx, { userId: user.id, by: null, hours: RESET_HOURS });
    await recordStaffAudit(tx, { actorId: null, action: 'staff.password_reset_requested', subjectType: 'staff_user', subjectId: user.id });
    return issued;
  });
  await mail.send(resetPasswordMail({ to: user.email, name: user.name, url: resetUrl(publicUrl, token), organization }));
}

/** The link a member of staff who forgot their password opens. */
export function resetUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/staff/reset-password?token=${encodeURIComponent(token)}`;
}

/**
 * Sets a new password from a reset link: spends the link (once, even when used twice at the
 * same moment), replaces the password, ends every session of the person (whoever knew the old
 * password is signed out) and records it, in one transaction. Answers the user id to start
 * the new session for.
 */
export async function resetStaffPassword({ db, token, password }: { db: Db; token: string; password: string }): Promise<number> {
  const link = await findStaffLink({ db, token });
  if (!link?.joined) throw new InvalidResetLinkError();
  const problem = passwordProblem(password, link.email);
  if (problem) throw new ValidationError(problem, [{ field: 'password', message: problem }]);
  // Hashing takes a while; it happens before the transaction so that no row stays locked meanwhile.
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const userId = await spendInvite(tx, hashToken(token));
    if (userId === undefined) throw new InvalidResetLinkError();
    const user = await lockStaffUser(tx, userId);
    // Disabled since the link was opened: nothing changes, and the link stays unused (the transaction rolls back).
    if (!user || user.disabledAt) throw new InvalidResetLinkError();
    await updateStaffUser(tx, userId, { passwordHash });
    await deleteStaffSessionsOf(tx, userId);
    await recordStaffAudit(tx, {
      actorId: userId,
      action: 'staff.password_reset',
      subjectType: 'staff_user',
      subjectId: userId,
      before: { password: user.hasPassword ? 'set' : 'none' },
      after: { password: 'set', sessions: 'ended' },
    });
    return userId;
  });
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The email with the link to choose a new password: what it does, how long it works, and what to do if unasked. */
export function resetPasswordMail({ to, name, url, organization }: { to: string; name: string; url: string; organization: string }): OutgoingMail {
  const lines = [
    name ? `Hello ${name},` : 'Hello,',
    `Someone, probably you, asked to reset the password of your account in the ${organization} hiring workspace. Open the link below to choose a new one.`,
  ];
  const after = [
    `The link works once, for ${RESET_HOURS} hour. Choosing a new password signs you out everywhere else.`,
    'If you did not ask for this, you can ignore this email: your password stays as it is.',
  ];
  const text = [...lines, '', 'Choose a new password:', url, '', ...after, '', `— ${organization} hiring`].join('\n');
  const html = [
    ...lines.map((line) => `<p>${escape(line)}</p>`),
    `<p><a href="${escape(url)}">Choose a new password</a></p>`,
    ...after.map((line) => `<p>${escape(line)}</p>`),
    `<p>— ${escape(organization)} hiring</p>`,
  ].join('\n');
  return { kind: 'staff_password_reset', to, subject: `Choose a new password for the ${organization} hiring workspace`, text, html };
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
