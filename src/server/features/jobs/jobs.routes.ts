import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closedJobPage, jobPage, jobsPage, preparePage, preparePath } from '../../../web/careers/jobs.tsx';
import { renderPage } from '../../../web/render.tsx';
import type { SiteContext } from '../../../web/ui/Document.tsx';
import { jobPath } from '../../../shared/contracts/jobs.ts';
import { searchParamsSchema, type SearchParams } from '../../../shared/contracts/search.ts';
import type { ContentSnapshot } from '../../../shared/contracts/content.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import { CachedBody, sendCached } from '../../http/cached-body.ts';
import type { ContentService } from '../content/content.service.ts';
import { jobsRss } from './jobs.feed.ts';
import { findJobPage } from './jobs.service.ts';
import type { JobSearch } from './search.service.ts';

/** Search results change with every job edit; browsers revalidate with the ETag. */
const SEARCH_CACHE = 'public, max-age=0, must-revalidate';
/** A job page may be kept a minute by shared caches; its ETag changes with the job. */
const JOB_CACHE = 'public, max-age=0, s-maxage=60, must-revalidate';

/** Reads search params from a query string, answering 400 with the field named when one is unusable. */
export function parseSearchParams(query: unknown): SearchParams {
  const parsed = searchParamsSchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  throw new ValidationError(`The search could not be read: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}.`, fields);
}

export function parseJobId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new NotFoundError(`There is no job with the id "${raw}".`);
  return Number(raw);
}

/** The job search page and job pages. */
export function jobsRoutes(
  app: FastifyInstance,
  deps: {
    db: Db;
    content: ContentService;
    search: JobSearch;
    site: (snapshot: ContentSnapshot | undefined) => SiteContext;
    publicUrl: string;
    searchScript: string;
  },
): void {
  const { db, content, search, site, publicUrl } = deps;

  function snapshot(): ContentSnapshot {
    const current = content.current();
    if (!current) throw new AppError(503, 'no_content', 'No content pack is loaded yet. Run `dayone content load`.');
    return current;
  }

  app.get('/jobs', async (request, reply) => {
    const params = parseSearchParams(request.query);
    const result = await search.search(params);
    if (result.page > Math.max(result.pageCount, 1)) throw new NotFoundError(`There is no page ${result.page}: this search has ${result.pageCount} page(s).`);
    const html = renderPage(jobsPage(snapshot(), result, search.parse(params.q), deps.searchScript), site(content.current()));
    return sendCached(request, reply, new CachedBody(html, 'text/html; charset=utf-8'), SEARCH_CACHE);
  });

  // Follow any search in a feed reader: the newest 50 matching jobs.
  app.get('/feeds/jobs.rss', async (request, reply) => {
    const params = parseSearchParams(request.query);
    const result = await search.search({ ...params, sort: 'newest', page: 1 }, { pageSize: 50, facets: false });
    const xml = jobsRss(result, { organization: snapshot().organization, publicUrl });
    const body = new CachedBody(xml, 'application/rss+xml; charset=utf-8');
    return sendCached(request, reply, body, 'public, max-age=300');
  });

  async function showJob(request: FastifyRequest<{ Params: { id: string; slug?: string } }>, reply: FastifyReply) {
    const id = parseJobId(request.params.id);
    const data = await findJobPage({ db, id });
    if (!data) throw new NotFoundError(`There is no job with the id ${id}.`);
    // One address per job: an old or missing slug redirects to the current one.
    // Cached an hour, not for ever: a title changed back must not leave a browser in a loop.
    if (request.params.slug !== data.job.slug) return reply.header('cache-control', 'public, max-age=3600').redirect(jobPath(data.job), 301);
    const current = snapshot();
    if (data.kind === 'closed') {
      const html = renderPage(closedJobPage(current, data.job, data.similar), site(current));
      return reply.code(410).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    }
    const html = renderPage(
      jobPage(current, data.job, { descriptionHtml: data.descriptionHtml, similar: data.similar, publicUrl, applyUrl: `${jobPath(data.job)}/apply` }),
      site(current),
    );
    return sendCached(request, reply, new CachedBody(html, 'text/html; charset=utf-8'), JOB_CACHE);
  }

  app.get<{ Params: { id: string; slug: string } }>('/jobs/:id/:slug/prepare', async (request, reply) => {
    const id = parseJobId(request.params.id);
    const data = await findJobPage({ db, id });
    if (!data) throw new NotFoundError(`There is no job with the id ${id}.`);
    if (data.kind === 'closed') return reply.redirect(jobPath(data.job), 302);
    if (request.params.slug !== data.job.slug) return reply.header('cache-control', 'public, max-age=3600').redirect(preparePath(data.job), 301);
    const current = snapshot();
    const html = renderPage(preparePage(current, data.job), site(current));
    return sendCached(request, reply, new CachedBody(html, 'text/html; charset=utf-8'), JOB_CACHE);
  });

  app.get<{ Params: { id: string } }>('/jobs/:id', showJob);
  app.get<{ Params: { id: string; slug: string } }>('/jobs/:id/:slug', showJob);
}
