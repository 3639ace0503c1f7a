import { hash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A response body: its bytes, a strong ETag per encoding, and gzip/brotli variants compressed
 * on first use. A body `kept` to be served many times (pages cached per content version,
 * assets) is compressed hardest; one made for a single answer (a search, a job page) is
 * compressed at a level that costs a fraction of a millisecond instead of several.
 */
export class CachedBody {
  readonly identity: Buffer;
  readonly hash: string;
  private gzip: Buffer | undefined;
  private br: Buffer | undefined;

  constructor(
    text: string | Buffer,
    readonly contentType: string,
    private readonly kept = false,
  ) {
    this.identity = typeof text === 'string' ? Buffer.from(text) : text;
    // One-shot: no Hash object per body (a third of the hashing cost of a search answer).
    this.hash = hash('sha256', this.identity, 'base64url').slice(0, 27);
  }

  /** The tags of this body in each encoding (any of them lets a client that has it get a 304). */
  get etags(): string[] {
    return (['identity', 'br', 'gzip'] as const).map((encoding) => this.etag(encoding));
  }

  variant(encoding: Encoding): { bytes: Buffer; etag: string; encoding: Encoding } {
    if (encoding === 'br') {
      this.br ??= brotliCompressSync(this.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: this.level('br') } });
      return { bytes: this.br, etag: this.etag('br'), encoding };
    }
    if (encoding === 'gzip') {
      this.gzip ??= gzipSync(this.identity, { level: this.level('gzip') });
      return { bytes: this.gzip, etag: this.etag('gzip'), encoding };
    }
    return { bytes: this.identity, etag: this.etag('identity'), encoding };
  }

  private level(encoding: 'br' | 'gzip'): number {
    return encoding === 'br' ? (this.kept ? 10 : 5) : this.kept ? 9 : 6;
  }

  /** The level is part of the tag: a strong ETag names these exact bytes. */
  private etag(encoding: Encoding): string {
    return encoding === 'identity' ? `"${this.hash}"` : `"${this.hash}-${encoding === 'br' ? 'br' : 'gz'}${this.level(encoding)}"`;
  }
}

type Encoding = 'br' | 'gzip' | 'identity';

const NON_ASCII = /[\u0080-\uffff]/g;
const escapeChar = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON in ASCII: each character past U+007F becomes a `\uXXXX` escape (the same JSON value, and
 * surrogate pairs stay pairs), so the text is already its own UTF-8 bytes.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escapeChar);
}

/** A JSON body from the bytes of ASCII JSON (`asciiJson`, or `searchResultBody`). */
export function asciiJsonBody(bytes: Buffer, kept = false): CachedBody {
  return new CachedBody(bytes, 'application/json; charset=utf-8', kept);
}

/**
 * A JSON body written in ASCII (see `asciiJson`), copied as latin1. Encoding 20 KB of JSON as
 * UTF-8 costs about 25–40 µs on this machine, escaping a search answer about 12–17 µs and the
 * latin1 copy 2–4 µs.
 */
export function jsonBody(value: unknown, kept = false): CachedBody {
  return asciiJsonBody(Buffer.from(asciiJson(value), 'latin1'), kept);
}

/** Picks the best encoding the client accepts (brotli, then gzip), honouring `q=0`. */
export function negotiateEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

/** True when `If-None-Match` names this body in any encoding, so a 304 may be answered. */
function matches(ifNoneMatch: string | undefined, body: CachedBody): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || body.etags.includes(tag);
  });
}

/**
 * Route options for routes that answer only through `sendCached`, which picks the encoding
 * itself: @fastify/compress's hooks (three per request) would find nothing to do. A GET has no
 * body to decompress. Their error answers are small JSON, sent uncompressed.
 */
export const SELF_ENCODED = { compress: false, decompress: false } as const;

/** Sends a cached body with ETag, Cache-Control and content negotiation; answers 304 when the client has it. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody, cacheControl: string): FastifyReply {
  const { bytes, etag, encoding } = body.variant(negotiateEncoding(request.headers['accept-encoding']));
  void reply.header('cache-control', cacheControl).header('vary', 'accept-encoding').header('etag', etag);
  if (matches(request.headers['if-none-match'], body)) return reply.code(304).send();
  if (encoding !== 'identity') void reply.header('content-encoding', encoding);
  return reply.type(body.contentType).send(bytes);
}
