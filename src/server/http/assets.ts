import { readdir, readFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { CachedBody, sendCached } from './cached-body.ts';

const stylesDir = new URL('../../web/styles/', import.meta.url);
const clientDir = new URL('../../web/client/', import.meta.url);

export interface Assets {
  /** URL of the stylesheet; its name carries a content hash, so it can be cached for a year. */
  stylesheet: string;
  /** URL of the script that enhances job search (results without a full reload). */
  searchScript: string;
  /** URL of each enhancement script in src/web/client, by file name without `.ts` (e.g. `board`). */
  scripts: Readonly<Record<string, string>>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Serves the site's static assets under content-hashed names with immutable caching. */
export async function registerAssets(app: FastifyInstance): Promise<Assets> {
  // One stylesheet: app.css first, then each area's file (staff-*.css…) in name order.
  const sheets = (await readdir(stylesDir)).filter((name) => name.endsWith('.css')).sort((a, b) => (a === 'app.css' ? -1 : b === 'app.css' ? 1 : a.localeCompare(b)));
  const parts = await Promise.all(sheets.map((name) => readFile(new URL(name, stylesDir), 'utf8')));
  const css = new CachedBody(parts.join('\n'), 'text/css; charset=utf-8', true);
  const stylesheet = `/assets/app.${css.hash.slice(0, 12)}.css`;
  app.get(stylesheet, (request, reply) => sendCached(request, reply, css, IMMUTABLE));
  // The enhancement scripts are small browser modules; esbuild strips their types once at start.
  const scripts: Record<string, string> = {};
  const files = (await readdir(clientDir)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).sort();
  for (const file of files) {
    const source = await readFile(new URL(file, clientDir), 'utf8');
    const compiled = await transform(source, { loader: 'ts', format: 'esm', target: 'es2020', minify: true });
    const body = new CachedBody(compiled.code, 'text/javascript; charset=utf-8', true);
    const name = file.slice(0, -'.ts'.length);
    const url = `/assets/${name}.${body.hash.slice(0, 12)}.js`;
    app.get(url, (request, reply) => sendCached(request, reply, body, IMMUTABLE));
    scripts[name] = url;
  }
  const searchScript = scripts.search;
  if (!searchScript) throw new Error('src/web/client/search.ts is missing');
  return { stylesheet, searchScript, scripts };
}
