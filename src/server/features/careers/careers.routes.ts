import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  homePage,
  principlePage,
  principlesPage,
  teamPage,
  teamsPage,
  type Page,
} from '../../../web/careers/pages.tsx';
import { renderPage } from '../../../web/render.tsx';
import type { ContentSnapshot } from '../../../shared/contracts/content.ts';
import { AppError, NotFoundError } from '../../errors.ts';
import { sendCached } from '../../http/cached-body.ts';
import { PageCache } from '../../http/page-cache.ts';
import type { ContentService } from '../content/content.service.ts';
import type { SiteContext } from '../../../web/ui/Document.tsx';

/**
 * Shared caches may keep a page for a minute; browsers revalidate with the ETag, which
 * changes as soon as the content does.
 */
export const PUBLIC_PAGE_CACHE = 'public, max-age=0, s-maxage=60, must-revalidate';

/** The culture, teams and principles pages, rendered once per content version and served from memory. */
export function careersRoutes(
  app: FastifyInstance,
  {
    content,
    site,
    publicUrl,
  }: { content: ContentService; site: (snapshot: ContentSnapshot | undefined) => SiteContext; publicUrl: string },
): void {
  const cache = new PageCache();

  function page(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    build: (snapshot: ContentSnapshot) => Page,
  ): FastifyReply {
    const snapshot = content.current();
    if (!snapshot) throw new AppError(503, 'no_content', 'No content pack is loaded yet. Run `dayone content load`.');
    const body = cache.get(key, snapshot.version, () => renderPage(build(snapshot), site(snapshot)));
    return sendCached(request, reply, body, PUBLIC_PAGE_CACHE);
  }

  /** Finds a team or principle by slug in the current content, or throws a 404. */
  function entry(kind: 'teams' | 'principles', slug: string) {
    const found = content.current()?.[kind].find((e) => e.slug === slug);
    if (!found) throw new NotFoundError(`There is no ${kind === 'teams' ? 'team' : 'principle'} called "${slug}".`);
    return found;
  }

  app.get('/', (request, reply) => page(request, reply, '/', homePage));
  app.get('/robots.txt', (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(`User-agent: *\nDisallow: /api/\nDisallow: /v0/\nDisallow: /v1/\nSitemap: ${publicUrl}/sitemap.xml\n`),
  );
  app.get('/teams', (request, reply) => page(request, reply, '/teams', teamsPage));
  app.get('/principles', (request, reply) => page(request, reply, '/principles', principlesPage));
  app.get<{ Params: { slug: string } }>('/teams/:slug', (request, reply) => {
    const team = entry('teams', request.params.slug);
    return page(request, reply, `/teams/${team.slug}`, (snapshot) => teamPage(snapshot, team));
  });
  app.get<{ Params: { slug: string } }>('/principles/:slug', (request, reply) => {
    const principle = entry('principles', request.params.slug);
    return page(request, reply, `/principles/${principle.slug}`, (snapshot) => principlePage(snapshot, principle));
  });
}
