import { CachedBody } from './cached-body.ts';

/**
 * Rendered public pages, keyed by path, valid for one content version. Pages are rendered
 * on the first request after a content change and then served from memory.
 */
export class PageCache {
  private version = -1;
  private readonly pages = new Map<string, CachedBody>();

  constructor(private readonly maxEntries = 2_000) {}

  get(key: string, version: number, render: () => string): CachedBody {
    if (version !== this.version) {
      this.pages.clear();
      this.version = version;
    }
    let body = this.pages.get(key);
    if (!body) {
      body = new CachedBody(render(), 'text/html; charset=utf-8', true);
      if (this.pages.size >= this.maxEntries) this.pages.clear();
      this.pages.set(key, body);
    }
    return body;
  }
}
