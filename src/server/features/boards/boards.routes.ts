import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { folderFileStore, type FileStore } from '../../files/file-store.ts';
import type { Rule } from '../accounts/rate-limit.ts';
import type { Mail } from '../mail/mail.types.ts';
import { boardApplyRoutes } from './apply.routes.ts';
import { getBoard, getBoardJob, listBoardJobs, listDepartments, listOffices } from './greenhouse.service.ts';
import { getPosting, LEVER_GROUPS, LEVER_MAX_LIMIT, listPostings, type LeverGroup } from './lever.service.ts';

type Query = Record<string, string | string[] | undefined>;

/** Every value of a query parameter: `?team=a&team=b` gives both. */
const values = (query: Query, name: string): string[] => {
  const value = query[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};
const first = (query: Query, name: string) => values(query, name)[0];
const isTrue = (query: Query, name: string) => first(query, name) === 'true';

/** Job boards read these from other sites' pages, so any origin may; a minute of caching spares the database. */
function publicJson(reply: FastifyReply): FastifyReply {
  return reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');
}

/** Greenhouse answers an unknown board or job post this way. */
const greenhouseNotFound = (reply: FastifyReply) => reply.code(404).send({ status: 404, error: 'Job not found' });
/** Lever answers an unknown site or posting this way. */
const leverNotFound = (reply: FastifyReply) => reply.code(404).send({ ok: false, error: 'Document not found' });
const leverBadRequest = (reply: FastifyReply, error: string) => reply.code(400).send({ ok: false, error });

/** A non-negative whole number from the query, the default when absent, or undefined when malformed. */
function count(query: Query, name: string, fallback: number): number | undefined {
  const raw = first(query, name);
  if (raw === undefined || raw === '') return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

export interface BoardsDeps {
  db: Db;
  config: Config;
  /** How applications through the APIs send mail. Without it only the read side is served. */
  mail?: Mail;
  /** Where resumes sent through the APIs are kept; DATA_DIR/files by default. */
  files?: FileStore;
  /** Applications per API key, when not the default of 1,000 an hour. */
  applyLimit?: Rule;
}

/**
 * Two job-board APIs over the public jobs, so tools built for them work with this site:
 * Greenhouse's Job Board API under /v1/boards/{token} and Lever's postings API under
 * /v0/postings/{site}. The token and the site are both `config.boardToken`. The read side is
 * public; the apply side (given `mail`) takes applications from holders of an API key.
 */
export function boardsRoutes(app: FastifyInstance, { db, config, mail, files, applyLimit }: BoardsDeps): void {
  const { publicUrl, boardToken } = config;
  if (mail) {
    boardApplyRoutes(app, { db, config, mail, files: files ?? folderFileStore(join(config.dataDir, 'files')), ...(applyLimit ? { applyLimit } : {}) });
  }

  app.get<{ Params: { token: string } }>('/v1/boards/:token', async (request, reply) => {
    if (request.params.token !== boardToken) return greenhouseNotFound(reply);
    return publicJson(reply).send(await getBoard({ db }));
  });

  app.get<{ Params: { token: string }; Querystring: Query }>('/v1/boards/:token/jobs', async (request, reply) => {
    if (request.params.token !== boardToken) return greenhouseNotFound(reply);
    const body = await listBoardJobs({ db, publicUrl, content: isTrue(request.query, 'content') });
    return publicJson(reply).type('application/json; charset=utf-8').send(Readable.from(body));
  });

  app.get<{ Params: { token: string; id: string }; Querystring: Query }>('/v1/boards/:token/jobs/:id', async (request, reply) => {
    const { token, id } = request.params;
    if (token !== boardToken || !/^\d{1,9}$/.test(id)) return greenhouseNotFound(reply);
    const job = await getBoardJob({
      db,
      publicUrl,
      id: Number(id),
      questions: isTrue(request.query, 'questions'),
      payTransparency: isTrue(request.query, 'pay_transparency'),
    });
    return job ? publicJson(reply).send(job) : greenhouseNotFound(reply);
  });

  app.get<{ Params: { token: string }; Querystring: Query }>('/v1/boards/:token/departments', async (request, reply) => {
    if (request.params.token !== boardToken) return greenhouseNotFound(reply);
    const renderAs = first(request.query, 'render_as') === 'tree' ? 'tree' : 'list';
    return publicJson(reply).send(await listDepartments({ db, publicUrl, renderAs }));
  });

  app.get<{ Params: { token: string }; Querystring: Query }>('/v1/boards/:token/offices', async (request, reply) => {
    if (request.params.token !== boardToken) return greenhouseNotFound(reply);
    const renderAs = first(request.query, 'render_as') === 'tree' ? 'tree' : 'list';
    return publicJson(reply).send(await listOffices({ db, publicUrl, renderAs }));
  });

  app.get<{ Params: { site: string }; Querystring: Query }>('/v0/postings/:site', async (request, reply) => {
    const { query } = request;
    if (request.params.site !== boardToken) return leverNotFound(reply);
    const mode = first(query, 'mode');
    if (mode !== undefined && mode !== 'json') return leverBadRequest(reply, 'Only mode=json is supported');
    const skip = count(query, 'skip', 0);
    const limit = count(query, 'limit', LEVER_MAX_LIMIT);
    if (skip === undefined || limit === undefined) return leverBadRequest(reply, 'skip and limit must be whole numbers');
    const group = first(query, 'group');
    if (group !== undefined && !(LEVER_GROUPS as readonly string[]).includes(group)) {
      return leverBadRequest(reply, `group must be one of ${LEVER_GROUPS.join(', ')}`);
    }
    const texts = ['team', 'location', 'commitment', 'department', 'level'].flatMap((name) => values(query, name));
    // A NUL cannot reach PostgreSQL as text; other control characters match nothing anyway.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (texts.some((v) => /[\u0000-\u001f\u007f]/.test(v))) return leverBadRequest(reply, 'Filter values must not contain control characters');
    const postings = await listPostings({
      db,
      publicUrl,
      query: {
        team: values(query, 'team'),
        location: values(query, 'location'),
        commitment: values(query, 'commitment'),
        department: values(query, 'department'),
        level: values(query, 'level'),
        skip,
        limit,
        group: group as LeverGroup | undefined,
      },
    });
    return publicJson(reply).send(postings);
  });

  app.get<{ Params: { site: string; id: string } }>('/v0/postings/:site/:id', async (request, reply) => {
    if (request.params.site !== boardToken) return leverNotFound(reply);
    const posting = await getPosting({ db, publicUrl, id: request.params.id });
    return posting ? publicJson(reply).send(posting) : leverNotFound(reply);
  });
}
