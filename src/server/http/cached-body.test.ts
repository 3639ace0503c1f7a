import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedBody, jsonBody, negotiateEncoding } from './cached-body.ts';

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

describe('a JSON body', () => {
  const value = {
    plain: 'Software Development Engineer',
    accents: 'São Paulo, Zoë, Málaga',
    wide: '李小龙 … “quoted” – dash',
    emoji: 'ship it 🚀 now',
    loneSurrogate: 'half \ud83d pair',
    separators: 'line\u2028para\u2029end',
    controls: 'tab\tnew\nline "quote" \\ back',
    latin1Edge: '\u0080\u00ff\u0100\uffff',
    nested: [{ count: 3, pay: { min: 43.1, max: 66.6 } }, null, true],
  };

  it('is plain ASCII that parses, as UTF-8, back to the same value', () => {
    const bytes = jsonBody(value).variant('identity').bytes;
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(value);
    expect(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))).toEqual(value);
  });

  it('keeps ASCII text as JSON.stringify writes it, and escapes the rest', () => {
    const bytes = jsonBody({ a: 'plain "text"', b: 'é', c: '🚀' }).variant('identity').bytes.toString('latin1');
    expect(bytes).toBe('{"a":"plain \\"text\\"","b":"\\u00e9","c":"\\ud83d\\ude80"}');
  });

  it('is served as JSON in UTF-8 and compressed like any body', () => {
    const body = jsonBody(value);
    expect(body.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(gunzipSync(body.variant('gzip').bytes).toString())).toEqual(value);
  });
});

