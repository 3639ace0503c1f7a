import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { CachedBody, sendCached } from './cached-body.ts';

const stylesheetFile = new URL('../../web/styles/app.css', import.meta.url);
const searchScriptFile = new URL('../../web/client/search.ts', import.meta.url);

export interface Assets {
  /** URL of the stylesheet; its name carries a content hash, so it can be cached for a year. */
  stylesheet: string;
  /** URL of the script that enhances job search (results without a full reload). */
  searchScript: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Serves the site's static assets under content-hashed names with immutable caching. */
export async function registerAssets(app: FastifyInstance): Promise<Assets> {
  const css = new CachedBody(await readFile(stylesheetFile), 'text/css; charset=utf-8');
  const stylesheet = `/assets/app.${css.hash.slice(0, 12)}.css`;
  app.get(stylesheet, (request, reply) => sendCached(request, reply, css, IMMUTABLE));
  // The enhancement scripts are small browser modules; esbuild strips their types once at start.
  const compiled = await transform(await readFile(searchScriptFile, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2020', minify: true });
  const search = new CachedBody(compiled.code, 'text/javascript; charset=utf-8');
  const searchScript = `/assets/search.${search.hash.slice(0, 12)}.js`;
  app.get(searchScript, (request, reply) => sendCached(request, reply, search, IMMUTABLE));
  return { stylesheet, searchScript };
}
