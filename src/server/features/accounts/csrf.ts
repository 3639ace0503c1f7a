import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { cookieOptions } from './sessions.ts';

/** The hidden field every account form carries. */
export const CSRF_FIELD = '_csrf';
/** Before sign-in, forms are bound to this random cookie instead of a session. */
export const CSRF_COOKIE = 'dayone_csrf';

/**
 * Anti-forgery tokens, without state of their own. A signed-in form carries
 * HMAC(secret, session hash), so a token is useless in any other session; a signed-out form
 * (sign-in, sign-up…) carries HMAC(secret, a random cookie): a signed double submit, which
 * stops another site from signing someone into an account of the attacker's. Another site
 * can make the browser post but can neither read the page nor compute the HMAC.
 */
export function createCsrf({
  secret,
  secure,
  sessionOf = (request) => request.candidate?.sessionHash,
}: {
  secret: string;
  secure: boolean;
  /** The hash of the request's session, which signed-in forms are bound to (the candidate's by default). */
  sessionOf?: (request: FastifyRequest) => string | undefined;
}) {
  const sign = (binding: string) => createHmac('sha256', secret).update(`csrf\0${binding}`).digest('base64url');

  function bindings(request: FastifyRequest): { session?: string; anonymous?: string } {
    const anonymous = request.cookies[CSRF_COOKIE];
    const sessionHash = sessionOf(request);
    return {
      ...(sessionHash ? { session: `session:${sessionHash}` } : {}),
      ...(anonymous ? { anonymous: `anonymous:${anonymous}` } : {}),
    };
  }

  return {
    /** The token for the forms of this page, setting the pre-sign-in cookie when it is missing. */
    token(request: FastifyRequest, reply: FastifyReply): string {
      const { session, anonymous } = bindings(request);
      if (session) return sign(session);
      if (anonymous) return sign(anonymous);
      const value = randomBytes(32).toString('base64url');
      // A session cookie (no max-age): it only needs to outlive the form.
      const { maxAge: _maxAge, ...options } = cookieOptions(secure, 0);
      void reply.setCookie(CSRF_COOKIE, value, options);
      // Later code in this request (a sign-in that renders a form again) sees the same cookie.
      request.cookies[CSRF_COOKIE] = value;
      return sign(`anonymous:${value}`);
    },

    /**
     * Throws 403 unless the submitted token matches. `signedIn` forms accept only the session's
     * token; signed-out forms accept either, so a form opened before signing in elsewhere still works.
     */
    verify(request: FastifyRequest, submitted: unknown, { signedIn }: { signedIn: boolean }): void {
      const { session, anonymous } = bindings(request);
      const accepted = signedIn ? [session] : [session, anonymous];
      const given = Buffer.from(typeof submitted === 'string' ? submitted : '');
      const ok = accepted.some((binding) => {
        if (!binding) return false;
        const expected = Buffer.from(sign(binding));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      if (!ok) {
        throw new AppError(
          403,
          'csrf_invalid',
          'This form could not be accepted: it has expired or did not come from this site. Go back, reload the page and try again. (Your browser must accept cookies from this site.)',
        );
      }
    },
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
