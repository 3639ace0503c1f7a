import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { findSession, slideSession } from './accounts.repository.ts';

/** The cookie that carries a candidate's session token. */
export const SESSION_COOKIE = 'dayone_session';
/** A session ends this long after it was last used. */
export const SESSION_DAYS = 30;
/** last_seen_at is written at most this often, so that reading pages does not write on every request. */
const SLIDE_AFTER_MS = 60 * 60 * 1000;

/** The signed-in candidate of a request. */
export interface Candidate {
  personId: number;
  email: string;
  emailVerified: boolean;
  /** SHA-256 of this session's token: names the session without holding the token. */
  sessionHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in candidate, read from the session cookie on account routes; null when signed out. */
    candidate: Candidate | null;
  }
}

/** A new random token for a cookie or an emailed link: 32 bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sessionExpiry(from = new Date()): Date {
  return new Date(from.getTime() + SESSION_DAYS * 86_400_000);
}

/** Cookie settings: never readable by scripts, sent on top-level navigations from other sites but not on their POSTs. */
export function cookieOptions(secure: boolean, maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure, maxAge: maxAgeSeconds };
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, cookieOptions(secure, SESSION_DAYS * 86_400));
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(secure, 0));
}

/**
 * Reads the session cookie into `request.candidate`. A session in use is extended (sliding
 * expiry) at most once an hour, and its cookie with it; an unknown or expired one is cleared.
 */
export function readCandidateSession({ db, secure }: { db: Db; secure: boolean }) {
  return async function candidateSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.candidate = null;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const sessionHash = hashToken(token);
    const found = await findSession(db, sessionHash);
    if (!found) {
      clearSessionCookie(reply, secure);
      return;
    }
    request.candidate = { personId: found.personId, email: found.email, emailVerified: found.emailVerifiedAt !== null, sessionHash };
    if (Date.now() - found.lastSeenAt.getTime() > SLIDE_AFTER_MS) {
      await slideSession(db, sessionHash, sessionExpiry());
      setSessionCookie(reply, token, secure);
    }
  };
}

/** The cookie that remembers which address this browser signed up with, until the address is confirmed. */
export const SIGN_UP_COOKIE = 'dayone_signup';

/** What the sign-up cookie holds for an address: an HMAC, so it reveals nothing and cannot be forged. */
export function signUpProof(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`sign-up\u0000${email.trim().toLowerCase()}`).digest('base64url');
}
