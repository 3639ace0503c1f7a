import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFiles, writePack } from '../../../../test/support/packs.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';

/** The names of the default pack, exactly as the organization's careers page gives them. */
const TEAMS = [
  'Amazon Devices & Services',
  'Amazon Web Services',
  'Business Development (Bizdev)',
  'E-Commerce',
  'Finance & Administration',
  'Legal',
  'Kindle/Digital Content & Publishing',
  'North America & International Retail',
  'Worldwide Operations & Customer Service',
  'Seller Service',
];
const PRINCIPLES = [
  'Customer obsession',
  'Ownership',
  'Invent and simplify',
  'Are right, a lot',
  'Hire and develop the best',
  'Insist on the highest standards',
  'Learn and be curious',
  'Think big',
  'Frugality',
  'Earn trust',
  'Bias for action',
  'Dive deep',
  'Have backbone; disagree and commit',
  'Deliver results',
];

const escape = (s: string) => s.replaceAll('&', '&amp;');
const linksUnder = (html: string, base: string) => [...html.matchAll(new RegExp(`href="${base}/([a-z0-9-]+)"`, 'g'))].map((m) => m[1]!);

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

describe('public content pages', () => {
  it('lists all ten teams by their exact names, each linking to a page of its own', async () => {
    const res = await get('/teams');
    expect(res.statusCode).toBe(200);
    for (const name of TEAMS) expect(res.body).toContain(`>${escape(name)}</a>`);
    const slugs = [...new Set(linksUnder(res.body, '/teams'))];
    expect(slugs).toHaveLength(10);
    for (const [i, slug] of slugs.entries()) {
      const page = await get(`/teams/${slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${escape(TEAMS[i]!)}</h1>`);
    }
  });

  it('lists all fourteen principles in order, each with its own page', async () => {
    const res = await get('/principles');
    expect(res.statusCode).toBe(200);
    const positions = PRINCIPLES.map((name) => res.body.indexOf(`>${escape(name)}</a>`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const slugs = [...new Set(linksUnder(res.body, '/principles'))];
    expect(slugs).toHaveLength(14);
    for (const [i, slug] of slugs.entries()) {
      const page = await get(`/principles/${slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${escape(PRINCIPLES[i]!)}</h1>`);
      expect(page.body).toContain(`Principle ${i + 1} of 14`);
    }
  });

  it('shows the culture page with links to the teams and principles', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('It&#x27;s always Day 1');
    expect(res.body).toContain('href="/teams"');
    expect(res.body).toContain('href="/principles"');
    expect(linksUnder(res.body, '/principles')).toHaveLength(14);
    expect(linksUnder(res.body, '/teams')).toHaveLength(10);
  });

  it.each(['/', '/teams', '/teams/legal', '/principles', '/principles/frugality'])(
    'gives %s a title, description, canonical URL, Open Graph tags, a skip link and no script',
    async (path) => {
      const { body, headers } = await get(path);
      expect(body.startsWith('<!doctype html><html lang="en">')).toBe(true);
      expect(body).toMatch(/<title>[^<]+ · Day One Careers<\/title>/);
      expect(body).toMatch(/<meta name="description" content="[^"]{20,}"\/>/);
      expect(body).toContain(`<link rel="canonical" href="https://careers.example.test${path}"/>`);
      expect(body).toContain(`<meta property="og:url" content="https://careers.example.test${path}"/>`);
      expect(body).toMatch(/<meta property="og:title" content="[^"]+"\/>/);
      expect(body).toContain('<a class="skip-link" href="#main">');
      expect(body).toContain('<main id="main"');
      expect(body).not.toMatch(/<script/i);
      expect(headers['content-security-policy']).toContain("script-src 'self'");
      expect(headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it.each(['/', '/api/v1/jobs', '/api/v1/openapi.json', '/no-such-page'])('sends the same security headers with %s', async (path) => {
    const { headers } = await get(path);
    expect(headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none';upgrade-insecure-requests",
    );
    expect(headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    // The test app's public URL is https, so browsers are told to keep to it.
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('marks the current section in the navigation', async () => {
    const { body } = await get('/principles/ownership');
    expect(body).toContain('<a href="/principles" class="nav__link" aria-current="page">');
  });

  it('keeps the home page far under 50 KB compressed, with its stylesheet', async () => {
    const page = await get('/', { 'accept-encoding': 'br, gzip' });
    expect(page.headers['content-encoding']).toBe('br');
    const html = brotliDecompressSync(page.rawPayload).toString();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!;
    const css = await get(href, { 'accept-encoding': 'br' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(page.rawPayload.length + css.rawPayload.length).toBeLessThan(50 * 1024);
  });

  it('serves gzip to clients without brotli and plain bytes to those that accept neither', async () => {
    const gz = await get('/teams', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await get('/teams', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipSync(plain.rawPayload).length).toBeGreaterThan(0);
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    expect(gz.headers.vary).toContain('accept-encoding');
  });

  it('answers 304 to a client that already has the page, and revalidation is required', async () => {
    const first = await get('/principles');
    expect(first.headers['cache-control']).toContain('must-revalidate');
    const again = await get('/principles', { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers HEAD requests without a body', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/teams' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('points crawlers at the sitemap and away from the APIs', async () => {
    const res = await get('/robots.txt');
    expect(res.body).toContain('Sitemap: https://careers.example.test/sitemap.xml');
    expect(res.body).toContain('Disallow: /api/');
  });

  it('treats a trailing slash like none', async () => {
    expect((await get('/teams/')).statusCode).toBe(200);
  });
});

describe('not found', () => {
  it('answers an unknown team with a 404 page that lists every team', async () => {
    const res = await get('/teams/robots');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('We couldn’t find that page');
    expect(res.body).toContain('<meta name="robots" content="noindex"/>');
    expect(new Set(linksUnder(res.body, '/teams')).size).toBe(10);
  });

  it('answers an unknown page with links back into the site', async () => {
    const res = await get('/nowhere?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<code>/nowhere</code>');
    expect(res.body).toContain('href="/principles"');
  });

  it('answers API clients with a JSON error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/principles/nope', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not_found', message: 'There is no principle called "nope".' });
  });

  it('escapes the requested path on the 404 page', async () => {
    const res = await get('/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('&lt;script&gt;');
  });
});

describe('content changes', () => {
  it('serves new content, with a new ETag, as soon as a pack is loaded', async () => {
    const other = await testApp({ contentDir: false });
    try {
      const dir = await writePack(packFiles());
      await other.app.content.loadPack({ dir });
      const before = await other.app.inject({ url: '/teams', headers: { accept: 'text/html' } });
      expect(before.body).toContain('Robots');
      const changed = await writePack(
        packFiles({ 'teams/robots.md': '---\nname: Friendly robots\norder: 1\nsummary: Makes robots.\n---\nThe robots team.\n' }),
      );
      await other.app.content.loadPack({ dir: changed });
      const after = await other.app.inject({ url: '/teams', headers: { accept: 'text/html', 'if-none-match': String(before.headers.etag) } });
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain('Friendly robots');
    } finally {
      await other.close();
    }
  });

  it('renders Markdown bodies with scripts, handlers and javascript: links removed', async () => {
    const other = await testApp({ contentDir: false });
    try {
      const hostile = '---\nname: Robots\norder: 1\nsummary: "<b>bold</b>"\n---\n# Title\n\n<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) <a href="https://example.com" onclick="evil()">ok</a>\n';
      await other.app.content.loadPack({ dir: await writePack(packFiles({ 'teams/robots.md': hostile })) });
      const { body } = await other.app.inject({ url: '/teams/robots', headers: { accept: 'text/html' } });
      expect(body).not.toMatch(/<script|onerror|onclick|href="javascript:|<img/i);
      expect(body).toContain('&lt;b&gt;bold&lt;/b&gt;');
      expect(body).toContain('<h2>Title</h2>');
      expect(body).toContain('<a href="https://example.com" rel="noopener noreferrer">ok</a>');
    } finally {
      await other.close();
    }
  });

  it('answers 503 with a clear message before any content is loaded', async () => {
    const empty = await testApp({ contentDir: false });
    try {
      const res = await empty.app.inject({ url: '/', headers: { accept: 'application/json' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('no_content');
    } finally {
      await empty.close();
    }
  });
});
