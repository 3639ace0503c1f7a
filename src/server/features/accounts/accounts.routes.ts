import { join } from 'node:path';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  EMAIL_SENT_REASONS,
  emailOnlySchema,
  resetPasswordSchema,
  signInSchema,
  signUpSchema,
  tokenSchema,
  type EmailSentReason,
  type FormError,
  type FormState,
} from '../../../shared/contracts/account.ts';
import type { ContentSnapshot } from '../../../shared/contracts/content.ts';
import {
  accountHomePage,
  confirmLinkPage,
  emailRequestPage,
  emailSentPage,
  linkProblemPage,
  newPasswordPage,
  signInPage,
  signUpPage,
} from '../../../web/account/pages.tsx';
import type { Page } from '../../../web/careers/pages.tsx';
import { renderPage } from '../../../web/render.tsx';
import type { SiteContext } from '../../../web/ui/Document.tsx';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { folderFileStore, type FileStore } from '../../files/file-store.ts';
import type { ContentService } from '../content/content.service.ts';
import type { Mail } from '../mail/mail.types.ts';
import { candidateRoutes } from './candidate.routes.ts';
import { listCandidateApplications } from './candidate.service.ts';
import { listCandidateOffers } from '../offers/offers.service.ts';
import {
  InvalidLinkError,
  isLinkUsable,
  requestPasswordReset,
  requestSignInLink,
  resendVerification,
  resetPassword,
  signInWithLink,
  signInWithPassword,
  signOut,
  signOutEverywhere,
  signUp,
  verifyEmail,
  type SignedIn,
} from './accounts.service.ts';
import { createCsrf, CSRF_FIELD, type Csrf } from './csrf.ts';
import { DEFAULT_LIMITS, emailKey, hitRateLimits, ipKey, type AccountLimits, type Counter, type Rule } from './rate-limit.ts';
import { clearSessionCookie, cookieOptions, readCandidateSession, setSessionCookie, SIGN_UP_COOKIE, signUpProof } from './sessions.ts';

/** What the account routes need, wired by hand in buildApp. */
export interface AccountsRoutesDeps {
  db: Db;
  config: Config;
  mail: Mail;
  site: (snapshot: ContentSnapshot | undefined) => SiteContext;
  content: ContentService;
  /** Rate limits; the defaults unless a test wants smaller ones. */
  limits?: AccountLimits;
  /** Other features' signed-in pages, registered inside the same scope (session, cookies, form parser). */
  extensions?: AccountExtension[];
  /** Anti-forgery tokens, shared with the apply form that signed-in candidates post too (made here when absent). */
  csrf?: Csrf;
  /** Where resumes are kept: the same store the apply routes use (DATA_DIR/files when absent). */
  files?: FileStore;
}

/** What a feature with signed-in pages gets from the account scope. */
export interface AccountScope {
  /** The encapsulated app: its routes see request.candidate and parse HTML form posts. */
  app: FastifyInstance;
  /** Anti-forgery tokens: put `token()` in every form as CSRF_FIELD; `verify()` every POST (signedIn: true). */
  csrf: ReturnType<typeof createCsrf>;
  /** Sends a page with no-store caching. */
  show(reply: FastifyReply, page: Page, status?: number): FastifyReply;
  organization(): string;
}

/** Registers a feature's routes in the account scope. */
export type AccountExtension = (scope: AccountScope) => void | Promise<void>;

type Body = Record<string, unknown>;

const FORM = 'application/x-www-form-urlencoded';

/**
 * Candidate accounts: sign-up, sign-in by password or emailed link, email verification,
 * password reset, sign-out and sign-out everywhere, and the /account page.
 *
 * Registers one encapsulated plugin, so the session cookie, the form parser and the
 * session-reading hook apply to these routes only: public pages stay free of database reads.
 * Call it before the app is ready; it needs no `await`.
 */
export function accountsRoutes(app: FastifyInstance, deps: AccountsRoutesDeps): void {
  const csrf =
    deps.csrf ?? (deps.config.sessionSecret ? createCsrf({ secret: deps.config.sessionSecret, secure: deps.config.publicUrl.startsWith('https:') }) : null);
  void app.register(async (scope) => accountsPlugin(scope, deps, csrf));
}

async function accountsPlugin(app: FastifyInstance, deps: AccountsRoutesDeps, csrfOrNull: Csrf | null): Promise<void> {
  const { db, config, mail, site, content } = deps;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  if (!csrfOrNull) throw new Error('Candidate accounts need config.sessionSecret (see withSessionSecret)');
  const csrf = csrfOrNull;
  const secure = config.publicUrl.startsWith('https:');

  if (!app.hasReplyDecorator('setCookie')) await app.register(cookie);
  if (!app.hasContentTypeParser(FORM)) {
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }
  app.decorateRequest('candidate', null);
  app.addHook('preHandler', readCandidateSession({ db, secure }));

  const organization = () => content.current()?.organization ?? 'Day One';
  const mailDeps = () => ({ db, mail, publicUrl: config.publicUrl, organization: organization() });
  const userAgent = (request: FastifyRequest) => request.headers['user-agent'] ?? null;

  function show(reply: FastifyReply, page: Page, status = 200): FastifyReply {
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderPage(page, site(content.current())));
  }

  function signedIn(reply: FastifyReply, session: SignedIn, to = '/account'): FastifyReply {
    setSessionCookie(reply, session.sessionToken, secure);
    return reply.redirect(to, 303);
  }

  /** The typed email, kept to show again on the form; a password never is. */
  const typedEmail = (body: Body) => (typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '');

  /** Checks the anti-forgery token, then counts the attempt per IP and per typed email; answers seconds to wait, or null. */
  async function guard(request: FastifyRequest, body: Body, rules: { ip: Rule; email: Rule }, action: string): Promise<number | null> {
    csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
    const counters: Counter[] = [{ key: ipKey(action, request.ip), rule: rules.ip }];
    const email = typedEmail(body);
    if (email) counters.push({ key: emailKey(action, email), rule: rules.email });
    return hitRateLimits({ db, counters });
  }

  /** Re-shows a refused form with what was typed (never a password) and why. */
  function refuse(reply: FastifyReply, status: number, build: (state: FormState) => Page, email: string, errors: FormError[]): FastifyReply {
    return show(reply, build({ values: { email }, errors }), status);
  }

  /** Re-shows a form refused for too many attempts: 429 with Retry-After and the wait in words. */
  function tooMany(reply: FastifyReply, build: (state: FormState) => Page, email: string, retryAfter: number): FastifyReply {
    void reply.header('retry-after', String(retryAfter));
    const message = `Too many attempts. For your safety, please wait ${waitText(retryAfter)} and try again.`;
    return refuse(reply, 429, build, email, [{ field: '', message }]);
  }

  /** Sign-up, sign-in and the emailed-link forms are only for people who are signed out. */
  const toAccountIfSignedIn = (request: FastifyRequest, reply: FastifyReply) => (request.candidate ? reply.redirect('/account', 303) : null);

  // ── Sign up ──────────────────────────────────────────────────────────────
  app.get('/account/sign-up', (request, reply) =>
    toAccountIfSignedIn(request, reply) ?? show(reply, signUpPage({ organization: organization(), csrf: csrf.token(request, reply) })),
  );

  app.post('/account/sign-up', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const build = (state: FormState) => signUpPage({ organization: organization(), csrf: csrf.token(request, reply), state });
    const limited = await guard(request, body, limits.signUp, 'sign-up');
    if (limited !== null) return tooMany(reply, build, typedEmail(body), limited);
    const input = parse(signUpSchema, body);
    if ('errors' in input) return refuse(reply, 400, build, typedEmail(body), input.errors);
    try {
      await signUp({ ...mailDeps(), ...input.data });
    } catch (error) {
      if (error instanceof AppError && error.fields.length) return refuse(reply, error.status, build, typedEmail(body), error.fields);
      throw error;
    }
    // Whatever the outcome (the answer never says whether the address was known), this browser
    // remembers the address it signed up with: confirming from here keeps the chosen password.
    void reply.setCookie(SIGN_UP_COOKIE, signUpProof(config.sessionSecret!, input.data.email), cookieOptions(secure, 86_400));
    return reply.redirect('/account/email-sent?reason=sign-up', 303);
  });

  app.get<{ Querystring: { reason?: string } }>('/account/email-sent', (request, reply) => {
    const reason = EMAIL_SENT_REASONS.find((r) => r === request.query.reason) ?? 'link';
    return show(reply, emailSentPage({ organization: organization(), reason: reason as EmailSentReason }));
  });

  // ── Verify the email address ─────────────────────────────────────────────
  app.get<{ Querystring: { token?: string } }>('/account/verify', async (request, reply) => {
    const token = request.query.token ?? '';
    if (!tokenSchema.safeParse(token).success || !(await isLinkUsable({ db, token, purpose: 'verify_email' }))) {
      return show(reply, linkProblemPage({ organization: organization(), kind: 'verify' }), 400);
    }
    return show(reply, confirmLinkPage({ organization: organization(), csrf: csrf.token(request, reply), kind: 'verify', action: '/account/verify', token }));
  });

  app.post('/account/verify', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
    const token = typeof body.token === 'string' ? body.token : '';
    const session = await usingLink(reply, 'verify', () =>
      verifyEmail({ db, token, userAgent: userAgent(request), signUpCookie: request.cookies[SIGN_UP_COOKIE], secret: config.sessionSecret! }),
    );
    if (session) void reply.clearCookie(SIGN_UP_COOKIE, { path: '/' });
    return session ? signedIn(reply, session, '/account?notice=verified') : reply;
  });

  app.post('/account/verify/resend', async (request, reply) => {
    const candidate = request.candidate;
    if (!candidate) return reply.redirect('/account/sign-in', 303);
    const body = (request.body ?? {}) as Body;
    csrf.verify(request, body[CSRF_FIELD], { signedIn: true });
    const retryAfter = await hitRateLimits({ db, counters: [{ key: emailKey('resend', candidate.email), rule: limits.resend.email }] });
    if (retryAfter !== null) {
      void reply.header('retry-after', String(retryAfter));
      const notice = `We have sent several links already. Please wait ${waitText(retryAfter)} before asking for another.`;
      return show(reply, accountHomePage({ organization: organization(), csrf: csrf.token(request, reply), account: { ...candidate, notice } }), 429);
    }
    await resendVerification({ ...mailDeps(), personId: candidate.personId });
    return reply.redirect('/account?notice=verification-sent', 303);
  });

  // ── Sign in with a password ──────────────────────────────────────────────
  app.get<{ Querystring: { 'signed-out'?: string } }>('/account/sign-in', (request, reply) => {
    const signedOut = request.query['signed-out'];
    const notice =
      signedOut === 'everywhere' ? 'You are signed out on every device.' : signedOut !== undefined ? 'You are signed out.' : undefined;
    return (
      toAccountIfSignedIn(request, reply) ??
      show(reply, signInPage({ organization: organization(), csrf: csrf.token(request, reply), ...(notice ? { notice } : {}) }))
    );
  });

  app.post('/account/sign-in', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const build = (state: FormState) => signInPage({ organization: organization(), csrf: csrf.token(request, reply), state });
    const limited = await guard(request, body, limits.signIn, 'sign-in');
    if (limited !== null) return tooMany(reply, build, typedEmail(body), limited);
    const input = parse(signInSchema, body);
    if ('errors' in input) return refuse(reply, 400, build, typedEmail(body), input.errors);
    try {
      const session = await signInWithPassword({ db, ...input.data, userAgent: userAgent(request) });
      await endCurrentSession(request);
      return signedIn(reply, session);
    } catch (error) {
      if (error instanceof AppError && error.fields.length) return refuse(reply, error.status, build, typedEmail(body), error.fields);
      throw error;
    }
  });

  // ── Sign in with an emailed link ─────────────────────────────────────────
  app.get('/account/sign-in/link', (request, reply) =>
    toAccountIfSignedIn(request, reply) ?? show(reply, emailRequestPage({ organization: organization(), csrf: csrf.token(request, reply), kind: 'link' })),
  );

  app.post('/account/sign-in/link', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const build = (state: FormState) => emailRequestPage({ organization: organization(), csrf: csrf.token(request, reply), kind: 'link', state });
    const limited = await guard(request, body, limits.link, 'link');
    if (limited !== null) return tooMany(reply, build, typedEmail(body), limited);
    const input = parse(emailOnlySchema, body);
    if ('errors' in input) return refuse(reply, 400, build, typedEmail(body), input.errors);
    await requestSignInLink({ ...mailDeps(), email: input.data.email });
    return reply.redirect('/account/email-sent?reason=link', 303);
  });

  app.get<{ Params: { token: string } }>('/account/sign-in/link/:token', async (request, reply) => {
    const { token } = request.params;
    if (!tokenSchema.safeParse(token).success || !(await isLinkUsable({ db, token, purpose: 'sign_in' }))) {
      return show(reply, linkProblemPage({ organization: organization(), kind: 'link' }), 400);
    }
    const action = `/account/sign-in/link/${encodeURIComponent(token)}`;
    return show(reply, confirmLinkPage({ organization: organization(), csrf: csrf.token(request, reply), kind: 'link', action }));
  });

  app.post<{ Params: { token: string } }>('/account/sign-in/link/:token', async (request, reply) => {
    csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: false });
    const session = await usingLink(reply, 'link', () => signInWithLink({ db, token: request.params.token, userAgent: userAgent(request) }));
    if (!session) return reply;
    await endCurrentSession(request);
    return signedIn(reply, session);
  });

  // ── Reset a forgotten password ───────────────────────────────────────────
  app.get('/account/reset', (request, reply) =>
    show(reply, emailRequestPage({ organization: organization(), csrf: csrf.token(request, reply), kind: 'reset' })),
  );

  app.post('/account/reset', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const build = (state: FormState) => emailRequestPage({ organization: organization(), csrf: csrf.token(request, reply), kind: 'reset', state });
    const limited = await guard(request, body, limits.reset, 'reset');
    if (limited !== null) return tooMany(reply, build, typedEmail(body), limited);
    const input = parse(emailOnlySchema, body);
    if ('errors' in input) return refuse(reply, 400, build, typedEmail(body), input.errors);
    await requestPasswordReset({ ...mailDeps(), email: input.data.email });
    return reply.redirect('/account/email-sent?reason=reset', 303);
  });

  app.get<{ Params: { token: string } }>('/account/reset/:token', async (request, reply) => {
    const { token } = request.params;
    if (!tokenSchema.safeParse(token).success || !(await isLinkUsable({ db, token, purpose: 'reset_password' }))) {
      return show(reply, linkProblemPage({ organization: organization(), kind: 'reset' }), 400);
    }
    return show(reply, newPasswordPage({ organization: organization(), csrf: csrf.token(request, reply), token }));
  });

  app.post<{ Params: { token: string } }>('/account/reset/:token', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const { token } = request.params;
    csrf.verify(request, body[CSRF_FIELD], { signedIn: false });
    const build = (state: FormState) => newPasswordPage({ organization: organization(), csrf: csrf.token(request, reply), token, state });
    const input = parse(resetPasswordSchema, body);
    if ('errors' in input) return refuse(reply, 400, build, '', input.errors);
    try {
      const session = await usingLink(reply, 'reset', () => resetPassword({ db, token, password: input.data.password, userAgent: userAgent(request) }));
      return session ? signedIn(reply, session, '/account?notice=password-changed') : reply;
    } catch (error) {
      if (error instanceof AppError && error.fields.length) return refuse(reply, error.status, build, '', error.fields);
      throw error;
    }
  });

  // ── The account page and signing out ─────────────────────────────────────
  app.get<{ Querystring: { notice?: string } }>('/account', async (request, reply) => {
    const candidate = request.candidate;
    if (!candidate) return reply.redirect('/account/sign-in', 303);
    const notice = NOTICES[request.query.notice ?? ''];
    // Only a verified address sees what is linked to it: an account someone else opened with it stays empty.
    const applications = candidate.emailVerified ? await listCandidateApplications({ db, personId: candidate.personId }) : undefined;
    const offers = candidate.emailVerified ? await listCandidateOffers({ db, personId: candidate.personId }) : undefined;
    return show(
      reply,
      accountHomePage({
        organization: organization(),
        csrf: csrf.token(request, reply),
        account: { email: candidate.email, emailVerified: candidate.emailVerified, ...(notice ? { notice } : {}) },
        ...(applications ? { applications } : {}),
        ...(offers ? { offers } : {}),
      }),
    );
  });

  app.post('/account/sign-out', async (request, reply) => {
    const candidate = request.candidate;
    if (candidate) {
      csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: true });
      await signOut({ db, personId: candidate.personId, sessionHash: candidate.sessionHash });
    }
    clearSessionCookie(reply, secure);
    return reply.redirect('/account/sign-in?signed-out', 303);
  });

  app.post('/account/sign-out-everywhere', async (request, reply) => {
    const candidate = request.candidate;
    if (!candidate) return reply.redirect('/account/sign-in', 303);
    csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: true });
    await signOutEverywhere({ db, personId: candidate.personId });
    clearSessionCookie(reply, secure);
    return reply.redirect('/account/sign-in?signed-out=everywhere', 303);
  });

  // The plugin loads when the app becomes ready, after applicationsRoutes has shared its store.
  const files = deps.files ?? folderFileStore(join(config.dataDir, 'files'));
  for (const extend of [candidateRoutes({ db, files }), ...(deps.extensions ?? [])]) await extend({ app, csrf, show, organization });

  /** Signing in again replaces the session this browser had, so an old token cannot linger. */
  async function endCurrentSession(request: FastifyRequest): Promise<void> {
    const current = request.candidate;
    if (current) await signOut({ db, personId: current.personId, sessionHash: current.sessionHash });
  }

  /** Runs a use case that spends an emailed link; an expired or used link shows the page that says so (400). */
  async function usingLink(reply: FastifyReply, kind: 'verify' | 'link' | 'reset', use: () => Promise<SignedIn>): Promise<SignedIn | null> {
    try {
      return await use();
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      show(reply, linkProblemPage({ organization: organization(), kind }), 400);
      return null;
    }
  }
}

const NOTICES: Record<string, string> = {
  verified: 'Thank you: your email address is confirmed.',
  'verification-sent': 'We have sent you a new confirmation link.',
  'password-changed': 'Your new password is saved, and every other session has been signed out.',
  withdrawn: 'Your application is withdrawn. Thank you for letting us know.',
};

/** Parses a form with its contract; on failure, one message per field in form order. */
function parse<T extends z.ZodType>(schema: T, body: Body): { data: z.infer<T> } | { errors: FormError[] } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { data: parsed.data };
  const errors: FormError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return { errors };
}

/** "1 minute", "15 minutes", "1 hour". */
function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes >= 60 && minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
