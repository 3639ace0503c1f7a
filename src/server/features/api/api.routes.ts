import type { FastifyInstance } from 'fastify';
import { apiDocsPage } from '../../../web/careers/api-docs.tsx';
import { renderPage } from '../../../web/render.tsx';
import type { SiteContext } from '../../../web/ui/Document.tsx';
import type { ContentSnapshot } from '../../../shared/contracts/content.ts';
import { jobPath, type PublicJob } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError } from '../../errors.ts';
import { asciiJsonBody, CachedBody, jsonBody, SELF_ENCODED, sendCached } from '../../http/cached-body.ts';
import { renderMarkdown } from '../../markdown.ts';
import type { ContentService } from '../content/content.service.ts';
import { parseJobId, parseSearchParams } from '../jobs/jobs.routes.ts';
import { findJobPage } from '../jobs/jobs.service.ts';
import type { JobSearch } from '../jobs/search.service.ts';
import { searchResultBody } from '../jobs/search-json.ts';
import { openApiDocument } from './openapi.ts';

/** A job as GET /api/v1/jobs/{id} answers it. */
export function toApiJob(job: PublicJob, publicUrl: string) {
  const { descriptionMd, uuid: _uuid, headcount: _headcount, ...rest } = job;
  return { ...rest, description: descriptionMd, descriptionHtml: renderMarkdown(descriptionMd), url: `${publicUrl}${jobPath(job)}` };
}

const JSON_CACHE = 'public, max-age=0, must-revalidate';

/** The product's own JSON API under /api/v1, described by OpenAPI 3.1. */
export function apiRoutes(
  app: FastifyInstance,
  deps: { db: Db; search: JobSearch; content: ContentService; publicUrl: string; site: (snapshot: ContentSnapshot | undefined) => SiteContext },
): void {
  const { db, search, content, publicUrl } = deps;
  const document = openApiDocument(publicUrl);
  const documentBody = jsonBody(document, true);

  // Careers widgets on other sites read these from the browser.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/v1/')) void reply.header('access-control-allow-origin', '*');
    done();
  });

  app.get('/api/v1/openapi.json', SELF_ENCODED, (request, reply) => sendCached(request, reply, documentBody, 'public, max-age=300'));
  app.get('/api/v1/docs', SELF_ENCODED, (request, reply) => {
    const html = renderPage(apiDocsPage(content.current(), document), deps.site(content.current()));
    return sendCached(request, reply, new CachedBody(html, 'text/html; charset=utf-8'), 'public, max-age=300');
  });

  app.get('/api/v1/jobs', SELF_ENCODED, async (request, reply) => {
    const { params: _params, ...result } = await search.search(parseSearchParams(request.query));
    if (result.page > Math.max(result.pageCount, 1)) throw new NotFoundError(`There is no page ${result.page}: this search has ${result.pageCount} page(s).`);
    return sendCached(request, reply, asciiJsonBody(searchResultBody(result)), JSON_CACHE);
  });

  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', SELF_ENCODED, async (request, reply) => {
    const id = parseJobId(request.params.id);
    const data = await findJobPage({ db, id });
    if (!data) throw new NotFoundError(`There is no job with the id ${id}.`);
    if (data.kind === 'closed') throw new AppError(410, 'gone', `Job ${id} is no longer open.`);
    return sendCached(request, reply, jsonBody(toApiJob(data.job, publicUrl)), JSON_CACHE);
  });

  const entries = (kind: 'teams' | 'principles') => {
    const snapshot = content.current();
    if (!snapshot) throw new AppError(503, 'no_content', 'No content pack is loaded yet.');
    return snapshot[kind].map((e) => ({ slug: e.slug, name: e.name, summary: e.summary, url: `${publicUrl}/${kind}/${e.slug}` }));
  };
  app.get('/api/v1/teams', SELF_ENCODED, (request, reply) => sendCached(request, reply, jsonBody(entries('teams')), JSON_CACHE));
  app.get('/api/v1/principles', SELF_ENCODED, (request, reply) => sendCached(request, reply, jsonBody(entries('principles')), JSON_CACHE));
}
