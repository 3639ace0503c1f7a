import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { CachedBody, sendCached } from './cached-body.ts';

const stylesheetFile = new URL('../../web/styles/app.css', import.meta.url);

export interface Assets {
  /** URL of the stylesheet; its name carries a content hash, so it can be cached for a year. */
  stylesheet: string;
}

/** Serves the site's static assets under content-hashed names with immutable caching. */
export async function registerAssets(app: FastifyInstance): Promise<Assets> {
  const css = new CachedBody(await readFile(stylesheetFile), 'text/css; charset=utf-8');
  const stylesheet = `/assets/app.${css.hash.slice(0, 12)}.css`;
  app.get(stylesheet, (request, reply) => sendCached(request, reply, css, 'public, max-age=31536000, immutable'));
  return { stylesheet };
}
