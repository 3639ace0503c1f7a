import { randomUUID } from 'node:crypto';
import { SELF_ID_SETTING } from '../../../domain/self-identification.ts';
import { getSetting } from '../staff/settings.repository.ts';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { alreadyAppliedPage, appliedPage, applyPage, applyPath, confirmApplicationPage, confirmedPage, privacyPage, type ApplyFormState } from '../../../web/careers/apply.tsx';
import { closedJobPage } from '../../../web/careers/jobs.tsx';
import type { Page } from '../../../web/careers/pages.tsx';
import { renderPage } from '../../../web/render.tsx';
import type { SiteContext } from '../../../web/ui/Document.tsx';
import type { ContentSnapshot } from '../../../shared/contracts/content.ts';
import type { PublicJob } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import type { Csrf } from '../accounts/csrf.ts';
import { applyPrefill } from '../accounts/candidate.service.ts';
import { CSRF_FIELD } from '../accounts/csrf.ts';
import { hitRateLimits, ipKey, type Rule } from '../accounts/rate-limit.ts';
import { readCandidateSession } from '../accounts/sessions.ts';
import type { ContentService } from '../content/content.service.ts';
import { parseJobId } from '../jobs/jobs.routes.ts';
import { findJobPage } from '../jobs/jobs.service.ts';
import type { Mail } from '../mail/mail.types.ts';
import { MAX_RESUME_BYTES } from './resumes.ts';
import { readFormParts, type FormParts } from './form-parts.ts';
import { applyForJob, confirmApplication, DuplicateApplicationError, type PostedFields } from './applications.service.ts';

export interface ApplicationsDeps {
  db: Db;
  files: FileStore;
  mail: Mail;
  content: ContentService;
  publicUrl: string;
  site: (snapshot: ContentSnapshot | undefined) => SiteContext;
  /** Applications per client IP address per hour. */
  applyLimit?: Rule;
  /** Anti-forgery tokens of candidate sessions; without it, signed-in posts are not recognised. */
  csrf?: Csrf;
}

const NO_STORE = 'no-store';

/**
 * Applying to a job, with or without an account, the confirmation page and link, and the
 * privacy notice. A signed-in candidate (the session is read in the apply scope only) gets the
 * form filled in from their profile and can reuse their latest resume; their posts carry the
 * session's anti-forgery token (`deps.csrf`, the same helper the account pages use).
 */
/** Whether an admin switched on the voluntary self-identification questions (off by default). */
async function asksSelfIdentification(db: Db): Promise<boolean> {
  return (await getSetting<boolean>(db, SELF_ID_SETTING)) === true;
}

export function applicationsRoutes(app: FastifyInstance, deps: ApplicationsDeps): void {
  const { db, content, publicUrl } = deps;
  const applyLimit = deps.applyLimit ?? { limit: 30, windowSeconds: 3600 };
  const csrf = deps.csrf ?? null;
  const secure = publicUrl.startsWith('https:');

  const snapshot = (): ContentSnapshot => {
    const current = content.current();
    if (!current) throw new AppError(503, 'no_content', 'No content pack is loaded yet.');
    return current;
  };
  const send = (reply: FastifyReply, status: number, page: Page) =>
    reply.code(status).header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(renderPage(page, deps.site(content.current())));

  /** The open job of the URL; a closed job's apply page shows the closed page, an old slug redirects. */
  async function openJob(request: FastifyRequest<{ Params: { id: string; slug: string } }>, reply: FastifyReply, suffix: string): Promise<PublicJob | undefined> {
    const id = parseJobId(request.params.id);
    const data = await findJobPage({ db, id });
    if (!data) throw new NotFoundError(`There is no job with the id ${id}.`);
    if (data.kind === 'closed') {
      await send(reply, 410, closedJobPage(snapshot(), data.job, data.similar));
      return undefined;
    }
    if (request.params.slug !== data.job.slug) {
      await reply.header('cache-control', 'public, max-age=3600').redirect(`${applyPath(data.job)}${suffix}`, 301);
      return undefined;
    }
    return data.job;
  }

  app.get('/privacy', (_request, reply) => send(reply, 200, privacyPage(snapshot())).header('cache-control', 'public, max-age=300'));

  app.register(async (scope) => {
    // Multipart only here: one file of at most 10 MB, and bounded fields.
    await scope.register(multipart, { limits: { fileSize: MAX_RESUME_BYTES, files: 1, fields: 100, fieldSize: 100_000, parts: 110 } });

    if (csrf) {
      // Sessions are read here, not app-wide, so other public pages stay free of database reads.
      if (!scope.hasReplyDecorator('setCookie')) await scope.register(cookie);
      scope.decorateRequest('candidate', null);
      scope.addHook('preHandler', readCandidateSession({ db, secure }));
    }

    /** The signed-in part of the form: the anti-forgery token and, once the address is verified, the resume to reuse. */
    async function signedInForm(request: FastifyRequest, reply: FastifyReply): Promise<{ account: ApplyFormState['account']; values: Record<string, string[]> }> {
      const candidate = csrf ? request.candidate : null;
      if (!csrf || !candidate) return { account: undefined, values: {} };
      const token = csrf.token(request, reply);
      // An account someone opened with another person's address must not reveal that person's profile.
      if (!candidate.emailVerified) return { account: { csrf: token }, values: { email: [candidate.email] } };
      const { values, latestResume } = await applyPrefill({ db, personId: candidate.personId });
      return { account: { csrf: token, ...(latestResume ? { latestResume } : {}) }, values };
    }

    scope.get<{ Params: { id: string; slug: string } }>('/jobs/:id/:slug/apply', async (request, reply) => {
      const job = await openJob(request, reply, '');
      if (!job) return reply;
      const { account, values } = await signedInForm(request, reply);
      const selfIdentification = await asksSelfIdentification(db);
      return send(
        reply,
        200,
        applyPage(snapshot(), job, { values, errors: [], idempotencyKey: randomUUID(), hadFile: false, selfIdentification, ...(account ? { account } : {}) }),
      );
    });

    scope.post<{ Params: { id: string; slug: string } }>('/jobs/:id/:slug/apply', async (request, reply) => {
      const job = await openJob(request, reply, '');
      if (!job) return reply;
      const retryAfter = await hitRateLimits({ db, counters: [{ key: ipKey('apply', request.ip), rule: applyLimit }] });
      if (retryAfter !== null) {
        void reply.header('retry-after', String(retryAfter));
        throw new AppError(429, 'too_many_requests', 'Too many applications from this address. Please wait a little and try again.');
      }
      if (!request.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the application form as multipart/form-data.');
      const { fields, resume }: { fields: PostedFields; resume: FormParts['resume'] } = await readFormParts(
        request,
        () => new AppError(413, 'file_too_large', 'The resume is larger than 10 MB. Send a smaller file, or paste your resume as text.'),
      );
      // A post that comes with a session must carry that session's token; an anonymous one needs none.
      if (csrf && request.candidate) csrf.verify(request, fields[CSRF_FIELD]?.[0], { signedIn: true });
      const { account } = await signedInForm(request, reply);
      const reuse = account?.latestResume && fields.resumeChoice?.[0] === 'latest' ? account.latestResume.id : undefined;
      const selfIdentification = await asksSelfIdentification(db);
      try {
        await applyForJob({
          db,
          files: deps.files,
          mail: deps.mail,
          publicUrl,
          log: request.log,
          job,
          fields,
          ...(reuse !== undefined ? { resume: undefined, reuseResumeId: reuse } : { resume }),
          ...(request.candidate?.emailVerified ? { signedInPersonId: request.candidate.personId } : {}),
          selfIdentification,
        });
      } catch (error) {
        if (error instanceof ValidationError) {
          const state: ApplyFormState = {
            values: fields,
            errors: error.fields,
            idempotencyKey: fields.idempotencyKey?.[0] && /^[0-9a-f-]{36}$/.test(fields.idempotencyKey[0]) ? fields.idempotencyKey[0] : randomUUID(),
            hadFile: resume !== undefined && reuse === undefined,
            selfIdentification,
            ...(account ? { account } : {}),
          };
          if (!wantsHtml(request)) throw error;
          return send(reply, 400, applyPage(snapshot(), job, state));
        }
        if (error instanceof DuplicateApplicationError && wantsHtml(request)) return send(reply, 409, alreadyAppliedPage(snapshot(), job));
        throw error;
      }
      // Post/redirect/get: reloading the thank-you page never sends the form again.
      return reply.redirect(`${applyPath(job)}/received`, 303);
    });

    scope.post('/applications/confirm', async (request, reply) => {
      let token: string | undefined;
      if (request.isMultipart()) {
        for await (const part of request.parts()) {
          if (part.type === 'field' && part.fieldname === 'token') token = String(part.value);
          // A file part must be read to the end, or the request never finishes.
          else if (part.type === 'file') await part.toBuffer();
        }
      }
      await confirmApplication({ db, token: checkToken(token) });
      return send(reply, 200, confirmedPage(snapshot()));
    });
  });

  app.get<{ Params: { id: string; slug: string } }>('/jobs/:id/:slug/apply/received', async (request, reply) => {
    const job = await openJob(request, reply, '/received');
    if (!job) return reply;
    return send(reply, 200, appliedPage(snapshot(), job));
  });

  const checkToken = (token: unknown): string => {
    if (typeof token !== 'string' || !/^[\w-]{20,100}$/.test(token)) {
      throw new AppError(400, 'invalid_link', 'This confirmation link is not complete. Open it from the email again.');
    }
    return token;
  };

  // Opening the link shows a button; only pressing it confirms, so mail scanners that follow links confirm nothing.
  app.get<{ Querystring: { token?: string } }>('/applications/confirm', async (request, reply) =>
    send(reply, 200, confirmApplicationPage(snapshot(), checkToken(request.query.token))),
  );
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
