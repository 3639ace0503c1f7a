import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, isGlobalAction, isInterviewAction, isLoopAction, type Action, type StaffRole, type TeamRole } from '../../../domain/policy.ts';
import type { Page } from '../../../web/careers/pages.tsx';
import { renderPage } from '../../../web/render.tsx';
import type { SiteContext } from '../../../web/ui/Document.tsx';
import type { StaffChrome } from '../../../web/staff/layout.tsx';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import type { ContentService } from '../content/content.service.ts';
import type { Mail } from '../mail/mail.types.ts';
import { createCsrf, CSRF_FIELD, type Csrf } from '../accounts/csrf.ts';
import { cookieOptions, hashToken, newToken } from '../accounts/sessions.ts';
import {
  countUnreadNotifications,
  deleteStaffSession,
  findApplicationTeamRole,
  findInterviewAccess,
  findJobTeamRole,
  findStaffSession,
  insertStaffSession,
  isLoopMember,
  slideStaffSession,
} from './staff.repository.ts';

/** The cookie of a staff session. Sent only under /staff, so public and candidate pages never carry it. */
export const STAFF_COOKIE = 'dayone_staff';
export const STAFF_COOKIE_PATH = '/staff';
/** A staff session ends after this long without a request… */
export const DEFAULT_STAFF_IDLE_MINUTES = 60;
/** …and in any case this long after sign-in. */
const STAFF_SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often. */
const SLIDE_AFTER_MS = 60 * 1000;

/** The signed-in member of staff of a request. */
export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  barRaiser: boolean;
  demo: boolean;
  sessionHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member of staff on /staff routes; null when signed out. */
    staff: StaffUser | null;
  }
}

/** What a route's handler is told besides the request: who asks, and about which job. */
export interface StaffContext {
  user: StaffUser;
  /** The job the request is about (given directly, or through its application). */
  jobId?: number;
  applicationId?: number;
  interviewId?: number;
  /** The user's place on that job's hiring team. */
  teamRole: TeamRole | null;
  /** For interview routes: whether the interview is the user's own. */
  isInterviewer?: boolean;
  /** For loop routes (feedback.read): whether the user is a member of the application's loop. */
  loopMember?: boolean;
}

/** Which job a route is about, read from its URL parameters. */
export type RouteTarget =
  | { kind: 'none' }
  | { kind: 'job'; param: string }
  | { kind: 'application'; param: string }
  | { kind: 'interview'; param: string };

export interface StaffRouteDef {
  method: 'GET' | 'POST';
  url: string;
  /** The policy action checked before the handler runs. */
  action: Action;
  /** For job-scoped actions: where the job comes from. */
  target?: RouteTarget;
  handler: (request: FastifyRequest, reply: FastifyReply, context: StaffContext) => unknown;
}

/** One row of the table of every staff route, for the authorization matrix test. */
export interface StaffRouteEntry {
  method: 'GET' | 'POST';
  url: string;
  action: Action;
  target: RouteTarget['kind'];
}

/** What a feature with staff pages gets. */
export interface StaffScope {
  app: FastifyInstance;
  db: Db;
  config: Config;
  mail: Mail;
  files: FileStore;
  content: ContentService;
  csrf: Csrf;
  /** URLs of the enhancement scripts by name (src/web/client). */
  scripts: Readonly<Record<string, string>>;
  site(): SiteContext;
  organization(): string;
  /** Declares a route: a staff session is required, POSTs carry the CSRF token, and the policy decides before the handler runs. */
  route(def: StaffRouteDef): void;
  /** Declares a route open to signed-out staff (sign-in, invites, single sign-on). */
  publicRoute(def: { method: 'GET' | 'POST'; url: string; handler: (request: FastifyRequest, reply: FastifyReply) => unknown }): void;
  /** What the page frame needs: the organization, who is signed in, the sign-out form's token, unread notifications. */
  chrome(request: FastifyRequest, reply: FastifyReply): Promise<StaffChrome>;
  /** Sends a page with no-store caching. */
  show(reply: FastifyReply, page: Page, status?: number): FastifyReply;
  /** Starts a staff session for `userId` and sets its cookie. */
  signIn(request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void>;
  /** Ends this request's staff session and clears its cookie. */
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export type StaffExtension = (scope: StaffScope) => void | Promise<void>;

export interface StaffRoutesDeps {
  db: Db;
  config: Config;
  mail: Mail;
  files: FileStore;
  content: ContentService;
  site: (snapshot: ReturnType<ContentService['current']>) => SiteContext;
  scripts: Readonly<Record<string, string>>;
  extensions: StaffExtension[];
  /** Minutes of inactivity that end a staff session (60 unless a test wants fewer). */
  idleMinutes?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every staff route with its policy action, in registration order. */
    staffRouteTable: StaffRouteEntry[];
  }
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * The staff workspace under /staff: one encapsulated scope with its own session cookie, the
 * form parser and the session hook. Every route is declared through `route`, which checks the
 * policy (src/domain/policy.ts) before any handler runs.
 */
export function staffRoutes(app: FastifyInstance, deps: StaffRoutesDeps): void {
  const table: StaffRouteEntry[] = [];
  app.decorate('staffRouteTable', table);
  void app.register(async (scope) => staffPlugin(scope, deps, table));
}

async function staffPlugin(app: FastifyInstance, deps: StaffRoutesDeps, table: StaffRouteEntry[]): Promise<void> {
  const { db, config, content } = deps;
  if (!config.sessionSecret) throw new Error('The staff workspace needs config.sessionSecret (see withSessionSecret)');
  const secure = config.publicUrl.startsWith('https:');
  const idleMs = (deps.idleMinutes ?? DEFAULT_STAFF_IDLE_MINUTES) * 60_000;
  const csrf = createCsrf({ secret: config.sessionSecret, secure, sessionOf: (request) => request.staff?.sessionHash });

  if (!app.hasReplyDecorator('setCookie')) await app.register(cookie);
  if (!app.hasContentTypeParser(FORM)) {
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 256 * 1024 }, (_request, body, done) => {
      // Repeated names (checkboxes) become arrays; single ones stay strings.
      const out: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(body as string)) {
        const seen = out[key];
        out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
      }
      done(null, out);
    });
  }
  app.decorateRequest('staff', null);

  const staffCookie = (maxAgeSeconds: number) => ({ ...cookieOptions(secure, maxAgeSeconds), path: STAFF_COOKIE_PATH });
  const clearCookie = (reply: FastifyReply) => void reply.clearCookie(STAFF_COOKIE, staffCookie(0));

  app.addHook('preHandler', async (request, reply) => {
    request.staff = null;
    const token = request.cookies[STAFF_COOKIE];
    if (!token) return;
    const sessionHash = hashToken(token);
    const found = await findStaffSession(db, sessionHash);
    const now = Date.now();
    if (!found || now - found.lastSeenAt.getTime() > idleMs || now - found.createdAt.getTime() > STAFF_SESSION_MAX_MS) {
      if (found) await deleteStaffSession(db, sessionHash);
      clearCookie(reply);
      return;
    }
    request.staff = { id: found.id, email: found.email, name: found.name, role: found.role, barRaiser: found.barRaiser, demo: found.demo, sessionHash };
    if (now - found.lastSeenAt.getTime() > SLIDE_AFTER_MS) await slideStaffSession(db, sessionHash, new Date(now + idleMs));
  });

  const organization = () => content.current()?.organization ?? 'Day One';
  const site = () => deps.site(content.current());

  function show(reply: FastifyReply, page: Page, status = 200): FastifyReply {
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderPage(page, site()));
  }

  async function resolve(request: FastifyRequest, user: StaffUser, def: StaffRouteDef): Promise<StaffContext> {
    const target = def.target ?? { kind: 'none' };
    const params = request.params as Record<string, string>;
    if (target.kind === 'none') {
      if (!isGlobalAction(def.action)) throw new Error(`${def.method} ${def.url}: ${def.action} needs a job target`);
      if (!can(user, def.action)) throw forbidden();
      return { user, teamRole: null };
    }
    if (isGlobalAction(def.action)) throw new Error(`${def.method} ${def.url}: ${def.action} takes no target`);
    const id = parseId(params[target.param]);
    if (target.kind === 'interview' || isInterviewAction(def.action)) {
      if (target.kind !== 'interview' || !isInterviewAction(def.action)) throw new Error(`${def.method} ${def.url}: ${def.action} and an ${target.kind} target do not go together`);
      const found = id === undefined ? undefined : await findInterviewAccess(db, id, user.id);
      if (!found || id === undefined) throw new NotFoundError('There is no such interview.');
      if (!can(user, def.action, found)) throw forbidden();
      return { user, jobId: found.jobId, applicationId: found.applicationId, interviewId: id, teamRole: found.teamRole, isInterviewer: found.isInterviewer };
    }
    if (target.kind === 'job') {
      if (isLoopAction(def.action)) throw new Error(`${def.method} ${def.url}: ${def.action} needs an application target`);
      const found = id === undefined ? undefined : await findJobTeamRole(db, id, user.id);
      if (!found || id === undefined) throw new NotFoundError('There is no such job.');
      if (!can(user, def.action, found)) throw forbidden();
      return { user, jobId: id, teamRole: found.teamRole };
    }
    const found = id === undefined ? undefined : await findApplicationTeamRole(db, id, user.id);
    if (!found || id === undefined) throw new NotFoundError('There is no such application.');
    if (isLoopAction(def.action)) {
      const loopMember = await isLoopMember(db, id, user.id);
      if (!can(user, def.action, { ...found, loopMember })) throw forbidden();
      return { user, jobId: found.jobId, applicationId: id, teamRole: found.teamRole, loopMember };
    }
    if (!can(user, def.action, found)) throw forbidden();
    return { user, jobId: found.jobId, applicationId: id, teamRole: found.teamRole };
  }

  const scope: StaffScope = {
    app,
    db,
    config,
    mail: deps.mail,
    files: deps.files,
    content,
    csrf,
    scripts: deps.scripts,
    site,
    organization,
    show,
    route(def) {
      table.push({ method: def.method, url: def.url, action: def.action, target: def.target?.kind ?? 'none' });
      app.route({
        method: def.method,
        url: def.url,
        handler: async (request, reply) => {
          const user = request.staff;
          if (!user) {
            if (def.method === 'GET') {
              const next = encodeURIComponent(request.url);
              return reply.redirect(`/staff/sign-in?next=${next}`, 303);
            }
            throw new AppError(401, 'signed_out', 'Your session has ended. Sign in again and repeat what you were doing.');
          }
          if (def.method === 'POST') csrf.verify(request, (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD], { signedIn: true });
          const context = await resolve(request, user, def);
          return def.handler(request, reply, context);
        },
      });
    },
    publicRoute(def) {
      app.route({ method: def.method, url: def.url, handler: (request, reply) => def.handler(request, reply) });
    },
    async chrome(request, reply) {
      const user = request.staff;
      return {
        organization: organization(),
        user: user ? { name: user.name, role: user.role, demo: user.demo } : null,
        csrf: csrf.token(request, reply),
        unread: user ? await countUnreadNotifications(db, user.id) : 0,
        isAdmin: user?.role === 'admin',
        may: {
          users: user ? can(user, 'users.manage') : false,
          settings: user ? can(user, 'settings.manage') : false,
          audit: user ? can(user, 'audit.view') : false,
          outbox: user ? can(user, 'outbox.view') : false,
          reports: user ? can(user, 'reports.view') : false,
        },
      };
    },
    async signIn(request, reply, userId) {
      const token = newToken();
      await insertStaffSession(db, { tokenHash: hashToken(token), userId, expiresAt: new Date(Date.now() + idleMs), userAgent: request.headers['user-agent'] ?? null });
      void reply.setCookie(STAFF_COOKIE, token, staffCookie(Math.floor(STAFF_SESSION_MAX_MS / 1000)));
    },
    async signOut(request, reply) {
      if (request.staff) await deleteStaffSession(db, request.staff.sessionHash);
      clearCookie(reply);
    },
  };

  for (const extension of deps.extensions) await extension(scope);
}

function forbidden(): AppError {
  return new AppError(403, 'forbidden', 'Your role does not allow this. Ask an admin or the job’s hiring team if you need access.');
}

/** A positive integer id from a URL parameter, or undefined. */
export function parseId(raw: string | undefined): number | undefined {
  if (!raw || !/^\d{1,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}
