import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, candidateAccounts, people, sessions, staffUsers } from '../../db/schema/index.ts';
import { hashToken, newToken, SESSION_COOKIE } from '../accounts/sessions.ts';
import { safeNext } from './auth.service.ts';
import { STAFF_COOKIE } from './staff.scope.ts';

const PASSWORD = 'a long staff password 42';
/** Small limits, so the tests reach them; each test uses its own addresses and client IP. */
const LIMITS = { ip: { limit: 8, windowSeconds: 900 }, email: { limit: 3, windowSeconds: 900 } };

let t: TestApp;
let n = 0;
const address = (name = 'staff') => `${name}.${++n}.${Date.now()}@staff.example.test`;

beforeAll(async () => {
  t = await testApp({ deps: { staffSignInLimits: LIMITS, mail: new RecordingMail() } });
});
afterAll(() => t.close());

/** Opens the sign-in page, then posts it: what a person does. */
async function signIn(browser: FormClient, email: string, password: string, next?: string) {
  const url = next === undefined ? '/staff/sign-in' : `/staff/sign-in?next=${encodeURIComponent(next)}`;
  await browser.get(url);
  return browser.post(url, { email, password });
}

const staffCookieOf = (res: { cookies: unknown }) =>
  (res.cookies as Array<{ name: string; value: string; path?: string; httpOnly?: boolean; sameSite?: string; secure?: boolean }>).find((c) => c.name === STAFF_COOKIE);

async function sessionsOf(userId: number) {
  return t.database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, userId)));
}

describe(`staff sign-in on ${testEngine}`, () => {
  it('shows a form that password managers understand and that works without JavaScript', async () => {
    const res = await new FormClient(t.app).get('/staff/sign-in');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/<form[^>]* action="\/staff\/sign-in"[^>]*>/);
    expect(res.body).toMatch(/<form[^>]* method="post"/);
    expect(res.body).toMatch(/type="email" autocomplete="username"/i);
    expect(res.body).toMatch(/type="password" autocomplete="current-password"/i);
    expect(res.body).toContain('name="_csrf"');
    // Without OIDC settings there is no single sign-on button.
    expect(res.body).not.toContain('Sign in with');
  });

  it('signs in with the right password, records it, and sets a staff cookie for /staff only', async () => {
    const email = address('ada');
    const user = await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    const browser = new FormClient(t.app);
    const res = await signIn(browser, email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
    const cookie = staffCookieOf(res)!;
    expect(cookie).toMatchObject({ path: '/staff', httpOnly: true, sameSite: 'Lax', secure: true });
    expect(await sessionsOf(user.id)).toHaveLength(1);
    expect((await browser.get('/staff/users')).statusCode).toBe(200);

    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.signed_in'), eq(auditEvents.subjectId, String(user.id))));
    expect(audit).toMatchObject({ actorType: 'staff', actorId: user.id, after: { method: 'password' } });
  });

  it('goes back to the workspace page that asked for sign-in', async () => {
    const email = address();
    await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    const browser = new FormClient(t.app);
    const asked = await browser.get('/staff/users?notice=saved');
    expect(asked.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fusers%3Fnotice%3Dsaved');
    await browser.get(asked.headers.location!);
    const res = await browser.post(asked.headers.location!, { email, password: PASSWORD });
    expect(res.headers.location).toBe('/staff/users?notice=saved');
  });

  it.each(['https://evil.example/staff', '//evil.example/staff', '/\\evil.example', '/staff//evil.example', '/staffing', '/account', 'javascript:alert(1)', '/staff/../account', '/staff/%2E%2E/account'])(
    'never sends anyone off the workspace after sign-in (next=%s)',
    async (next) => {
      expect(safeNext(next)).toBe('/staff');
      const email = address();
      await createStaff(t.database.db, { role: 'interviewer', email, password: PASSWORD });
      const res = await signIn(new FormClient(t.app), email, PASSWORD, next);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/staff');
    },
  );

  it('gives one answer for an unknown address, a wrong password, a disabled account and one without a password', async () => {
    const known = address('known');
    await createStaff(t.database.db, { role: 'recruiter', email: known, password: PASSWORD });
    const disabled = address('disabled');
    const off = await createStaff(t.database.db, { role: 'recruiter', email: disabled, password: PASSWORD });
    await t.database.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, off.id));
    const invited = address('invited');
    await createStaff(t.database.db, { role: 'recruiter', email: invited });

    const answers = [];
    for (const [email, password] of [
      [address('nobody'), PASSWORD],
      [known, 'not the password at all'],
      [disabled, PASSWORD],
      [invited, PASSWORD],
    ] as const) {
      const browser = new FormClient(t.app);
      const res = await signIn(browser, email, password);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain(`value="${email}"`);
      expect(res.body).not.toContain(password);
      expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
      answers.push(res.body.replaceAll(email, 'EMAIL').replace(/value="[^"]{40,}"/g, 'TOKEN'));
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('The email address or password is not right');
    expect(answers[0]).toMatch(/<title>Error: /);
  });

  it('refuses an empty form with a message beside each field', async () => {
    const browser = new FormClient(t.app);
    await browser.get('/staff/sign-in');
    const res = await browser.post('/staff/sign-in', { email: '', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('href="#password"');
  });

  it('refuses a form without the anti-forgery token', async () => {
    const email = address();
    await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    const browser = new FormClient(t.app);
    await browser.get('/staff/sign-in');
    const res = await browser.post('/staff/sign-in', { email, password: PASSWORD, _csrf: null });
    expect(res.statusCode).toBe(403);
    expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
  });

  it('slows down guessing one address: 429 with Retry-After and the form again, even with the right password', async () => {
    const email = address('target');
    await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    for (let i = 0; i < LIMITS.email.limit; i++) expect((await signIn(new FormClient(t.app), email, `wrong guess ${i}`)).statusCode).toBe(401);
    const res = await signIn(new FormClient(t.app), email, PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toContain('Too many attempts');
    expect(res.body).toContain(`value="${email}"`);
    expect(res.body).toMatch(/autocomplete="current-password"/i);
  });

  it('slows down one client trying many addresses', async () => {
    const browser = new FormClient(t.app);
    for (let i = 0; i < LIMITS.ip.limit; i++) expect((await signIn(browser, address('spray'), PASSWORD)).statusCode).toBe(401);
    const res = await signIn(browser, address('spray'), PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('sends someone signed in from the sign-in page to the workspace', async () => {
    const email = address();
    await createStaff(t.database.db, { role: 'interviewer', email, password: PASSWORD });
    const browser = new FormClient(t.app);
    await signIn(browser, email, PASSWORD);
    const res = await browser.get('/staff/sign-in');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
  });
});

describe(`staff sessions on ${testEngine}`, () => {
  it('signing out ends the session: the old cookie opens nothing', async () => {
    const email = address();
    const user = await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    const browser = new FormClient(t.app);
    await signIn(browser, email, PASSWORD);
    const token = browser.cookies.get(STAFF_COOKIE)!;
    await browser.get('/staff/users');
    const res = await browser.post('/staff/sign-out');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/sign-in?signed-out');
    expect(browser.cookies.has(STAFF_COOKIE)).toBe(false);
    expect(await sessionsOf(user.id)).toHaveLength(0);
    expect((await browser.get(res.headers.location!)).body).toContain('You are signed out.');

    const replay = new FormClient(t.app);
    replay.cookies.set(STAFF_COOKIE, token);
    expect((await replay.get('/staff/users')).statusCode).toBe(303);
  });

  it('refuses a session idle for longer than the limit (60 minutes)', async () => {
    const email = address();
    const user = await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    const browser = new FormClient(t.app);
    await signIn(browser, email, PASSWORD);
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 59 * 60_000) })
      .where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, user.id)));
    expect((await browser.get('/staff/users')).statusCode).toBe(200);
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '61 minutes'` })
      .where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, user.id)));
    const res = await browser.get('/staff/users');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fusers');
    expect(await sessionsOf(user.id)).toHaveLength(0);
  });

  it('never mixes candidate and staff sessions', async () => {
    // A candidate with a session, written straight to the database (the account tests cover signing in)…
    const [person] = await t.database.db.insert(people).values({ email: address('candidate') }).returning({ id: people.id });
    await t.database.db.insert(candidateAccounts).values({ personId: person!.id, emailVerifiedAt: new Date() });
    const candidateToken = newToken();
    await t.database.db.insert(sessions).values({ tokenHash: hashToken(candidateToken), kind: 'candidate', subjectId: person!.id, expiresAt: new Date(Date.now() + 3600_000) });
    const asCandidate = new FormClient(t.app);
    asCandidate.cookies.set(SESSION_COOKIE, candidateToken);
    expect((await asCandidate.get('/account')).statusCode).toBe(200);
    // …gets nothing under /staff, whichever cookie carries the token.
    expect((await asCandidate.get('/staff/users')).statusCode).toBe(303);
    const smuggled = new FormClient(t.app);
    smuggled.cookies.set(STAFF_COOKIE, candidateToken);
    expect((await smuggled.get('/staff/users')).statusCode).toBe(303);

    // A member of staff's session is no candidate session on /account, even when a candidate has the same number.
    const email = address();
    const member = await createStaff(t.database.db, { role: 'admin', email, password: PASSWORD });
    await t.database.db.execute(sql`insert into people (id, email) overriding system value values (${member.id}, ${address('twin')})`);
    await t.database.db.insert(candidateAccounts).values({ personId: member.id, emailVerifiedAt: new Date() });
    const staff = new FormClient(t.app);
    await signIn(staff, email, PASSWORD);
    expect((await staff.get('/staff/users')).statusCode).toBe(200);
    const account = await staff.get('/account');
    expect(account.statusCode).toBe(303);
    expect(account.headers.location).toBe('/account/sign-in');
    const asSession = new FormClient(t.app);
    asSession.cookies.set(SESSION_COOKIE, staff.cookies.get(STAFF_COOKIE)!);
    expect((await asSession.get('/account')).statusCode).toBe(303);
  });
});

describe('the staff cookie over plain http', () => {
  it('is not marked Secure when PUBLIC_URL is http', async () => {
    const plain = await testApp({ env: { PUBLIC_URL: 'http://localhost:3000' }, deps: {} });
    try {
      const email = address();
      await createStaff(plain.database.db, { role: 'admin', email, password: PASSWORD });
      const res = await signIn(new FormClient(plain.app), email, PASSWORD);
      expect(res.statusCode).toBe(303);
      expect(staffCookieOf(res)).toMatchObject({ path: '/staff', httpOnly: true, sameSite: 'Lax' });
      expect(staffCookieOf(res)!.secure).toBeFalsy();
    } finally {
      await plain.close();
    }
  });
});
