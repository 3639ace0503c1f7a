import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError, toErrorResponse } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import { hitRateLimits, type Rule } from '../accounts/rate-limit.ts';
import { verifyApiKey, type ApiKeyRow } from '../apikeys/apikeys.service.ts';
import { readFormParts } from '../applications/form-parts.ts';
import { MAX_RESUME_BYTES } from '../applications/resumes.ts';
import type { Mail } from '../mail/mail.types.ts';
import { applyThroughGreenhouse, applyThroughLever, resumeTooLarge, type BoardApplication } from './apply.service.ts';

export interface BoardApplyDeps {
  db: Db;
  config: Config;
  files: FileStore;
  mail: Mail;
  /** Applications per API key, when not the default of 1,000 an hour. */
  applyLimit?: Rule;
}

/** A base64 resume of 10 MB is about 13.4 MB of JSON; leave room for the other fields. */
const JSON_BODY_LIMIT = Math.ceil((MAX_RESUME_BYTES * 4) / 3) + 1024 * 1024;
const MULTIPART_LIMITS = { fileSize: MAX_RESUME_BYTES, files: 2, fields: 200, fieldSize: 100_000, parts: 210 };

/**
 * The apply side of the two job-board APIs: `POST /v1/boards/{token}/jobs/{id}` as Greenhouse's
 * Job Board API takes it (API key as the HTTP Basic user name) and `POST /v0/postings/{site}/{id}`
 * as Lever's postings API takes it (`?key=`). Each lives in its own scope, so its errors answer in
 * that API's shape and multipart is read only here.
 */
export function boardApplyRoutes(app: FastifyInstance, deps: BoardApplyDeps): void {
  const { db, config } = deps;
  const applyLimit = deps.applyLimit ?? { limit: 1000, windowSeconds: 3600 };
  const keys = new WeakMap<FastifyRequest, ApiKeyRow>();

  /** The API key of the request, checked before its body is read; the limit counts per key. */
  const authenticate = async (request: FastifyRequest, key: string | undefined) => {
    const apiKey = key ? await verifyApiKey({ db, key }) : undefined;
    if (!apiKey) throw new AppError(401, 'unauthorized', 'A valid API key is required.');
    const retryAfter = await hitRateLimits({ db, counters: [{ key: `board-apply:key:${apiKey.id}`, rule: applyLimit }] });
    if (retryAfter !== null) throw Object.assign(new AppError(429, 'too_many_requests', 'Too many applications with this API key. Please wait a little and try again.'), { retryAfter });
    keys.set(request, apiKey);
  };

  const common = (request: FastifyRequest, application: BoardApplication) => {
    const header = request.headers['idempotency-key'];
    const idempotencyKey = typeof header === 'string' && header.trim() ? header.trim().slice(0, 200) : undefined;
    return { db, files: deps.files, mail: deps.mail, publicUrl: config.publicUrl, log: request.log, apiKeyId: keys.get(request)!.id, idempotencyKey, application };
  };

  app.register(async (scope) => {
    await prepare(scope);
    scope.addHook('onRequest', async (request) => authenticate(request, basicUser(request.headers.authorization)));
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const { status, body } = errorAnswer(error, reply);
      if (status === 401) void reply.header('www-authenticate', 'Basic realm="Job Board API", charset="UTF-8"');
      if (status >= 500) request.log.error({ err: error }, 'unhandled error');
      const message = status === 404 ? 'Job not found' : body.message;
      return reply.code(status).send({ status, error: message, ...(body.fields ? { fields: body.fields } : {}) });
    });

    scope.post<{ Params: { token: string; id: string } }>('/v1/boards/:token/jobs/:id', { bodyLimit: JSON_BODY_LIMIT }, async (request, reply) => {
      const { token, id } = request.params;
      if (token !== config.boardToken || !/^\d{1,9}$/.test(id)) throw new AppError(404, 'not_found', 'Job not found');
      const application = await readApplication(request);
      const result = await applyThroughGreenhouse({ ...common(request, application), jobId: Number(id) });
      if (!result) throw new AppError(404, 'not_found', 'Job not found');
      return reply.header('cache-control', 'no-store').send({ success: 'Candidate saved successfully', application_id: result.applicationId });
    });
  });

  app.register(async (scope) => {
    await prepare(scope);
    scope.addHook('onRequest', async (request) => authenticate(request, firstValue((request.query as Record<string, unknown>).key)));
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const { status, body } = errorAnswer(error, reply);
      if (status >= 500) request.log.error({ err: error }, 'unhandled error');
      const message = status === 404 ? 'Document not found' : body.message;
      return reply.code(status).send({ ok: false, error: message, ...(body.fields ? { fields: body.fields } : {}) });
    });

    scope.post<{ Params: { site: string; id: string } }>('/v0/postings/:site/:id', { bodyLimit: JSON_BODY_LIMIT }, async (request, reply) => {
      if (request.params.site !== config.boardToken) throw new AppError(404, 'not_found', 'Document not found');
      const application = await readApplication(request);
      const result = await applyThroughLever({ ...common(request, application), postingId: request.params.id });
      if (!result) throw new AppError(404, 'not_found', 'Document not found');
      return reply.header('cache-control', 'no-store').send({ ok: true, applicationId: String(result.applicationId) });
    });
  });
}

/** Multipart (read part by part, with limits), JSON (Fastify's parser) and URL-encoded forms, in this scope only. */
async function prepare(scope: FastifyInstance): Promise<void> {
  await scope.register(multipart, { limits: MULTIPART_LIMITS });
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields: Record<string, string[]> = {};
    for (const [name, value] of new URLSearchParams(body as string)) (fields[name] ??= []).push(value);
    done(null, fields);
  });
}

/** Status and body of an error, with Retry-After for a rate limit. */
function errorAnswer(error: Error, reply: FastifyReply) {
  const retryAfter = (error as { retryAfter?: number }).retryAfter;
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  const answer = toErrorResponse(error);
  if (answer.status === 413 && !(error instanceof AppError)) return { status: 413, body: { code: 'file_too_large', message: resumeTooLarge().message } };
  return answer;
}

/** The user name of HTTP Basic credentials, which Greenhouse's Job Board API uses for the key (the password is empty). */
function basicUser(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

const firstValue = (value: unknown) => (Array.isArray(value) ? (value[0] as unknown) : value) as string | undefined;

/** The application in the body, whatever form it came in, as fields of strings and the resume. */
async function readApplication(request: FastifyRequest): Promise<BoardApplication> {
  if (request.isMultipart()) return readMultipart(request);
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError(400, 'invalid_body', 'Send the application as multipart/form-data or as a JSON object.');
  const fields: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(body)) flatten(name, value, fields);
  const content = fields.resume_content?.[0];
  delete fields.resume_content;
  if (!content) return { fields, resume: undefined };
  // Base64 holds 3 bytes in 4 characters: refuse an oversized resume before decoding it.
  if ((content.length * 3) / 4 > MAX_RESUME_BYTES + 3) throw resumeTooLarge();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(content.replace(/\s+/g, ''))) {
    throw new AppError(400, 'invalid_input', 'resume_content must be base64.', [{ field: 'resume_content', message: 'Send the resume as base64' }]);
  }
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length > MAX_RESUME_BYTES) throw resumeTooLarge();
  return { fields, resume: { filename: fields.resume_content_filename?.[0] ?? 'resume', bytes } };
}

/** JSON values as form fields: `{ urls: { LinkedIn: "…" } }` is `urls[LinkedIn]`, arrays are repeated values; arrays of objects are skipped. */
function flatten(name: string, value: unknown, out: Record<string, string[]>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item !== 'object') (out[name] ??= []).push(String(item));
  } else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(`${name}[${key}]`, inner, out);
  } else {
    (out[name] ??= []).push(String(value));
  }
}

/** A multipart application: the same reading as the apply form's (a cover letter file is read and dropped). */
function readMultipart(request: FastifyRequest): Promise<BoardApplication> {
  return readFormParts(request, resumeTooLarge);
}
