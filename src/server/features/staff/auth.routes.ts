import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FormError } from '../../../shared/contracts/account.ts';
import { staffAuthProblemPage, staffInvitePage, staffSignInPage } from '../../../web/staff/auth.tsx';
import { AppError } from '../../errors.ts';
import { CSRF_FIELD } from '../accounts/csrf.ts';
import { cookieOptions } from '../accounts/sessions.ts';
import { DEFAULT_LIMITS, emailKey, hitRateLimits, ipKey, type Counter, type Rule } from '../accounts/rate-limit.ts';
import { hasDemoStaff } from './auth.repository.ts';
import {
  acceptInvite,
  acceptInviteSchema,
  findInvite,
  InvalidInviteError,
  safeNext,
  signInWithOidc,
  signInWithPassword,
  SsoNotStaffError,
  staffSignInSchema,
} from './auth.service.ts';
import { createOidcClient, SSO_ATTEMPT_SECONDS, SSO_COOKIE, SSO_COOKIE_PATH, SsoError } from './oidc.ts';
import { deleteStaffSession } from './staff.repository.ts';
import type { StaffExtension, StaffScope } from './staff.scope.ts';
import { parse, usersRoutes } from './users.routes.ts';

export interface StaffAuthOptions {
  /** Sign-in attempts allowed per client IP and per typed email; the candidate sign-in's unless a test wants fewer. */
  limits?: { ip: Rule; email: Rule };
}

type Body = Record<string, unknown>;
type Query = Record<string, string | undefined>;

/** The rate-limit counters of the staff sign-in form, apart from the candidates'. */
const LIMIT_ACTION = 'staff-sign-in';

/**
 * Staff sign-in and sign-out, invitations, OpenID Connect single sign-on and the users pages:
 * one extension of the /staff scope.
 */
export function staffAuthExtension(options: StaffAuthOptions = {}): StaffExtension {
  return (scope) => {
    authRoutes(scope, options);
    usersRoutes(scope);
  };
}

function authRoutes(scope: StaffScope, options: StaffAuthOptions): void {
  const { db, config } = scope;
  const limits = options.limits ?? DEFAULT_LIMITS.signIn;
  const secure = config.publicUrl.startsWith('https:');
  const oidc = config.oidc ? createOidcClient({ settings: config.oidc, publicUrl: config.publicUrl, secret: config.sessionSecret! }) : undefined;
  const sso = oidc ? { label: oidc.label } : undefined;
  const ssoCookie = (maxAge: number) => ({ ...cookieOptions(secure, maxAge), path: SSO_COOKIE_PATH });

  const query = (request: FastifyRequest) => (request.query ?? {}) as Query;
  /** The typed email, kept to show again on the form; a password never is. */
  const typedEmail = (body: Body) => (typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '');

  async function showSignIn(request: FastifyRequest, reply: FastifyReply, state: { email?: string; errors?: FormError[]; status?: number } = {}) {
    const signedOut = query(request)['signed-out'] !== undefined;
    const page = staffSignInPage({
      chrome: await scope.chrome(request, reply),
      email: state.email ?? '',
      next: safeNext(query(request).next),
      errors: state.errors ?? [],
      notice: signedOut && !state.errors ? 'signed-out' : undefined,
      sso,
      demo: await hasDemoStaff(db),
    });
    return scope.show(reply, page, state.status ?? 200);
  }

  async function showProblem(request: FastifyRequest, reply: FastifyReply, problem: { title: string; message: string; status: number }) {
    const page = staffAuthProblemPage({ chrome: await scope.chrome(request, reply), title: problem.title, message: problem.message, path: request.url.split('?')[0]! });
    return scope.show(reply, page, problem.status);
  }

  /** Starts the session, replacing one this browser had, and goes where the person was heading. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: number, next: string) {
    if (request.staff) await deleteStaffSession(db, request.staff.sessionHash);
    await scope.signIn(request, reply, userId);
    return reply.redirect(next, 303);
  }

  // ── Sign in with a password ──────────────────────────────────────────────
  scope.publicRoute({
    method: 'GET',
    url: '/staff/sign-in',
    handler: (request, reply) => (request.staff ? reply.redirect('/staff', 303) : showSignIn(request, reply)),
  });

  scope.publicRoute({
    method: 'POST',
    url: '/staff/sign-in',
    handler: async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      scope.csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
      const email = typedEmail(body);
      const counters: Counter[] = [{ key: ipKey(LIMIT_ACTION, request.ip), rule: limits.ip }];
      if (email) counters.push({ key: emailKey(LIMIT_ACTION, email), rule: limits.email });
      const retryAfter = await hitRateLimits({ db, counters });
      if (retryAfter !== null) {
        void reply.header('retry-after', String(retryAfter));
        const message = `Too many attempts. For your safety, please wait ${waitText(retryAfter)} and try again.`;
        return showSignIn(request, reply, { email, errors: [{ field: '', message }], status: 429 });
      }
      const input = parse(staffSignInSchema, body);
      if ('errors' in input) return showSignIn(request, reply, { email, errors: input.errors, status: 400 });
      try {
        const userId = await signInWithPassword({ db, ...input.data });
        return await startSession(request, reply, userId, safeNext(query(request).next));
      } catch (error) {
        if (error instanceof AppError && error.fields.length) return showSignIn(request, reply, { email, errors: error.fields, status: error.status });
        throw error;
      }
    },
  });

  // ── Sign out ─────────────────────────────────────────────────────────────
  scope.route({
    method: 'POST',
    url: '/staff/sign-out',
    action: 'workspace.view',
    handler: async (request, reply) => {
      await scope.signOut(request, reply);
      return reply.redirect('/staff/sign-in?signed-out', 303);
    },
  });

  // ── Accept an invitation ─────────────────────────────────────────────────
  const spentInvite = { title: 'This invitation cannot be used', message: new InvalidInviteError().message, status: 400 };

  scope.publicRoute({
    method: 'GET',
    url: '/staff/invite',
    handler: async (request, reply) => {
      // Opening the link changes nothing, so a mail scanner that follows it cannot use it up.
      const token = query(request).token ?? '';
      const invite = await findInvite({ db, token });
      if (!invite) return showProblem(request, reply, spentInvite);
      return scope.show(reply, staffInvitePage({ chrome: await scope.chrome(request, reply), token, email: invite.email, name: invite.name }));
    },
  });

  scope.publicRoute({
    method: 'POST',
    url: '/staff/invite',
    handler: async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      scope.csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
      const token = typeof body.token === 'string' ? body.token : '';
      const invite = await findInvite({ db, token });
      if (!invite) return showProblem(request, reply, spentInvite);
      const name = typeof body.name === 'string' ? body.name.trim().slice(0, 200) : '';
      const refuse = async (errors: FormError[]) =>
        scope.show(reply, staffInvitePage({ chrome: await scope.chrome(request, reply), token, email: invite.email, name, errors }), 400);
      const input = parse(acceptInviteSchema, body);
      if ('errors' in input) return refuse(input.errors);
      try {
        const userId = await acceptInvite({ db, ...input.data });
        return await startSession(request, reply, userId, '/staff');
      } catch (error) {
        if (error instanceof InvalidInviteError) return showProblem(request, reply, spentInvite);
        if (error instanceof AppError && error.fields.length) return refuse(error.fields);
        throw error;
      }
    },
  });

  // ── Single sign-on (OpenID Connect) ──────────────────────────────────────
  if (!oidc) return;

  scope.publicRoute({
    method: 'GET',
    url: '/staff/sso/start',
    handler: async (request, reply) => {
      if (request.staff) return reply.redirect('/staff', 303);
      try {
        const { url, cookie } = await oidc.start({ next: safeNext(query(request).next) });
        void reply.setCookie(SSO_COOKIE, cookie, ssoCookie(SSO_ATTEMPT_SECONDS));
        return reply.redirect(url, 303);
      } catch (error) {
        if (!(error instanceof SsoError)) throw error;
        request.log.warn({ err: error.cause ?? error }, 'single sign-on could not start');
        return showProblem(request, reply, { title: 'Single sign-on is not available', message: error.message, status: error.status });
      }
    },
  });

  scope.publicRoute({
    method: 'GET',
    url: '/staff/sso/callback',
    handler: async (request, reply) => {
      // The attempt is over whatever happens next: a second visit of this URL starts nothing.
      void reply.clearCookie(SSO_COOKIE, ssoCookie(0));
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      try {
        const { identity, next } = await oidc.finish({ query: search, cookie: request.cookies[SSO_COOKIE] });
        const userId = await signInWithOidc({ db, identity, label: oidc.label });
        return await startSession(request, reply, userId, next);
      } catch (error) {
        if (error instanceof SsoError) {
          request.log.warn({ err: error.cause ?? error }, 'single sign-on failed');
          return showProblem(request, reply, { title: 'Single sign-on did not work', message: error.message, status: error.status });
        }
        if (error instanceof SsoNotStaffError) {
          return showProblem(request, reply, { title: 'No staff account for you here', message: error.message, status: 403 });
        }
        throw error;
      }
    },
  });
}

/** "1 minute", "15 minutes", "1 hour". */
function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes >= 60 && minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
