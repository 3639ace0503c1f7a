import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsTestApp, FormClient } from '../../../../test/support/account-client.ts';
import type { RecordingMail } from '../../../../test/support/recording-mail.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, authTokens, candidateAccounts, people, sessions } from '../../db/schema/index.ts';

let t: TestApp & { mail: RecordingMail };
let n = 0;
/** A fresh address per test, so tests never share an account or a rate-limit counter. */
const address = (name = 'person') => `${name}.${++n}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  t = await accountsTestApp();
});
afterAll(() => t.close());

const client = () => new FormClient(t.app);

/** Signs up and follows the verification link: a verified, signed-in client. */
async function verifiedAccount(email = address()): Promise<{ browser: FormClient; email: string }> {
  const browser = client();
  const res = await browser.submit('/account/sign-up', { email, password: PASSWORD });
  expect(res.statusCode).toBe(303);
  await browser.get(t.mail.linkPath(email, 'verify_email'));
  const verified = await browser.post('/account/verify', { token: tokenOf(t.mail.linkPath(email, 'verify_email')) });
  expect(verified.headers.location).toBe('/account?notice=verified');
  return { browser, email };
}

const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token') ?? path.split('/').at(-1)!;

async function personId(email: string): Promise<number> {
  const [row] = await t.database.db.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = lower(${email})`);
  return row!.id;
}

async function actions(email: string): Promise<string[]> {
  const rows = await t.database.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, String(await personId(email))))
    .orderBy(auditEvents.id);
  return rows.map((r) => r.action);
}

describe(`signing up on ${testEngine}`, () => {
  it('creates an account, emails a verification link, and verifying it signs the person in', async () => {
    const email = address('ada');
    const browser = client();
    const page = await browser.get('/account/sign-up');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toMatch(/type="email" autocomplete="email"/i);
    expect(page.body).toMatch(/type="password" autocomplete="new-password"/i);
    expect(page.body).not.toMatch(/onpaste|readonly/i);

    const res = await browser.post('/account/sign-up', { email, password: PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/email-sent?reason=sign-up');
    expect(browser.cookies.has('dayone_session')).toBe(false);

    const mail = t.mail.last(email, 'verify_email');
    expect(mail.subject).toContain('Confirm your email address');
    expect(mail.html).toContain('https://careers.example.test/account/verify?token=');
    const link = t.mail.linkPath(email, 'verify_email');

    // Opening the link changes nothing: a mail scanner that follows links cannot use it up.
    const confirm = await browser.get(link);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Confirm my email address');
    const verified = await browser.post('/account/verify', { token: tokenOf(link) });
    expect(verified.statusCode).toBe(303);
    expect(verified.headers.location).toBe('/account?notice=verified');

    const account = await browser.get(verified.headers.location!);
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain(email);
    expect(account.body).toContain('(confirmed)');
    expect(account.body).toContain('Thank you: your email address is confirmed.');
    expect(account.body).not.toContain('Send the confirmation link again');
    expect(await actions(email)).toEqual(['account.created', 'email.verified', 'session.signed_in']);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Secure on https, for 30 days, and stores only its SHA-256', async () => {
    const { email } = await verifiedAccount();
    const browser = client();
    const res = await browser.submit('/account/sign-in', { email, password: PASSWORD });
    const header = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]).find((c) => c.startsWith('dayone_session='))!;
    expect(header).toMatch(/; Max-Age=2592000/);
    expect(header).toMatch(/; Path=\/(;|$)/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; SameSite=Lax/);
    const token = browser.cookies.get('dayone_session')!;
    expect(token).toMatch(/^[\w-]{43}$/);
    const stored = await t.database.db.select().from(sessions).where(eq(sessions.subjectId, await personId(email)));
    expect(stored.map((s) => s.tokenHash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(stored.map((s) => s.tokenHash)).not.toContain(token);
    expect(stored.every((s) => s.kind === 'candidate')).toBe(true);
    const days = (stored[0]!.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
  });

  it('refuses passwords under 10 characters and common ones, beside the field, keeping the email but never the password', async () => {
    const browser = client();
    const email = address();
    const short = await browser.submit('/account/sign-up', { email, password: 'tiny-pw' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('role="alert"');
    expect(short.body).toContain('<a href="#password">Use at least 10 characters</a>');
    expect(short.body).toContain('id="password-error"');
    expect(short.body).toContain(`value="${email}"`);
    expect(short.body).not.toContain('tiny-pw');
    expect(short.body).toContain('<title>Error: Create an account');

    const common = await browser.post('/account/sign-up', { email, password: 'Password123' });
    expect(common.statusCode).toBe(400);
    expect(common.body).toContain('one of the most common ones');
    expect(common.body).not.toContain('Password123');

    const badEmail = await browser.post('/account/sign-up', { email: 'not-an-address', password: PASSWORD });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.body).toContain('<a href="#email">Enter an email address like name@example.com</a>');
    expect(t.mail.to(email)).toEqual([]);
  });

  it('treats an address in any letter case as the same person, and links a new account to a person who already applied', async () => {
    const email = address('Grace');
    const [existing] = await t.database.db.insert(people).values({ email, name: 'Grace Hopper' }).returning({ id: people.id });
    const browser = client();
    await browser.submit('/account/sign-up', { email: email.toUpperCase(), password: PASSWORD });
    const rows = await t.database.db.select().from(people).where(sql`lower(${people.email}) = lower(${email})`);
    expect(rows).toHaveLength(1);
    const [account] = await t.database.db.select().from(candidateAccounts).where(eq(candidateAccounts.personId, existing!.id));
    expect(account!.passwordHash).toMatch(/^\$argon2id\$/);
    const [created] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, String(existing!.id)));
    expect(created).toMatchObject({ action: 'account.created', actorType: 'anonymous', after: { linkedToExistingPerson: true } });

    const signIn = await client().submit('/account/sign-in', { email: email.toLowerCase(), password: PASSWORD });
    expect(signIn.statusCode).toBe(303);
  });
});

describe(`no email enumeration on ${testEngine}`, () => {
  it('answers sign-up the same for a new and a registered address, and never changes the existing password', async () => {
    const { email } = await verifiedAccount();
    const fresh = await client().submit('/account/sign-up', { email: address(), password: PASSWORD });
    const known = await client().submit('/account/sign-up', { email: email.toUpperCase(), password: 'another long passphrase' });
    expect(known.statusCode).toBe(fresh.statusCode);
    expect(known.headers.location).toBe(fresh.headers.location);
    expect(known.body).toBe(fresh.body);
    // The owner hears about it by email; the old password still works and the new one does not.
    expect(t.mail.last(email).kind).toBe('account_exists');
    expect((await client().submit('/account/sign-in', { email, password: 'another long passphrase' })).statusCode).toBe(401);
    expect((await client().submit('/account/sign-in', { email, password: PASSWORD })).statusCode).toBe(303);
  });

  it('answers reset and link requests the same for known and unknown addresses, emailing only the known', async () => {
    const { email } = await verifiedAccount();
    const unknown = address('nobody');
    for (const page of ['/account/reset', '/account/sign-in/link']) {
      const a = await client().submit(page, { email });
      const b = await client().submit(page, { email: unknown });
      expect(a.statusCode).toBe(303);
      expect(b.statusCode).toBe(303);
      expect(b.headers.location).toBe(a.headers.location);
      const sentA = await client().get(a.headers.location!);
      const sentB = await client().get(b.headers.location!);
      expect(sentA.body).toBe(sentB.body);
      expect(sentA.body).toContain('If an account exists for this address');
    }
    expect(t.mail.to(unknown)).toEqual([]);
    expect(t.mail.to(email).map((m) => m.kind)).toEqual(['verify_email', 'reset_password', 'sign_in_link']);
  });

  it('fails a wrong password and an unknown address with the same 401 and message', async () => {
    const { email } = await verifiedAccount();
    const wrong = await client().submit('/account/sign-in', { email, password: 'not the password at all' });
    const unknown = await client().submit('/account/sign-in', { email: address('ghost'), password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toContain('The email address or password is not right');
    expect(wrong.body.replace(/value="[^"]*"/g, '')).toBe(unknown.body.replace(/value="[^"]*"/g, ''));
    expect(wrong.body).not.toContain('not the password at all');
  });
});

describe(`signing in and out on ${testEngine}`, () => {
  it('signs in with a password, signs out, and the old cookie no longer works', async () => {
    const { browser, email } = await verifiedAccount();
    await browser.get('/account');
    await browser.post('/account/sign-out');
    expect((await browser.get('/account')).headers.location).toBe('/account/sign-in');
    const signIn = await browser.submit('/account/sign-in', { email: email.toUpperCase(), password: PASSWORD });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/account');
    const token = browser.cookies.get('dayone_session')!;
    await browser.get('/account');
    const out = await browser.post('/account/sign-out');
    expect(out.headers.location).toBe('/account/sign-in?signed-out');
    expect(browser.cookies.has('dayone_session')).toBe(false);
    const replay = await t.app.inject({ url: '/account', headers: { cookie: `dayone_session=${token}` } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/account/sign-in');
    expect(await actions(email)).toEqual([
      'account.created',
      'email.verified',
      'session.signed_in',
      'session.signed_out',
      'session.signed_in',
      'session.signed_out',
    ]);
  });

  it('signs out everywhere: every session of the person ends, on every device', async () => {
    const { browser: laptop, email } = await verifiedAccount();
    const phone = client();
    await phone.submit('/account/sign-in', { email, password: PASSWORD });
    expect((await phone.get('/account')).statusCode).toBe(200);
    await laptop.get('/account');
    const res = await laptop.post('/account/sign-out-everywhere');
    expect(res.headers.location).toBe('/account/sign-in?signed-out=everywhere');
    expect((await phone.get('/account')).statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(303);
    const left = await t.database.db.select().from(sessions).where(eq(sessions.subjectId, await personId(email)));
    expect(left).toEqual([]);
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.subjectId} = ${String(await personId(email))} and ${auditEvents.action} = 'session.revoked_all'`);
    expect(event).toMatchObject({ actorType: 'candidate', after: { sessions: 2 } });
  });

  it('lets an unverified account in, shows that it is unverified, and resends the link', async () => {
    const browser = client();
    const email = address();
    await browser.submit('/account/sign-up', { email, password: PASSWORD });
    await browser.submit('/account/sign-in', { email, password: PASSWORD });
    const account = await browser.get('/account');
    expect(account.body).toContain('(not confirmed yet)');
    const resend = await browser.post('/account/verify/resend');
    expect(resend.headers.location).toBe('/account?notice=verification-sent');
    expect(t.mail.to(email).filter((m) => m.kind === 'verify_email')).toHaveLength(2);
  });

  it('signs in once with an emailed link, and refuses the same link a second time', async () => {
    const { email } = await verifiedAccount();
    const browser = client();
    await browser.submit('/account/sign-in/link', { email });
    const link = t.mail.linkPath(email, 'sign_in_link');
    expect(link).toMatch(/^\/account\/sign-in\/link\/[\w-]{43}$/);
    const confirm = await browser.get(link);
    expect(confirm.body).toContain('Sign me in');
    const res = await browser.post(link);
    expect(res.statusCode).toBe(303);
    expect((await browser.get('/account')).statusCode).toBe(200);

    const again = client();
    expect((await again.get(link)).statusCode).toBe(400);
    await again.get('/account/sign-in');
    const reuse = await again.post(link);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.body).toContain('This link no longer works');
    expect(again.cookies.has('dayone_session')).toBe(false);
  });

  it('gives a person who only applied an account, verified, when they sign in by link', async () => {
    const email = address('applicant');
    await t.database.db.insert(people).values({ email });
    const browser = client();
    await browser.submit('/account/sign-in/link', { email });
    const link = t.mail.linkPath(email, 'sign_in_link');
    await browser.get(link);
    await browser.post(link);
    expect((await browser.get('/account')).body).toContain('(confirmed)');
    expect(await actions(email)).toEqual(['session.link_requested', 'account.created', 'session.signed_in']);
  });
});

describe(`resetting a password on ${testEngine}`, () => {
  it('sets a new password from the emailed link, signs out every other session, and spends the link', async () => {
    const { browser: old, email } = await verifiedAccount();
    const browser = client();
    await browser.submit('/account/reset', { email });
    const link = t.mail.linkPath(email, 'reset_password');
    const form = await browser.get(link);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/autocomplete="new-password"/i);

    const weak = await browser.post(link, { password: 'qwertyuiop' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('one of the most common ones');

    const res = await browser.post(link, { password: 'a brand new passphrase' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account?notice=password-changed');
    expect((await browser.get('/account')).statusCode).toBe(200);
    expect((await old.get('/account')).statusCode).toBe(303);

    expect((await client().submit('/account/sign-in', { email, password: PASSWORD })).statusCode).toBe(401);
    expect((await client().submit('/account/sign-in', { email, password: 'a brand new passphrase' })).statusCode).toBe(303);
    const again = client();
    expect((await again.get(link)).statusCode).toBe(400);
    await again.get('/account/reset');
    expect((await again.post(link, { password: 'yet another passphrase' })).statusCode).toBe(400);
    expect(await actions(email)).toEqual(expect.arrayContaining(['password.reset_requested', 'password.changed', 'session.revoked_all']));
  });

  it('refuses an expired link', async () => {
    const { email } = await verifiedAccount();
    const browser = client();
    await browser.submit('/account/reset', { email });
    const link = t.mail.linkPath(email, 'reset_password');
    await t.database.db
      .update(authTokens)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(authTokens.tokenHash, createHash('sha256').update(tokenOf(link)).digest('hex')));
    const res = await browser.get(link);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The link has expired or has already been used');
    expect((await browser.post(link, { password: 'a brand new passphrase' })).statusCode).toBe(400);
  });

  it('refuses a verification link that was already used', async () => {
    const browser = client();
    const email = address();
    await browser.submit('/account/sign-up', { email, password: PASSWORD });
    const link = t.mail.linkPath(email, 'verify_email');
    await browser.get(link);
    expect((await browser.post('/account/verify', { token: tokenOf(link) })).statusCode).toBe(303);
    const other = client();
    expect((await other.get(link)).statusCode).toBe(400);
    await other.get('/account/sign-in');
    expect((await other.post('/account/verify', { token: tokenOf(link) })).statusCode).toBe(400);
  });
});

describe(`forged forms on ${testEngine}`, () => {
  it('refuses a POST without the anti-forgery token with 403, as a page and as JSON', async () => {
    const browser = client();
    await browser.get('/account/sign-in');
    const page = await browser.post('/account/sign-in', { _csrf: null, email: address(), password: PASSWORD });
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('did not come from this site');
    const json = await browser.post('/account/sign-in', { _csrf: 'forged', email: address(), password: PASSWORD }, { accept: 'application/json' });
    expect(json.statusCode).toBe(403);
    expect(json.json()).toMatchObject({ code: 'csrf_invalid' });
  });

  it('refuses a signed-in action carrying another session’s token', async () => {
    const { browser: victim } = await verifiedAccount();
    const { browser: attacker } = await verifiedAccount();
    await attacker.get('/account');
    await victim.get('/account');
    const res = await victim.post('/account/sign-out-everywhere', { _csrf: attacker.csrf });
    expect(res.statusCode).toBe(403);
    expect((await victim.get('/account')).statusCode).toBe(200);
  });

  it('refuses a form token without the cookie it was made for', async () => {
    const browser = client();
    await browser.get('/account/sign-up');
    browser.cookies.delete('dayone_csrf');
    const res = await browser.post('/account/sign-up', { email: address(), password: PASSWORD });
    expect(res.statusCode).toBe(403);
  });
});

describe(`rate limits on ${testEngine}`, () => {
  it('answers 429 with Retry-After and a readable message after 10 sign-in attempts for one address', async () => {
    const { email } = await verifiedAccount();
    let res;
    for (let i = 0; i < 10; i++) {
      res = await client().submit('/account/sign-in', { email, password: `wrong password ${i}` });
      expect(res.statusCode).toBe(401);
    }
    res = await client().submit('/account/sign-in', { email, password: PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(res.body).toContain('Too many attempts');
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain(`value="${email}"`);
    // Another address from the same place is not held up.
    const other = await verifiedAccount();
    expect((await client().submit('/account/sign-in', { email: other.email, password: PASSWORD })).statusCode).toBe(303);
  });

  it('limits reset requests per IP address, whatever the addresses', async () => {
    const small = await accountsTestApp({
      limits: {
        signIn: { ip: { limit: 50, windowSeconds: 900 }, email: { limit: 10, windowSeconds: 900 } },
        signUp: { ip: { limit: 2, windowSeconds: 3600 }, email: { limit: 5, windowSeconds: 3600 } },
        reset: { ip: { limit: 2, windowSeconds: 3600 }, email: { limit: 5, windowSeconds: 3600 } },
        link: { ip: { limit: 2, windowSeconds: 3600 }, email: { limit: 5, windowSeconds: 3600 } },
        resend: { email: { limit: 1, windowSeconds: 3600 } },
      },
    });
    try {
      const browser = new FormClient(small.app, '192.0.2.7');
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await browser.submit('/account/reset', { email: address() })).statusCode);
      expect(statuses).toEqual([303, 303, 429]);
      const rows = await small.database.db.select().from(sql`rate_limits` as never);
      expect(JSON.stringify(rows)).not.toContain('@example.com');
    } finally {
      await small.close();
    }
  });
});

describe(`cookies over plain http on ${testEngine}`, () => {
  it('leaves out Secure when the public URL is http', async () => {
    const plain = await accountsTestApp({ publicUrl: 'http://localhost:3000' });
    try {
      const res = await new FormClient(plain.app).get('/account/sign-in');
      const header = String(res.headers['set-cookie']);
      expect(header).toContain('dayone_csrf=');
      expect(header).toContain('HttpOnly');
      expect(header).not.toContain('Secure');
    } finally {
      await plain.close();
    }
  });
});
