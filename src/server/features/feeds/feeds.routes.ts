import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { buildIndeedFeed, buildJobsSitemap, buildPagesSitemap, buildSitemap, SITEMAP_URL_LIMIT, type XmlDocument } from './feeds.service.ts';

/** Crawlers may keep a feed for five minutes; it is rebuilt from the database on every request. */
const FEED_CACHE = 'public, max-age=300';

function sendXml(reply: FastifyReply, document: XmlDocument): FastifyReply {
  return reply.header('cache-control', FEED_CACHE).type('application/xml; charset=utf-8').send(Readable.from(document));
}

/**
 * The sitemap and the Indeed job feed. Both are written as they are read from the database,
 * so a catalogue of many jobs is never held in memory whole.
 */
export function feedsRoutes(
  app: FastifyInstance,
  {
    db,
    config,
    sitemapUrlLimit = SITEMAP_URL_LIMIT,
  }: {
    db: Db;
    config: Config;
    /** URLs per sitemap file before /sitemap.xml becomes an index; tests pass a small one. */
    sitemapUrlLimit?: number;
  },
): void {
  const options = { db, publicUrl: config.publicUrl, urlLimit: sitemapUrlLimit };

  app.get('/sitemap.xml', async (_request, reply) => sendXml(reply, await buildSitemap(options)));

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const { file } = request.params;
    if (file === 'pages.xml') return sendXml(reply, await buildPagesSitemap(options));
    const chunk = /^jobs-(\d{1,9})\.xml$/.exec(file)?.[1];
    const document = chunk ? await buildJobsSitemap({ ...options, chunk: Number(chunk) }) : undefined;
    if (!document) throw new NotFoundError(`There is no sitemap called "${file}".`);
    return sendXml(reply, document);
  });

  app.get('/feeds/indeed.xml', async (_request, reply) => sendXml(reply, await buildIndeedFeed({ db, publicUrl: config.publicUrl })));
}
