import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors.ts';
import type { AccountScope } from '../accounts/accounts.routes.ts';
import { CSRF_FIELD } from '../accounts/csrf.ts';

export type Body = Record<string, unknown>;

/** A job or alert id from a URL or form: a positive 32-bit integer, or a 404. */
export function idParam(value: unknown): number {
  const id = typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new NotFoundError();
  return id;
}

/**
 * The candidate of a signed-in form post, its anti-forgery token checked (a 403 otherwise);
 * signed out, null after answering with a redirect to sign in.
 */
export function signedInPost(csrf: AccountScope['csrf'], request: FastifyRequest, reply: FastifyReply) {
  const candidate = request.candidate;
  if (!candidate) {
    void reply.redirect('/account/sign-in', 303);
    return null;
  }
  csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: true });
  return candidate;
}
