import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FormError } from '../../../shared/contracts/account.ts';
import {
  staffAuthProblemPage,
  staffForgotPasswordPage,
  staffInvitePage,
  staffNewPasswordPage,
  staffResetSentPage,
  staffSignInPage,
} from '../../../web/staff/auth.tsx';
import { AppError } from '../../errors.ts';
import { CSRF_FIELD } from '../accounts/csrf.ts';
import { cookieOptions } from '../accounts/sessions.ts';
import { DEFAULT_LIMITS, emailKey, hitRateLimits, ipKey, type Counter, type Rule } from '../accounts/rate-limit.ts';
import { hasDemoStaff } from './auth.repository.ts';
import {
  acceptInvite,
  acceptInviteSchema,
  findStaffLink,
  forgotPasswordSchema,
  InvalidInviteError,
  InvalidResetLinkError,
  requestStaffPasswordReset,
  resetStaffPassword,
  resetStaffPasswordSchema,
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
  /** "Forgot your password?" requests allowed per client IP and per typed email; the candidate reset's unless a test wants fewer. */
  resetLimits?: { ip: Rule; email: Rule };
}

type Body = Record<string, unknown>;
type Query = Record<string, string | undefined>;

/** The rate-limit counters of the staff sign-in form, apart from the candidates'. */
const LIMIT_ACTION = 'staff-sign-in';
/** …and of the staff "forgot your password?" form. */
const RESET_LIMIT_ACTION = 'staff-reset';

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
  const resetLimits = options.resetLimits ?? DEFAULT_LIMITS.reset;
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

  async function showProblem(
    request: FastifyRequest,
    reply: FastifyReply,
    problem: { title: string; message: string; status: number; next?: { href: string; label: string } },
  ) {
    const page = staffAuthProblemPage({
      chrome: await scope.chrome(request, reply),
      title: problem.title,
      message: problem.message,
      path: request.url.split('?')[0]!,
      next: problem.next,
    });
    return scope.show(reply, page, problem.status);
  }

  /** Counts an attempt of a signed-out form per client and per typed address; answers the seconds to wait, or null. */
  async function limited(request: FastifyRequest, reply: FastifyReply, action: string, rules: { ip: Rule; email: Rule }, email: string) {
    const counters: Counter[] = [{ key: ipKey(action, request.ip), rule: rules.ip }];
    if (email) counters.push({ key: emailKey(action, email), rule: rules.email });
    const retryAfter = await hitRateLimits({ db, counters });
    if (retryAfter === null) return null;
    void reply.header('retry-after', String(retryAfter));
    return `Too many attempts. For your safety, please wait ${waitText(retryAfter)} and try again.`;
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
      const tooMany = await limited(request, reply, LIMIT_ACTION, limits, email);
      if (tooMany) return showSignIn(request, reply, { email, errors: [{ field: '', message: tooMany }], status: 429 });
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

  // ── Forgot your password? ────────────────────────────────────────────────
  const showForgot = async (request: FastifyRequest, reply: FastifyReply, state: { email?: string; errors?: FormError[]; status?: number } = {}) =>
    scope.show(reply, staffForgotPasswordPage({ chrome: await scope.chrome(request, reply), email: state.email ?? '', errors: state.errors ?? [] }), state.status ?? 200);

  scope.publicRoute({
    method: 'GET',
    url: '/staff/forgot-password',
    handler: async (request, reply) =>
      query(request).sent !== undefined ? scope.show(reply, staffResetSentPage({ chrome: await scope.chrome(request, reply) })) : showForgot(request, reply),
  });

  scope.publicRoute({
    method: 'POST',
    url: '/staff/forgot-password',
    handler: async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      scope.csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
      const email = typedEmail(body);
      const tooMany = await limited(request, reply, RESET_LIMIT_ACTION, resetLimits, email);
      if (tooMany) return showForgot(request, reply, { email, errors: [{ field: '', message: tooMany }], status: 429 });
      const input = parse(forgotPasswordSchema, body);
      if ('errors' in input) return showForgot(request, reply, { email, errors: input.errors, status: 400 });
      await requestStaffPasswordReset({ db, email: input.data.email, publicUrl: config.publicUrl, mail: scope.mail, organization: scope.organization() });
      // The same answer whether or not the address belongs to anyone.
      return reply.redirect('/staff/forgot-password?sent', 303);
    },
  });

  // ── Accept an invitation, or choose a new password ───────────────────────
  // Both are emailed links of one kind (staff_invites); whom a link is for decides what it does:
  // someone who has not joined yet accepts the invitation, someone who has chooses a new password.
  // The two addresses differ only in the words of the page shown for a link that cannot be used.
  const spentLink: Record<string, { title: string; message: string; status: number; next?: { href: string; label: string } }> = {
    '/staff/invite': { title: 'This invitation cannot be used', message: new InvalidInviteError().message, status: 400 },
    '/staff/reset-password': {
      title: 'This link cannot be used',
      message: new InvalidResetLinkError().message,
      status: 400,
      next: { href: '/staff/forgot-password', label: 'Ask for a new link' },
    },
  };

  for (const [url, spent] of Object.entries(spentLink)) {
    scope.publicRoute({
      method: 'GET',
      url,
      handler: async (request, reply) => {
        // Opening the link changes nothing, so a mail scanner that follows it cannot use it up.
        const token = query(request).token ?? '';
        const link = await findStaffLink({ db, token });
        if (!link) return showProblem(request, reply, spent);
        const chrome = await scope.chrome(request, reply);
        return scope.show(reply, link.joined ? staffNewPasswordPage({ chrome, token, email: link.email }) : staffInvitePage({ chrome, token, email: link.email, name: link.name }));
      },
    });

    scope.publicRoute({
      method: 'POST',
      url,
      handler: async (request, reply) => {
        const body = (request.body ?? {}) as Body;
        scope.csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
        const token = typeof body.token === 'string' ? body.token : '';
        const link = await findStaffLink({ db, token });
        if (!link) return showProblem(request, reply, spent);
        const name = typeof body.name === 'string' ? body.name.trim().slice(0, 200) : '';
        // A refused form comes back with what was typed, except the password.
        const refuse = async (errors: FormError[]) => {
          const chrome = await scope.chrome(request, reply);
          return scope.show(reply, link.joined ? staffNewPasswordPage({ chrome, token, email: link.email, errors }) : staffInvitePage({ chrome, token, email: link.email, name, errors }), 400);
        };
        try {
          let userId: number;
          if (link.joined) {
            const input = parse(resetStaffPasswordSchema, body);
            if ('errors' in input) return await refuse(input.errors);
            userId = await resetStaffPassword({ db, ...input.data });
          } else {
            const input = parse(acceptInviteSchema, body);
            if ('errors' in input) return await refuse(input.errors);
            userId = await acceptInvite({ db, ...input.data });
          }
          return await startSession(request, reply, userId, '/staff');
        } catch (error) {
          if (error instanceof InvalidInviteError || error instanceof InvalidResetLinkError) return showProblem(request, reply, spent);
          if (error instanceof AppError && error.fields.length) return refuse(error.fields);
          throw error;
        }
      },
    });
  }

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
