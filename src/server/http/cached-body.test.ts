import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedBody, negotiateEncoding } from './cached-body.ts';

const text = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Job number ${i}`, note: `Zoë ${i * 7919} 李小龙` })));

describe('a cached body', () => {
  it.each([false, true])('gives the same bytes back from every encoding, kept = %s', (kept) => {
    const body = new CachedBody(text, 'application/json', kept);
    expect(brotliDecompressSync(body.variant('br').bytes).toString()).toBe(text);
    expect(gunzipSync(body.variant('gzip').bytes).toString()).toBe(text);
    expect(body.variant('identity').bytes.toString()).toBe(text);
    const etags = (['br', 'gzip', 'identity'] as const).map((e) => body.variant(e).etag);
    expect(new Set(etags).size).toBe(3);
  });

  it('compresses a kept body at least as small as one made for a single answer', () => {
    const once = new CachedBody(text, 'application/json');
    const kept = new CachedBody(text, 'application/json', true);
    expect(kept.variant('br').bytes.length).toBeLessThanOrEqual(once.variant('br').bytes.length);
    // Different bytes, different strong tags.
    expect(kept.variant('br').etag).not.toBe(once.variant('br').etag);
    expect(kept.variant('identity').etag).toBe(once.variant('identity').etag);
  });

  it('lists its tag in every encoding, for If-None-Match', () => {
    const body = new CachedBody(text, 'application/json');
    expect(body.etags.sort()).toEqual((['br', 'gzip', 'identity'] as const).map((e) => body.variant(e).etag).sort());
  });

  it('picks brotli, then gzip, honouring q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding(undefined)).toBe('identity');
  });
});
