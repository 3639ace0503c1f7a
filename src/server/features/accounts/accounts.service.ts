import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ValidationError } from '../../errors.ts';
import type { Mail } from '../mail/mail.types.ts';
import { signUpProof } from './sessions.ts';
import { accountExistsMail, resetPasswordMail, signInLinkMail, verifyEmailMail } from './accounts.emails.ts';
import {
  clearPassword,
  consumeToken,
  deleteSession,
  deleteSessionsOf,
  findPersonByEmail,
  findPersonById,
  findUsableToken,
  insertAccountIfAbsent,
  insertAudit,
  insertPersonIfAbsent,
  insertSession,
  insertToken,
  markEmailVerified,
  spendTokensOf,
  updatePassword,
  type TokenPurpose,
} from './accounts.repository.ts';
import { hashToken, newToken, sessionExpiry } from './sessions.ts';

/** What the account use cases need: the database, mail, and where links point. */
export interface AccountsDeps {
  db: Db;
  mail: Mail;
  publicUrl: string;
  organization: string;
}

/** How long each emailed link works. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 3600_000,
  reset_password: 3600_000,
  sign_in: 15 * 60_000,
};


const COMMON_PASSWORDS = new Set(
  readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line && !line.startsWith('#')),
);


/** A refusal of a password that is long enough but easy to guess; the form shows it beside the field. */
export function passwordProblem(password: string, email: string): string | undefined {
  const lower = password.toLowerCase();
  const address = email.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'This password is one of the most common ones, so it is easy to guess. Choose another';
  if (lower === address || lower === address.split('@')[0]) return 'Choose a password that is not your email address';
  return undefined;
}

function refuseWeak(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new ValidationError(problem, [{ field: 'password', message: problem }]);
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'The email address or password is not right.', [
      { field: 'email', message: 'The email address or password is not right' },
    ]);
  }
}

export class InvalidLinkError extends AppError {
  constructor() {
    super(400, 'invalid_link', 'This link has expired or has already been used. You can ask for a new one.');
  }
}

const link = (deps: AccountsDeps, path: string, token: string) => `${deps.publicUrl}${path}${encodeURIComponent(token)}`;

async function issueToken(tx: Db, personId: number, purpose: TokenPurpose): Promise<string> {
  const token = newToken();
  await insertToken(tx, { tokenHash: hashToken(token), purpose, personId, expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]) });
  return token;
}

/** Starts a session in `tx` and records how the person signed in; returns the cookie's token. */
async function startSession(tx: Db, personId: number, method: string, userAgent: string | null): Promise<string> {
  const token = newToken();
  await insertSession(tx, { tokenHash: hashToken(token), personId, expiresAt: sessionExpiry(), userAgent: userAgent?.slice(0, 400) ?? null });
  await insertAudit(tx, { action: 'session.signed_in', personId, actor: 'candidate', after: { method } });
  return token;
}

/** A new session: the token for the cookie and whose it is. */
export interface SignedIn {
  sessionToken: string;
  personId: number;
}

/**
 * Creates an account for the address, or links one to the person who already has it (say,
 * from an application), and emails a verification link. When the address already has an
 * account, nothing changes and the owner is told by email instead: the caller answers the same
 * in every case, so the form never reveals whether an address is registered.
 */
export async function signUp(deps: AccountsDeps & { email: string; password: string }): Promise<void> {
  const { db, email, password } = deps;
  refuseWeak(password, email);
  // Hash first, in every case, so that a known address answers as slowly as a new one.
  const passwordHash = await hashPassword(password);
  const outcome = await db.transaction(async (tx) => {
    const person = await insertPersonIfAbsent(tx, email);
    const created = await insertAccountIfAbsent(tx, { personId: person.personId, passwordHash });
    if (created) {
      await insertAudit(tx, {
        action: 'account.created',
        personId: person.personId,
        actor: 'anonymous',
        after: { method: 'password', linkedToExistingPerson: !person.created },
      });
      return { kind: 'created' as const, token: await issueToken(tx, person.personId, 'verify_email') };
    }
    const existing = await findPersonById(tx, person.personId);
    const verified = existing?.account?.emailVerifiedAt != null;
    return { kind: 'exists' as const, email: existing?.email ?? email, verified };
  });
  if (outcome.kind === 'created') {
    await deps.mail.send(verifyEmailMail({ to: email, url: link(deps, '/account/verify?token=', outcome.token), organization: deps.organization }));
  } else {
    await deps.mail.send(
      accountExistsMail({
        to: outcome.email,
        organization: deps.organization,
        publicUrl: deps.publicUrl,
        // Never a confirm link here: confirming would hand the address to whoever chose the
        // account's password. The owner takes it over with a reset instead.
        verifyUrl: undefined,
      }),
    );
  }
}

/** Signs in with a password. Unknown addresses, accounts without a password and wrong passwords all fail alike. */
export async function signInWithPassword(deps: { db: Db; email: string; password: string; userAgent: string | null }): Promise<SignedIn> {
  const person = await findPersonByEmail(deps.db, deps.email);
  const hash = person?.account?.passwordHash;
  const matches = await verifyPassword(hash, deps.password);
  if (!person || !matches) throw new InvalidCredentialsError();
  const sessionToken = await deps.db.transaction((tx) => startSession(tx, person.personId, 'password', deps.userAgent));
  return { sessionToken, personId: person.personId };
}

/** Whether an emailed link still works, for the page that asks to confirm it. */
export async function isLinkUsable(deps: { db: Db; token: string; purpose: TokenPurpose }): Promise<boolean> {
  return (await findUsableToken(deps.db, hashToken(deps.token), deps.purpose)) !== undefined;
}

/**
 * The first proof that the mailbox belongs to the person. Anyone can open an account with an
 * address that is not theirs and choose its password; once the owner proves the mailbox, that
 * stranger must lose every way in. So every session ends, and a password chosen before the
 * proof is kept only when the proof comes from the very browser that chose it.
 */
async function firstProofOfMailbox(tx: Db, personId: number, provedInSignUpBrowser: boolean, via: string): Promise<void> {
  await deleteSessionsOf(tx, personId);
  if (!provedInSignUpBrowser) await clearPassword(tx, personId);
  await insertAudit(tx, { action: 'email.verified', personId, actor: 'candidate', after: { via, passwordKept: provedInSignUpBrowser } });
}

/**
 * Confirms the address from the emailed link and signs the person in, since the link proves the
 * mailbox is theirs. `signUpCookie` is what this browser kept from signing up (see signUpProof).
 */
export async function verifyEmail(deps: { db: Db; token: string; userAgent: string | null; signUpCookie?: string | undefined; secret: string }): Promise<SignedIn> {
  return deps.db.transaction(async (tx) => {
    const personId = await consumeToken(tx, hashToken(deps.token), 'verify_email');
    if (personId === undefined) throw new InvalidLinkError();
    if (await markEmailVerified(tx, personId)) {
      const person = await findPersonById(tx, personId);
      const sameBrowser = Boolean(person && deps.signUpCookie && safeEqual(deps.signUpCookie, signUpProof(deps.secret, person.email)));
      await firstProofOfMailbox(tx, personId, sameBrowser, 'verify_email');
    }
    return { personId, sessionToken: await startSession(tx, personId, 'verify_email', deps.userAgent) };
  });
}

/** Emails a new verification link to a signed-in candidate whose address is not confirmed yet. */
export async function resendVerification(deps: AccountsDeps & { personId: number }): Promise<void> {
  const person = await findPersonById(deps.db, deps.personId);
  if (!person?.account || person.account.emailVerifiedAt) return;
  const token = await deps.db.transaction(async (tx) => {
    const issued = await issueToken(tx, deps.personId, 'verify_email');
    await insertAudit(tx, { action: 'email.verification_sent', personId: deps.personId, actor: 'candidate' });
    return issued;
  });
  await deps.mail.send(verifyEmailMail({ to: person.email, url: link(deps, '/account/verify?token=', token), organization: deps.organization }));
}

/**
 * Emails a one-time sign-in link when the address belongs to a person (with or without an
 * account yet); otherwise does nothing. The caller answers the same either way.
 */
export async function requestSignInLink(deps: AccountsDeps & { email: string }): Promise<void> {
  const person = await findPersonByEmail(deps.db, deps.email);
  if (!person) return;
  const token = await deps.db.transaction(async (tx) => {
    const issued = await issueToken(tx, person.personId, 'sign_in');
    await insertAudit(tx, { action: 'session.link_requested', personId: person.personId, actor: 'anonymous' });
    return issued;
  });
  await deps.mail.send(signInLinkMail({ to: person.email, url: link(deps, '/account/sign-in/link/', token), organization: deps.organization }));
}

/** Signs in with an emailed link; a person without an account gets one (without a password), verified. */
export async function signInWithLink(deps: { db: Db; token: string; userAgent: string | null }): Promise<SignedIn> {
  return deps.db.transaction(async (tx) => {
    const personId = await consumeToken(tx, hashToken(deps.token), 'sign_in');
    if (personId === undefined) throw new InvalidLinkError();
    if (await insertAccountIfAbsent(tx, { personId, passwordHash: null, emailVerifiedAt: new Date() })) {
      await insertAudit(tx, { action: 'account.created', personId, actor: 'candidate', after: { method: 'link' } });
    } else if (await markEmailVerified(tx, personId)) {
      // Whoever chose the password never proved the mailbox; the link's owner did.
      await firstProofOfMailbox(tx, personId, false, 'sign_in_link');
    }
    return { personId, sessionToken: await startSession(tx, personId, 'link', deps.userAgent) };
  });
}

/** Emails a password-reset link when the address belongs to a person; otherwise does nothing. */
export async function requestPasswordReset(deps: AccountsDeps & { email: string }): Promise<void> {
  const person = await findPersonByEmail(deps.db, deps.email);
  if (!person) return;
  const token = await deps.db.transaction(async (tx) => {
    const issued = await issueToken(tx, person.personId, 'reset_password');
    await insertAudit(tx, { action: 'password.reset_requested', personId: person.personId, actor: 'anonymous' });
    return issued;
  });
  await deps.mail.send(resetPasswordMail({ to: person.email, url: link(deps, '/account/reset/', token), organization: deps.organization }));
}

/**
 * Sets a new password from a reset link. Every other session and every outstanding emailed
 * link of the person stop working (whoever knew the old password is signed out), the address
 * counts as verified, and the person is signed in here.
 */
export async function resetPassword(deps: { db: Db; token: string; password: string; userAgent: string | null }): Promise<SignedIn> {
  const personId = await findUsableToken(deps.db, hashToken(deps.token), 'reset_password');
  if (personId === undefined) throw new InvalidLinkError();
  const person = await findPersonById(deps.db, personId);
  refuseWeak(deps.password, person?.email ?? '');
  const passwordHash = await hashPassword(deps.password);
  return deps.db.transaction(async (tx) => {
    if ((await consumeToken(tx, hashToken(deps.token), 'reset_password')) !== personId) throw new InvalidLinkError();
    if (await insertAccountIfAbsent(tx, { personId, passwordHash, emailVerifiedAt: new Date() })) {
      await insertAudit(tx, { action: 'account.created', personId, actor: 'candidate', after: { method: 'password_reset' } });
    } else {
      await updatePassword(tx, personId, passwordHash);
      if (await markEmailVerified(tx, personId)) await insertAudit(tx, { action: 'email.verified', personId, actor: 'candidate', after: { via: 'password_reset' } });
    }
    await insertAudit(tx, { action: 'password.changed', personId, actor: 'candidate', after: { via: 'reset' } });
    await spendTokensOf(tx, personId);
    const revoked = await deleteSessionsOf(tx, personId);
    await insertAudit(tx, { action: 'session.revoked_all', personId, actor: 'candidate', after: { sessions: revoked, reason: 'password_reset' } });
    return { personId, sessionToken: await startSession(tx, personId, 'password_reset', deps.userAgent) };
  });
}

/** Ends this session. */
export async function signOut(deps: { db: Db; personId: number; sessionHash: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (await deleteSession(tx, deps.sessionHash)) await insertAudit(tx, { action: 'session.signed_out', personId: deps.personId, actor: 'candidate' });
  });
}

/** Ends every session of the person, on every device. */
export async function signOutEverywhere(deps: { db: Db; personId: number }): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const revoked = await deleteSessionsOf(tx, deps.personId);
    await insertAudit(tx, { action: 'session.revoked_all', personId: deps.personId, actor: 'candidate', after: { sessions: revoked } });
    return revoked;
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
