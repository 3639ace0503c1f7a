import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import { describe, expect, it } from 'vitest';
import { helmetHeaders } from './security-headers.ts';

/** The headers helmet's own middleware puts on a real answer with these options. */
async function fromHelmet(options: HelmetOptions): Promise<Record<string, string>> {
  const middleware = helmet(options);
  const server = createServer((request, response) => middleware(request, response, () => response.end()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const ignored = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
    return Object.fromEntries([...answer.headers].filter(([name]) => !ignored.has(name)));
  } finally {
    server.close();
  }
}

describe('helmetHeaders', () => {
  const cases: Array<[string, HelmetOptions]> = [
    ['defaults', {}],
    [
      'the app’s options on HTTPS',
      {
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], upgradeInsecureRequests: [] } },
        strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
        crossOriginEmbedderPolicy: false,
        frameguard: { action: 'deny' },
      },
    ],
    ['everything off but one', { contentSecurityPolicy: false, strictTransportSecurity: false, xFrameOptions: false, referrerPolicy: { policy: ['no-referrer', 'strict-origin'] } }],
  ];

  it.each(cases)('gives the headers helmet sets on a real answer (%s)', async (_name, options) => {
    const expected = await fromHelmet(options);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(helmetHeaders(options)).toEqual(expected);
  });

  it('refuses a directive made per request, which one set of headers cannot hold', () => {
    const nonce = () => "'nonce-abc'";
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", nonce] } } })).toThrow(/per request/);
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'"] } } })).not.toThrow();
  });

  it('refuses options helmet refuses, when the app starts', () => {
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { 'default-src': ["'self'"], defaultSrc: ["'none'"] } } })).toThrow();
  });
});
