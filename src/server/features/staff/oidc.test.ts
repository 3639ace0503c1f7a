import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, sessions, staffUsers } from '../../db/schema/index.ts';
import { SSO_COOKIE } from './oidc.ts';
import { STAFF_COOKIE } from './staff.scope.ts';

/** The few parts of oidc-provider (which ships no types) that this test drives. */
interface Interaction {
  prompt: { name: string };
  params: Record<string, unknown>;
  session?: { accountId: string };
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options?: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: new (options: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
}
type ProviderClass = new (issuer: string, configuration: object) => OidcProvider;

const CLIENT = { id: 'dayone-staff', secret: 'a client secret only the app and the provider know' };
const REDIRECT_URI = 'https://careers.example.test/staff/sso/callback';

/** The people the provider knows, by subject. */
const accounts = new Map<string, { email: string; email_verified: boolean }>();
/** Whom the provider's login step signs in next, as a person at the provider would. */
let loginAs = '';

let server: Server;
let issuer: string;
let t: TestApp;

/**
 * A real OpenID provider on 127.0.0.1: login and consent are interactions this test answers
 * itself (oidc-provider's development pages are off), the way an organization's login page would.
 */
async function startProvider(): Promise<void> {
  // A name in a variable: the package has no type declarations, and this file types what it uses.
  const packageName = 'oidc-provider';
  const { default: Provider } = (await import(packageName)) as { default: ProviderClass };
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['a cookie key for the test provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    adapter: MemoryAdapter,
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void interact(provider, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
}

async function interact(provider: OidcProvider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    return provider.interactionFinished(req, res, { login: { accountId: loginAs } }, { mergeWithLastSubmission: false });
  }
  const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

/** The provider's storage, in memory (its own default says so loudly on every start). */
class MemoryAdapter {
  private static readonly rows = new Map<string, Record<string, unknown>>();
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
    MemoryAdapter.rows.set(this.key(id), payload);
  }
  async find(id: string) {
    return MemoryAdapter.rows.get(this.key(id));
  }
  async findByUid(uid: string) {
    return [...MemoryAdapter.rows.entries()].find(([key, row]) => key.startsWith(`${this.model}:`) && row.uid === uid)?.[1];
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(id: string): Promise<void> {
    const row = MemoryAdapter.rows.get(this.key(id));
    if (row) row.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string): Promise<void> {
    MemoryAdapter.rows.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, row] of MemoryAdapter.rows) if (row.grantId === grantId) MemoryAdapter.rows.delete(key);
  }
}

/** Follows the provider's redirects with a cookie jar of its own, as a browser would, until it sends the browser back to the app. */
async function throughProvider(authorizationUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const header of res.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`The provider answered ${res.status} at ${url}: ${await res.text()}`);
    const next = new URL(location, url);
    if (next.href.startsWith(REDIRECT_URI)) return next;
    url = next.href;
  }
  throw new Error('The provider never sent the browser back');
}

/** A browser that starts single sign-on at the app, signs in at the provider as `subject`, and comes back. */
async function signInThroughProvider(subject: string, next = '/staff/users') {
  loginAs = subject;
  const browser = new FormClient(t.app);
  const start = await browser.get(`/staff/sso/start?next=${encodeURIComponent(next)}`);
  expect(start.statusCode).toBe(303);
  const cookie = (start.cookies as Array<{ name: string; path?: string; httpOnly?: boolean; maxAge?: number }>).find((c) => c.name === SSO_COOKIE);
  expect(cookie).toMatchObject({ path: '/staff/sso', httpOnly: true });
  expect(cookie!.maxAge).toBeLessThanOrEqual(600);
  const back = await throughProvider(start.headers.location!);
  const res = await browser.get(back.pathname + back.search);
  return { browser, res, back, authorizationUrl: new URL(start.headers.location!) };
}

async function staffSessions(userId: number) {
  return t.database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, userId)));
}

beforeAll(async () => {
  await startProvider();
  t = await testApp({
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret, OIDC_LABEL: 'Test Identity' },
    deps: { mail: new RecordingMail() },
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe(`single sign-on with OpenID Connect on ${testEngine}`, () => {
  it('offers a button on the sign-in page with the configured label', async () => {
    const page = await new FormClient(t.app).get('/staff/sign-in?next=%2Fstaff%2Fusers');
    expect(page.body).toContain('Sign in with Test Identity');
    expect(page.body).toContain('href="/staff/sso/start?next=%2Fstaff%2Fusers"');
  });

  it('sends the browser to the provider with PKCE, a state, a nonce and the app’s callback', async () => {
    const start = await new FormClient(t.app).get('/staff/sso/start');
    const url = new URL(start.headers.location!);
    expect(url.origin).toBe(issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT.id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('scope')).toContain('openid');
    for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)?.length).toBeGreaterThan(20);
  });

  it('links an existing member of staff by the provider’s verified email on first use, then by subject', async () => {
    const email = `Sso.Person.${Date.now()}@staff.example.test`;
    const user = await createStaff(t.database.db, { role: 'admin', email });
    accounts.set('subject-linked', { email: email.toLowerCase(), email_verified: true });

    const { browser, res } = await signInThroughProvider('subject-linked');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/users');
    expect(browser.cookies.has(STAFF_COOKIE)).toBe(true);
    expect(await staffSessions(user.id)).toHaveLength(1);
    expect((await browser.get('/staff/users')).statusCode).toBe(200);
    const [row] = await t.database.db.select().from(staffUsers).where(eq(staffUsers.id, user.id));
    expect(row).toMatchObject({ oidcIssuer: issuer, oidcSubject: 'subject-linked' });

    // Later the provider knows them by another address: the link by subject still holds.
    accounts.set('subject-linked', { email: 'renamed@elsewhere.example', email_verified: true });
    const second = await signInThroughProvider('subject-linked', '/staff');
    expect(second.res.statusCode).toBe(303);
    expect(second.res.headers.location).toBe('/staff');
    expect(await staffSessions(user.id)).toHaveLength(2);

    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'staff_user'), eq(auditEvents.subjectId, String(user.id))));
    expect(events.map((e) => e.action)).toEqual(['staff_user.sso_linked', 'staff.signed_in', 'staff.signed_in']);
    expect(events[1]!.after).toMatchObject({ method: 'oidc' });
  });

  it('matches by verified email again someone linked to a provider used before, but never steals a link at this one', async () => {
    const email = `moved.${Date.now()}@staff.example.test`;
    const user = await createStaff(t.database.db, { role: 'recruiter', email });
    await t.database.db.update(staffUsers).set({ oidcIssuer: 'https://old-provider.example', oidcSubject: 'old-subject' }).where(eq(staffUsers.id, user.id));
    accounts.set('subject-moved', { email, email_verified: true });
    expect((await signInThroughProvider('subject-moved')).res.statusCode).toBe(303);
    const [row] = await t.database.db.select().from(staffUsers).where(eq(staffUsers.id, user.id));
    expect(row).toMatchObject({ oidcIssuer: issuer, oidcSubject: 'subject-moved' });

    // Another subject at this provider with the same address does not take the account over.
    accounts.set('subject-impostor', { email, email_verified: true });
    const impostor = await signInThroughProvider('subject-impostor');
    expect(impostor.res.statusCode).toBe(403);
    expect(impostor.browser.cookies.has(STAFF_COOKIE)).toBe(false);
  });

  it('refuses someone the provider knows but who is not staff here, with a clear 403 page', async () => {
    accounts.set('subject-stranger', { email: `stranger.${Date.now()}@elsewhere.example`, email_verified: true });
    const { browser, res } = await signInThroughProvider('subject-stranger');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('No staff account for you here');
    expect(res.body).toContain('An admin must invite you first');
    expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
    expect(await t.database.db.select().from(staffUsers).where(eq(staffUsers.oidcSubject, 'subject-stranger'))).toHaveLength(0);
  });

  it('refuses to match an address the provider does not say is verified', async () => {
    const email = `unverified.${Date.now()}@staff.example.test`;
    const user = await createStaff(t.database.db, { role: 'recruiter', email });
    accounts.set('subject-unverified', { email, email_verified: false });
    const { res } = await signInThroughProvider('subject-unverified');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('does not say that this address is verified');
    expect(await staffSessions(user.id)).toHaveLength(0);
  });

  it('refuses a disabled member of staff, linked or not', async () => {
    const email = `disabled.${Date.now()}@staff.example.test`;
    const user = await createStaff(t.database.db, { role: 'recruiter', email });
    await t.database.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, user.id));
    accounts.set('subject-disabled', { email, email_verified: true });
    expect((await signInThroughProvider('subject-disabled')).res.statusCode).toBe(403);
    await t.database.db.update(staffUsers).set({ oidcIssuer: issuer, oidcSubject: 'subject-disabled' }).where(eq(staffUsers.id, user.id));
    const linked = await signInThroughProvider('subject-disabled');
    expect(linked.res.statusCode).toBe(403);
    expect(linked.res.body).toContain('disabled');
    expect(await staffSessions(user.id)).toHaveLength(0);
  });

  it('refuses an answer that does not belong to this browser’s attempt, or comes back a second time', async () => {
    const email = `replay.${Date.now()}@staff.example.test`;
    const user = await createStaff(t.database.db, { role: 'interviewer', email });
    accounts.set('subject-replay', { email, email_verified: true });
    const { browser, back, res } = await signInThroughProvider('subject-replay');
    expect(res.statusCode).toBe(303);
    expect(browser.cookies.has(SSO_COOKIE)).toBe(false);
    expect((await browser.get(back.pathname + back.search)).statusCode).toBe(400);
    expect(await staffSessions(user.id)).toHaveLength(1);

    // Another browser (no attempt cookie) brings the same answer: refused, nothing signed in.
    const other = new FormClient(t.app);
    const stolen = await other.get(back.pathname + back.search);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('Start again from the sign-in page');
    expect(other.cookies.has(STAFF_COOKIE)).toBe(false);

    // A browser with its own attempt, given someone else's answer: the state does not match.
    const mixed = new FormClient(t.app);
    await mixed.get('/staff/sso/start');
    const refused = await mixed.get(back.pathname + back.search);
    expect(refused.statusCode).toBe(400);
    expect(mixed.cookies.has(STAFF_COOKIE)).toBe(false);

    // A forged attempt cookie is refused before anything is asked of the provider.
    const forged = new FormClient(t.app);
    forged.cookies.set(SSO_COOKIE, 'eyJzdGF0ZSI6IngifQ.bm90LWEtc2lnbmF0dXJl');
    expect((await forged.get(back.pathname + back.search)).statusCode).toBe(400);
  });

  it('shows the provider’s refusal as a page, not an error', async () => {
    const browser = new FormClient(t.app);
    const start = await browser.get('/staff/sso/start');
    const state = new URL(start.headers.location!).searchParams.get('state')!;
    const res = await browser.get(`/staff/sso/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(issuer)}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('did not sign you in (access_denied)');
  });
});

describe('single sign-on when it is not configured', () => {
  it('has no routes and no button', async () => {
    const plain = await testApp({ deps: {} });
    try {
      expect((await plain.app.inject({ method: 'GET', url: '/staff/sso/start' })).statusCode).toBe(404);
      expect((await plain.app.inject({ method: 'GET', url: '/staff/sso/callback?code=x' })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
