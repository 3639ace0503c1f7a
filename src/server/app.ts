import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import compress from '@fastify/compress';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { errorPage, notFoundPage } from '../web/careers/pages.tsx';
import { renderPage } from '../web/render.tsx';
import type { SiteContext } from '../web/ui/Document.tsx';
import type { ContentSnapshot } from '../shared/contracts/content.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { toErrorResponse } from './errors.ts';
import { apiRoutes } from './features/api/api.routes.ts';
import { accountsRoutes, type AccountExtension } from './features/accounts/accounts.routes.ts';
import { createCsrf } from './features/accounts/csrf.ts';
import { applicationsRoutes } from './features/applications/applications.routes.ts';
import { boardsRoutes } from './features/boards/boards.routes.ts';
import { privacyExtension } from './features/privacy/privacy.routes.ts';
import { savedJobsExtension } from './features/saved/saved.routes.ts';
import { alertsPublicRoutes } from './features/saved/alerts.routes.ts';
import { registerAlertWorkers } from './features/saved/alerts.service.ts';
import { registerRetentionWorker } from './features/privacy/retention.ts';
import { folderFileStore } from './files/file-store.ts';
import { s3FileStore } from './files/s3-file-store.ts';
import { careersRoutes } from './features/careers/careers.routes.ts';
import { createContentService, type ContentService } from './features/content/content.service.ts';
import { feedsRoutes } from './features/feeds/feeds.routes.ts';
import { healthRoutes } from './features/health/health.routes.ts';
import { watchCatalogVersion } from './features/jobs/catalog-version.ts';
import { jobsRoutes } from './features/jobs/jobs.routes.ts';
import { createJobSearch } from './features/jobs/search.service.ts';
import { createSearchIndexSync } from './features/jobs/search-index/search-index.sync.ts';
import { dispatchFairly } from './http/fair-dispatch.ts';
import { registerAssets } from './http/assets.ts';
import { redactUrl } from './http/redact.ts';
import { helmetHeaders } from './http/security-headers.ts';
import { createMailService, fromAddress, type MailService } from './features/mail/mail.service.ts';
import type { Queue } from './queue.ts';
import type { Mail } from './features/mail/mail.types.ts';
import type { AccountLimits, Rule } from './features/accounts/rate-limit.ts';
import { staffRoutes, type StaffExtension } from './features/staff/staff.scope.ts';
import { selfIdExtension } from './features/self-id/self-id.routes.ts';
import { staffAuthExtension, type StaffAuthOptions } from './features/staff/auth.routes.ts';
import { staffJobsExtension } from './features/staff-jobs/staff-jobs.routes.ts';
import { loopsExtension } from './features/loops/loops.routes.ts';
import { pipelineExtension } from './features/pipeline/pipeline.routes.ts';
import { debriefExtension } from './features/debrief/debrief.routes.ts';
import { offersExtension } from './features/offers/offers.routes.ts';
import { offersAccountExtension } from './features/offers/offers.account.ts';
import { registerOfferReminders } from './features/offers/offers.reminders.ts';
import { offerApprovalsWaiting } from './features/offers/offers.waiting.ts';
import { registerFeedbackReminders } from './features/loops/reminders.ts';
import { feedbackDueWaiting, upcomingInterviewsWaiting } from './features/loops/loops.waiting.ts';
import { feedbackExtension } from './features/feedback/feedback.routes.ts';
import { questionBankExtension } from './features/question-bank/question-bank.routes.ts';
import { workspaceExtension } from './features/workspace/workspace.routes.ts';
import type { WaitingSource } from './features/workspace/workspace.service.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  /** URLs per sitemap file before /sitemap.xml becomes an index (the sitemaps.org limit by default). */
  sitemapUrlLimit?: number;
  /** The job queue; with it this node delivers queued mail. Without it (tests, CLI) mail is only stored. */
  queue?: Queue;
  /** How features send mail, when not the mail service itself (tests record messages). */
  mail?: Mail;
  /** Rate limits of the account forms, when not the defaults (tests make them small). */
  accountLimits?: AccountLimits;
  /** Further signed-in pages registered in the account scope (tests add features not yet wired here). */
  accountExtensions?: AccountExtension[];
  /** Applications per client IP per window, when not the default (the apply benchmark lifts it). */
  applyLimit?: Rule;
  /** Further staff pages registered in the staff scope (tests add features not yet wired here). */
  staffExtensions?: StaffExtension[];
  /** Minutes without a request that end a staff session, when not the default (60). */
  staffIdleMinutes?: number;
  /** Further groups of "Waiting for you" on the staff home page (tests add their own). */
  staffWaiting?: WaitingSource[];
  /** Rate limits of the staff sign-in form, when not the defaults (tests make them small). */
  staffSignInLimits?: StaffAuthOptions['limits'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The content service of this app, for the CLI and tests. */
    content: ContentService;
    /** Email: SMTP through the job queue, or the database outbox. */
    mail: MailService;
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Builds the HTTP app from its dependencies, in a visible order: logging and security,
 * then services, then features. The caller listens and closes; the database is the caller's.
 */
export async function buildApp({ config, database, sitemapUrlLimit, queue, ...overrides }: AppDeps): Promise<FastifyInstance> {
  const https = config.publicUrl.startsWith('https:');
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Emailed-link tokens and API keys travel in URLs; logs keep the URL without them.
      serializers: {
        req: (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
        }),
      },
    },
    // Keep a proxy's request id when it sends a sane one, so logs join up across hops.
    genReqId: (request) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    routerOptions: { ignoreTrailingSlash: true },
    // Close keep-alive sockets that are idle at shutdown; requests in flight finish first.
    forceCloseConnections: 'idle',
    // Fastify takes a hop count too, though its types list only booleans and addresses.
    trustProxy: config.trustProxy as boolean | string,
    bodyLimit: 1024 * 1024,
  });
  // Under load, serve connections in turn rather than in the order epoll reports them.
  dispatchFairly(app.server);

  // Security headers: no script or style from anywhere but this origin, no inline script. Helmet
  // works out the headers once, here; each answer gets them in its reply's own header object, so
  // Node writes them with the rest in one pass (helmet's middleware per request cost about 12 µs:
  // twelve middleware calls, each a setHeader that Node merges again at writeHead).
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  });
  // One synchronous hook for the headers every answer carries (an async hook costs a promise
  // and a trip through the hook runner per request; set here, they also reach error answers).
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeaders).header('x-request-id', request.id);
    done();
  });
  // Compresses dynamic answers; cached pages arrive already compressed and are left alone, and
  // routes that negotiate their own encoding (SELF_ENCODED) skip its hooks.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });

  const content = createContentService({ db: database.db, log: app.log });
  app.decorate('content', content);
  await content.refresh();
  // Another node or the CLI may load new content into a shared database; notice it soon.
  const refresher = setInterval(() => {
    content.refresh().catch((error: unknown) => app.log.warn({ err: error }, 'content refresh failed'));
  }, config.contentRefreshMs);
  refresher.unref();
  app.addHook('onClose', async () => clearInterval(refresher));

  const mailService = createMailService({
    db: database.db,
    smtpUrl: config.smtpUrl,
    from: () => fromAddress(content.current()?.organization ?? 'Day One', config.publicUrl),
    log: app.log,
  });
  app.decorate('mail', mailService);
  if (queue) {
    await mailService.startWorker(queue);
    app.addHook('onClose', () => mailService.stopWorker());
  }
  const mail: Mail = overrides.mail ?? mailService;

  const assets = await registerAssets(app);
  const site = (snapshot: ContentSnapshot | undefined): SiteContext => ({
    organization: snapshot?.organization ?? 'Day One',
    publicUrl: config.publicUrl,
    stylesheet: assets.stylesheet,
  });

  const teamName = (slug: string) => content.current()?.teams.find((t) => t.slug === slug)?.name;
  // Search runs on an in-memory index of the public jobs. A small catalogue loads before the first
  // request; a large one (a million jobs: about half a minute) loads in the background while searches run in SQL.
  const searchIndex = createSearchIndexSync({ db: database.db, onError: (error) => app.log.error({ err: error }, 'search index') });
  await Promise.race([searchIndex.start(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  app.addHook('onClose', () => searchIndex.stop());
  const catalogVersion = await watchCatalogVersion(database);
  app.addHook('onClose', () => catalogVersion.close());
  const search = createJobSearch({
    db: database.db,
    publicUrl: config.publicUrl,
    teamName,
    index: searchIndex,
    cacheEntries: config.searchCacheEntries,
    catalogVersion: catalogVersion.read,
    contentVersion: () => content.current()?.version,
  });

  healthRoutes(app, { database, searchIndex });
  careersRoutes(app, { content, site, publicUrl: config.publicUrl });
  jobsRoutes(app, { db: database.db, content, search, site, publicUrl: config.publicUrl, searchScript: assets.searchScript });
  apiRoutes(app, { db: database.db, search, content, publicUrl: config.publicUrl, site });
  feedsRoutes(app, { db: database.db, config, ...(sitemapUrlLimit ? { sitemapUrlLimit } : {}) });
  const files = config.s3 ? s3FileStore(config.s3) : folderFileStore(join(config.dataDir, 'files'));
  boardsRoutes(app, { db: database.db, config, mail, files });
  // One anti-forgery helper for every cookie-authenticated form: the account pages and the apply form.
  // (No secret means no accounts: accountsRoutes refuses to start without one.)
  const csrf = config.sessionSecret ? createCsrf({ secret: config.sessionSecret, secure: https }) : undefined;
  accountsRoutes(app, {
    db: database.db,
    config,
    mail,
    ...(csrf ? { csrf } : {}),
    files,
    site,
    content,
    extensions: [
      privacyExtension({ db: database.db, files, publicUrl: config.publicUrl, log: app.log }),
      savedJobsExtension({ db: database.db, search, teamName }),
      offersAccountExtension({ db: database.db, mail, publicUrl: config.publicUrl }),
      ...(overrides.accountExtensions ?? []),
    ],
    ...(overrides.accountLimits ? { limits: overrides.accountLimits } : {}),
  });
  alertsPublicRoutes(app, { db: database.db, config, site, content });
  if (queue) {
    const stopDigests = await registerAlertWorkers(queue, {
      db: database.db,
      mail,
      search,
      publicUrl: config.publicUrl,
      secret: config.sessionSecret!,
      organization: () => content.current()?.organization ?? 'Day One',
      teamName,
    });
    app.addHook('onClose', stopDigests);
    const stopReminders = await registerFeedbackReminders(queue, {
      db: database.db,
      mail,
      publicUrl: config.publicUrl,
      organization: () => content.current()?.organization ?? 'Day One',
    });
    app.addHook('onClose', stopReminders);
    app.addHook('onClose', await registerOfferReminders(queue, { db: database.db, mail, publicUrl: config.publicUrl, organization: () => content.current()?.organization ?? 'Day One' }));
    await registerRetentionWorker(queue, { db: database.db, files, days: config.retentionDays, log: app.log });
    app.addHook('onClose', () => queue.offWork('privacy-retention'));
  }
  applicationsRoutes(app, {
    db: database.db,
    ...(csrf ? { csrf } : {}),
    files,
    mail,
    content,
    publicUrl: config.publicUrl,
    site,
    ...(overrides.applyLimit ? { applyLimit: overrides.applyLimit } : {}),
  });

  staffRoutes(app, {
    db: database.db,
    config,
    mail,
    files,
    content,
    site,
    scripts: assets.scripts,
    extensions: [
      staffAuthExtension(overrides.staffSignInLimits ? { limits: overrides.staffSignInLimits } : {}),
      staffJobsExtension(),
      pipelineExtension(),
      loopsExtension(),
      feedbackExtension(),
      questionBankExtension(),
      debriefExtension(),
      offersExtension(),
      workspaceExtension({ waiting: [upcomingInterviewsWaiting, feedbackDueWaiting, offerApprovalsWaiting, ...(overrides.staffWaiting ?? [])] }),
      selfIdExtension(), ...(overrides.staffExtensions ?? [])],
    ...(overrides.staffIdleMinutes ? { idleMinutes: overrides.staffIdleMinutes } : {}),
  });

  const wantsHtml = (request: FastifyRequest) =>
    !/^\/(api|v0|v1)\//.test(request.url) && (request.headers.accept ?? '').includes('text/html');

  app.setNotFoundHandler((request, reply) => {
    const path = requestPath(request);
    if (wantsHtml(request)) {
      const html = renderPage(notFoundPage(content.current(), path), site(content.current()));
      return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    }
    return reply.code(404).send({ code: 'not_found', message: `No route for ${request.method} ${path}` });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    if (!wantsHtml(request)) return reply.code(status).send(body);
    const snapshot = content.current();
    const path = requestPath(request);
    const page = status === 404 ? notFoundPage(snapshot, path) : errorPage(snapshot, status, body.message);
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderPage(page, site(snapshot)));
  });

  return app;
}

/** The decoded path of a request, for messages; React escapes it where it is shown. */
function requestPath(request: FastifyRequest): string {
  const raw = request.url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
