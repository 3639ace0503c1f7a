import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, sessions, staffInvites, staffUsers } from '../../db/schema/index.ts';
import { DEFAULT_LIMITS } from '../accounts/rate-limit.ts';
import { hashToken } from '../accounts/sessions.ts';
import { STAFF_COOKIE } from './staff.scope.ts';

const OLD_PASSWORD = 'the old staff password 17';
const NEW_PASSWORD = 'a brand new staff password 42';
const SENT = '/staff/forgot-password?sent';

let t: TestApp;
const mail = new RecordingMail();
let n = 0;
const address = (name = 'staff') => `${name}.${++n}.${Date.now()}@staff.example.test`;

beforeAll(async () => {
  t = await testApp({ deps: { mail } });
});
afterAll(() => t.close());

/** Opens "Forgot your password?" and sends the form, as a person does. */
async function askForLink(email: string, browser = new FormClient(t.app)) {
  await browser.get('/staff/forgot-password');
  return browser.post('/staff/forgot-password', { email });
}

async function signIn(email: string, password: string) {
  const browser = new FormClient(t.app);
  await browser.get('/staff/sign-in');
  const res = await browser.post('/staff/sign-in', { email, password });
  return { browser, res };
}

const tokenOf = (link: string) => new URL(link, 'https://x.test').searchParams.get('token')!;

async function sessionsOf(userId: number) {
  return t.database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, userId)));
}

async function linksOf(userId: number) {
  return t.database.db.select().from(staffInvites).where(eq(staffInvites.userId, userId));
}

async function auditOf(userId: number) {
  return t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'staff_user'), eq(auditEvents.subjectId, String(userId))))
    .orderBy(auditEvents.id);
}

/** A member of staff with a password, who asked for a link; answers the link's path. */
async function withResetLink(options: { email?: string } = {}) {
  const email = options.email ?? address();
  const user = await createStaff(t.database.db, { role: 'recruiter', email, password: OLD_PASSWORD });
  expect((await askForLink(email)).headers.location).toBe(SENT);
  return { user, email, link: mail.linkPath(email, 'staff_password_reset') };
}

describe(`staff "forgot your password?" on ${testEngine}`, () => {
  it('is offered on the sign-in page, as a plain form that works without JavaScript', async () => {
    const signInPage = await new FormClient(t.app).get('/staff/sign-in');
    expect(signInPage.body).toMatch(/<a href="\/staff\/forgot-password">Forgot your password\?<\/a>/);
    const res = await new FormClient(t.app).get('/staff/forgot-password');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/<form[^>]* action="\/staff\/forgot-password"/);
    expect(res.body).toMatch(/<form[^>]* method="post"/);
    expect(res.body).toContain('name="_csrf"');
    expect(res.body).toMatch(/<label for="email">/);
  });

  it('emails a member of staff a link that works once, for one hour', async () => {
    const email = address('ada');
    const user = await createStaff(t.database.db, { role: 'admin', email, password: OLD_PASSWORD });
    const browser = new FormClient(t.app);
    const res = await askForLink(email.toUpperCase(), browser);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(SENT);
    const page = await browser.get(res.headers.location!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('If that address belongs to a member of staff, we have sent it a link');
    expect(page.body).toContain('one hour');

    const message = mail.last(email, 'staff_password_reset');
    expect(message.to).toBe(email);
    expect(message.text).toContain('https://careers.example.test/staff/reset-password?token=');
    expect(message.text).toContain('1 hour');
    expect(message.html).toContain('<a href="https://careers.example.test/staff/reset-password?token=');
    expect(message.html).not.toMatch(/<(?!\/?(p|a)\b)/);
    const link = mail.linkPath(email, 'staff_password_reset');
    const [stored] = await linksOf(user.id);
    expect(stored!.tokenHash).toBe(hashToken(tokenOf(link)));
    expect(stored!.usedAt).toBeNull();
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
  });

  it('emails someone who signs in only by single sign-on too (they may choose a password)', async () => {
    const email = address('sso');
    const user = await createStaff(t.database.db, { role: 'interviewer', email });
    await t.database.db.update(staffUsers).set({ oidcIssuer: 'https://idp.example.test', oidcSubject: `sub-${user.id}` }).where(eq(staffUsers.id, user.id));
    await askForLink(email);
    expect(mail.to(email).map((m) => m.kind)).toEqual(['staff_password_reset']);
  });

  it('gives the same answer for an unknown, a disabled and a not yet joined address, and sends and writes nothing', async () => {
    const disabled = address('disabled');
    const off = await createStaff(t.database.db, { role: 'recruiter', email: disabled, password: OLD_PASSWORD });
    await t.database.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, off.id));
    const invited = address('invited');
    const newcomer = await createStaff(t.database.db, { role: 'recruiter', email: invited });
    const known = address('known');
    await createStaff(t.database.db, { role: 'recruiter', email: known, password: OLD_PASSWORD });

    const answers = [];
    for (const email of [known, address('nobody'), disabled, invited]) {
      const browser = new FormClient(t.app);
      const res = await askForLink(email, browser);
      const page = await browser.get(res.headers.location!);
      answers.push({ status: res.statusCode, location: res.headers.location, page: page.body.replace(/value="[^"]{40,}"/g, 'TOKEN') });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(mail.to(known)).toHaveLength(1);
    for (const email of [disabled, invited]) expect(mail.to(email)).toHaveLength(0);
    for (const id of [off.id, newcomer.id]) {
      expect(await linksOf(id)).toHaveLength(0);
      expect((await auditOf(id)).map((e) => e.action)).not.toContain('staff.password_reset_requested');
    }
  });

  it('refuses an address that is not one, keeping what was typed', async () => {
    const browser = new FormClient(t.app);
    await browser.get('/staff/forgot-password');
    const res = await browser.post('/staff/forgot-password', { email: 'not an address' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('value="not an address"');
    expect((await browser.post('/staff/forgot-password', { email: '' })).statusCode).toBe(400);
  });

  it('refuses a form without the anti-forgery token, and sends nothing', async () => {
    const email = address();
    await createStaff(t.database.db, { role: 'admin', email, password: OLD_PASSWORD });
    const browser = new FormClient(t.app);
    await browser.get('/staff/forgot-password');
    expect((await browser.post('/staff/forgot-password', { email, _csrf: null })).statusCode).toBe(403);
    expect(mail.to(email)).toHaveLength(0);
  });

  it('limits requests per typed address: 429 with Retry-After, the form again, and no more email', async () => {
    const email = address('flooded');
    await createStaff(t.database.db, { role: 'admin', email, password: OLD_PASSWORD });
    let answered = 0;
    let last;
    let typed = '';
    for (let i = 0; i <= DEFAULT_LIMITS.reset.email.limit; i++) {
      // Each request from another client, in any letter case: only the address is counted.
      typed = i % 2 ? email.toUpperCase() : email;
      last = await askForLink(typed);
      if (last.statusCode !== 303) break;
      answered += 1;
    }
    expect(last!.statusCode).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toContain('Too many attempts');
    expect(last!.body).toMatch(/<form[^>]* action="\/staff\/forgot-password"/);
    expect(last!.body).toContain(`value="${typed}"`);
    expect(answered).toBeGreaterThan(0);
    expect(mail.to(email)).toHaveLength(answered);
  });

  it('limits requests per client, whatever addresses it types', async () => {
    const browser = new FormClient(t.app);
    let last;
    for (let i = 0; i <= DEFAULT_LIMITS.reset.ip.limit; i++) {
      last = await askForLink(address('spray'), browser);
      if (last.statusCode !== 303) break;
    }
    expect(last!.statusCode).toBe(429);
    expect(last!.headers['retry-after']).toBeDefined();
  });
});

describe(`choosing a new staff password from the link on ${testEngine}`, () => {
  it('sets the new password, ends every other session, signs in here and records it; the link then works no more', async () => {
    const { user, email, link } = await withResetLink();
    const before = await t.database.db.select({ hash: staffUsers.passwordHash }).from(staffUsers).where(eq(staffUsers.id, user.id));
    const { browser: elsewhere } = await signIn(email, OLD_PASSWORD);
    const { browser: another } = await signIn(email, OLD_PASSWORD);
    expect(await sessionsOf(user.id)).toHaveLength(2);

    // Opening the link changes nothing (mail scanners follow links).
    const reader = new FormClient(t.app);
    const page = await reader.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Choose a new password');
    expect(page.body).toContain(email);
    expect(page.body).toMatch(/autocomplete="new-password"/i);
    expect(page.body).toMatch(/<form[^>]* action="\/staff\/reset-password"/);
    expect(page.body).not.toContain('name="name"');
    expect((await linksOf(user.id))[0]!.usedAt).toBeNull();

    const res = await reader.post('/staff/reset-password', { token: tokenOf(link), password: NEW_PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
    expect(reader.cookies.has(STAFF_COOKIE)).toBe(true);
    const left = await sessionsOf(user.id);
    expect(left).toHaveLength(1);
    expect(left[0]!.tokenHash).toBe(hashToken(reader.cookies.get(STAFF_COOKIE)!));
    expect((await reader.get('/staff')).statusCode).toBe(200);
    for (const old of [elsewhere, another]) {
      const shut = await old.get('/staff');
      expect(shut.statusCode).toBe(303);
      expect(shut.headers.location).toMatch(/^\/staff\/sign-in/);
    }

    // The old password stops working; the new one works.
    expect((await signIn(email, OLD_PASSWORD)).res.statusCode).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).res.statusCode).toBe(303);

    // The link is spent: opened or posted again, a clear 400 page that offers a new one.
    const again = await new FormClient(t.app).get(link);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('has expired or has already been used');
    expect(again.body).toContain('href="/staff/forgot-password"');
    const replay = new FormClient(t.app);
    await replay.get('/staff/sign-in');
    expect((await replay.post('/staff/reset-password', { token: tokenOf(link), password: 'yet another long password' })).statusCode).toBe(400);
    expect(replay.cookies.has(STAFF_COOKIE)).toBe(false);
    expect((await signIn(email, NEW_PASSWORD)).res.statusCode).toBe(303);

    const audit = await auditOf(user.id);
    expect(audit.map((e) => e.action)).toEqual([
      'staff.password_reset_requested',
      'staff.signed_in',
      'staff.signed_in',
      'staff.password_reset',
      'staff.signed_in',
      'staff.signed_in',
    ]);
    expect(audit.find((e) => e.action === 'staff.password_reset')).toMatchObject({ actorType: 'staff', actorId: user.id });
    const stored = JSON.stringify(audit);
    expect(stored).not.toContain('argon2');
    expect(stored).not.toContain(before[0]!.hash!);
    expect(stored).not.toContain(NEW_PASSWORD);
  });

  it('refuses an expired link, a malformed one and an unknown one with a 400 page, changing nothing', async () => {
    const { user, email, link } = await withResetLink();
    await t.database.db
      .update(staffInvites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(staffInvites.tokenHash, hashToken(tokenOf(link))));
    const browser = new FormClient(t.app);
    await browser.get('/staff/sign-in');
    const res = await browser.get(link);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This link cannot be used');
    expect(res.body).toContain('href="/staff/forgot-password"');
    expect((await browser.post('/staff/reset-password', { token: tokenOf(link), password: NEW_PASSWORD })).statusCode).toBe(400);
    expect((await browser.get('/staff/reset-password?token=nonsense')).statusCode).toBe(400);
    expect((await browser.get('/staff/reset-password')).statusCode).toBe(400);
    expect((await browser.get(`/staff/reset-password?token=${'A'.repeat(43)}`)).statusCode).toBe(400);
    expect((await browser.post('/staff/reset-password', { token: 'nonsense', password: NEW_PASSWORD })).statusCode).toBe(400);
    expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
    expect((await signIn(email, OLD_PASSWORD)).res.statusCode).toBe(303);
    expect((await auditOf(user.id)).map((e) => e.action)).not.toContain('staff.password_reset');
  });

  it('refuses a short, common or email-like password without showing it again; the link still works after', async () => {
    const { email, link } = await withResetLink({ email: address('grace') });
    const browser = new FormClient(t.app);
    await browser.get(link);
    const tries: Array<[string, string]> = [
      ['short pw', 'Use at least 10 characters'],
      ['password123', 'one of the most common'],
      [email.split('@')[0]!, 'not your email address'],
    ];
    for (const [password, message] of tries) {
      const res = await browser.post('/staff/reset-password', { token: tokenOf(link), password });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain('href="#password"');
      expect(res.body).not.toContain(`value="${password}"`);
      expect(res.body).toMatch(/<title>Error: /);
      expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
    }
    expect((await signIn(email, OLD_PASSWORD)).res.statusCode).toBe(303);
    expect((await browser.post('/staff/reset-password', { token: tokenOf(link), password: NEW_PASSWORD })).statusCode).toBe(303);
  });

  it('keeps only the newest link working', async () => {
    const { email, link: first } = await withResetLink();
    await askForLink(email);
    const second = mail.linkPath(email, 'staff_password_reset');
    expect(second).not.toBe(first);
    expect((await new FormClient(t.app).get(first)).statusCode).toBe(400);
    expect((await new FormClient(t.app).get(second)).statusCode).toBe(200);
  });

  it('stops working when the account is disabled', async () => {
    const { user, link } = await withResetLink();
    const browser = new FormClient(t.app);
    await browser.get(link);
    await t.database.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, user.id));
    expect((await browser.post('/staff/reset-password', { token: tokenOf(link), password: NEW_PASSWORD })).statusCode).toBe(400);
    expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
    expect((await new FormClient(t.app).get(link)).statusCode).toBe(400);
  });

  it('resets the password, not a profile, even when the link is posted to the invitation address', async () => {
    const { user, email, link } = await withResetLink();
    const { browser: elsewhere } = await signIn(email, OLD_PASSWORD);
    const browser = new FormClient(t.app);
    expect((await browser.get(`/staff/invite?token=${tokenOf(link)}`)).body).toContain('Choose a new password');
    const res = await browser.post('/staff/invite', { token: tokenOf(link), name: 'Mallory', password: NEW_PASSWORD });
    expect(res.statusCode).toBe(303);
    expect((await elsewhere.get('/staff')).statusCode).toBe(303);
    const [row] = await t.database.db.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, user.id));
    expect(row!.name).toBe(user.name);
    expect((await auditOf(user.id)).map((e) => e.action)).toContain('staff.password_reset');
  });
});
