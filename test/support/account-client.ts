import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AccountLimits } from '../../src/server/features/accounts/rate-limit.ts';
import { multipart } from './multipart.ts';
import { RecordingMail } from './recording-mail.ts';
import { testApp, type TestApp } from './test-app.ts';

/**
 * A browser in miniature for `app.inject`: keeps cookies, fills in the anti-forgery field of
 * the form it just read, and speaks from its own IP address so rate limits stay per test.
 */
export class FormClient {
  readonly cookies = new Map<string, string>();
  /** The last anti-forgery token seen on a page. */
  csrf = '';

  constructor(
    private readonly app: FastifyInstance,
    readonly ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const gone = c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now()) || c.value === '';
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers } }),
    );
  }

  /** Posts a form; the anti-forgery token last seen is added unless `_csrf` is given (or null to leave it out). */
  async post(url: string, fields: Record<string, string | null> = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const form = new URLSearchParams();
    if (!('_csrf' in fields)) form.set('_csrf', this.csrf);
    for (const [name, value] of Object.entries(fields)) if (value !== null) form.set(name, value);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        payload: form.toString(),
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...headers },
      }),
    );
  }

  /** Posts a multipart form (with an optional file), as a browser sends a form with a file input; `_csrf` as in `post`. */
  async postMultipart(
    url: string,
    fields: Record<string, string | string[] | null> = {},
    file?: { field: string; filename: string; contentType: string; bytes: Buffer },
  ): Promise<LightMyRequestResponse> {
    const given: Record<string, string | string[]> = {};
    if (!('_csrf' in fields)) given._csrf = this.csrf;
    for (const [name, value] of Object.entries(fields)) if (value !== null) given[name] = value;
    const body = multipart(given, file);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        payload: body.payload,
        headers: { accept: 'text/html', ...body.headers, cookie: this.cookieHeader() },
      }),
    );
  }

  /** Opens the page with the form, then submits it: what a person does. */
  async submit(page: string, fields: Record<string, string>, action = page): Promise<LightMyRequestResponse> {
    const res = await this.get(page);
    if (res.statusCode !== 200) throw new Error(`GET ${page} answered ${res.statusCode}`);
    return this.post(action, fields);
  }
}

/**
 * The whole app with the account routes registered (as buildApp will once they are wired),
 * mail recorded in memory. `publicUrl` overrides the config's, e.g. to see cookies without Secure.
 */
export async function accountsTestApp(options: { limits?: AccountLimits; publicUrl?: string } = {}): Promise<TestApp & { mail: RecordingMail }> {
  const mail = new RecordingMail();
  const t = await testApp({
    ...(options.publicUrl ? { env: { PUBLIC_URL: options.publicUrl } } : {}),
    deps: { mail, ...(options.limits ? { accountLimits: options.limits } : {}) },
  });
  return Object.assign(t, { mail });
}
