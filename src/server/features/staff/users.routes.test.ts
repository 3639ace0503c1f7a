import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, sessions, staffInvites, staffUsers, teams } from '../../db/schema/index.ts';
import { hashToken } from '../accounts/sessions.ts';
import { STAFF_COOKIE } from './staff.scope.ts';

const PASSWORD = 'a long staff password 42';

let t: TestApp;
let mail: RecordingMail;
let n = 0;
const address = (name = 'new') => `${name}.${++n}.${Date.now()}@staff.example.test`;

beforeAll(async () => {
  mail = new RecordingMail();
  t = await testApp({ deps: { mail } });
});
afterAll(() => t.close());

/** A signed-in admin's browser, with the users page's anti-forgery token. */
async function admin(): Promise<{ browser: FormClient; id: number }> {
  const user = await createStaff(t.database.db, { role: 'admin' });
  const browser = await staffClient(t.app, t.database.db, user.id);
  expect((await browser.get('/staff/users')).statusCode).toBe(200);
  return { browser, id: user.id };
}

const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;

async function userByEmail(email: string) {
  const [row] = await t.database.db.select().from(staffUsers).where(sql`lower(${staffUsers.email}) = lower(${email})`);
  return row;
}

async function auditOf(userId: number) {
  return t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'staff_user'), eq(auditEvents.subjectId, String(userId))))
    .orderBy(asc(auditEvents.id));
}

async function staffSessionCount(userId: number): Promise<number> {
  const rows = await t.database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.kind, 'staff'), eq(sessions.subjectId, userId)));
  return rows.length;
}

const invite = (browser: FormClient, fields: Record<string, string>) => browser.post('/staff/users', { role: 'interviewer', level: '5', ...fields });

describe(`inviting staff on ${testEngine}`, () => {
  it('emails a 72-hour link; accepting it sets the name and password, signs in, and works once', async () => {
    const { browser, id: adminId } = await admin();
    const email = address('grace');
    const [team] = await t.database.db.select().from(teams).orderBy(asc(teams.position)).limit(1);
    expect((await browser.get('/staff/users/new')).body).toContain(`<option value="${team!.slug}">`);
    const res = await invite(browser, { email, name: 'Grace', role: 'recruiter', barRaiser: 'yes', level: '6', team: team!.slug, managerId: String(adminId) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/users?notice=invited');

    const user = (await userByEmail(email))!;
    expect(user).toMatchObject({ name: 'Grace', role: 'recruiter', barRaiser: true, level: 6, teamId: team!.id, managerId: adminId, passwordHash: null });
    const message = mail.last(email, 'staff_invite');
    expect(message.text).toContain('https://careers.example.test/staff/invite?token=');
    expect(message.text).toContain('72 hours');
    const link = mail.linkPath(email, 'staff_invite');
    const [stored] = await t.database.db.select().from(staffInvites).where(eq(staffInvites.userId, user.id));
    expect(stored!.tokenHash).toBe(hashToken(tokenOf(link)));
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(71.9 * 3600_000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(72 * 3600_000);

    const list = await browser.get('/staff/users');
    expect(list.body).toContain(email);
    expect(list.body).toMatch(/Invited<\/span>/);

    // Opening the link changes nothing; posting the form does.
    const newcomer = new FormClient(t.app);
    const page = await newcomer.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/autocomplete="new-password"/i);
    expect(page.body).toContain(email);
    const accepted = await newcomer.post('/staff/invite', { token: tokenOf(link), name: 'Grace Hopper', password: PASSWORD });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/staff');
    expect(newcomer.cookies.has(STAFF_COOKIE)).toBe(true);
    expect(await staffSessionCount(user.id)).toBe(1);
    expect((await userByEmail(email))!.name).toBe('Grace Hopper');

    // The link is spent: a clear 400 page, whether opened or posted again.
    const again = await new FormClient(t.app).get(link);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('has expired or has already been used');
    const replay = new FormClient(t.app);
    await replay.get('/staff/sign-in');
    expect((await replay.post('/staff/invite', { token: tokenOf(link), name: 'Mallory', password: PASSWORD })).statusCode).toBe(400);
    expect((await userByEmail(email))!.name).toBe('Grace Hopper');

    // And she signs in with the password she chose.
    const later = new FormClient(t.app);
    await later.get('/staff/sign-in');
    expect((await later.post('/staff/sign-in', { email, password: PASSWORD })).statusCode).toBe(303);

    const actions = (await auditOf(user.id)).map((e) => e.action);
    expect(actions).toEqual(['staff_user.invited', 'staff_user.joined', 'staff.signed_in']);
    const audits = JSON.stringify(await auditOf(user.id));
    expect(audits).not.toContain('argon2');
    expect(list.body).not.toContain('argon2');
  });

  it('refuses an expired invitation with a clear 400 page', async () => {
    const { browser } = await admin();
    const email = address();
    await invite(browser, { email, name: 'Late' });
    const link = mail.linkPath(email, 'staff_invite');
    await t.database.db
      .update(staffInvites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(staffInvites.tokenHash, hashToken(tokenOf(link))));
    const res = await new FormClient(t.app).get(link);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This invitation cannot be used');
    expect(res.body).toContain('Ask an admin to send you a new one');
    expect((await new FormClient(t.app).get('/staff/invite?token=nonsense')).statusCode).toBe(400);
  });

  it('refuses a short or common password, keeping the name typed', async () => {
    const { browser } = await admin();
    const email = address();
    await invite(browser, { email });
    const link = mail.linkPath(email, 'staff_invite');
    const newcomer = new FormClient(t.app);
    await newcomer.get(link);
    const short = await newcomer.post('/staff/invite', { token: tokenOf(link), name: 'Ada Lovelace', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Use at least 10 characters');
    expect(short.body).toContain('value="Ada Lovelace"');
    expect(short.body).toContain('href="#password"');
    const common = await newcomer.post('/staff/invite', { token: tokenOf(link), name: 'Ada Lovelace', password: 'password123' });
    expect(common.statusCode).toBe(400);
    expect(common.body).toContain('one of the most common');
    expect(newcomer.cookies.has(STAFF_COOKIE)).toBe(false);
    // The link still works after a refused password.
    expect((await newcomer.post('/staff/invite', { token: tokenOf(link), name: 'Ada Lovelace', password: PASSWORD })).statusCode).toBe(303);
  });

  it('refuses an address a member of staff already has, in any letter case', async () => {
    const { browser } = await admin();
    const email = address('twice');
    await invite(browser, { email });
    const res = await invite(browser, { email: email.toUpperCase(), name: 'Twin' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('A member of staff already has this email address');
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('value="Twin"');
  });

  it('refuses a bad role, level, team or manager with a message beside each, keeping what was typed', async () => {
    const { browser } = await admin();
    const email = address();
    const res = await browser.post('/staff/users', { email, name: 'Typed name', role: 'owner', level: '9', team: 'x', managerId: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#role"');
    expect(res.body).toContain('href="#level"');
    expect(res.body).toContain('value="Typed name"');
    expect(res.body).toContain(`value="${email}"`);
    const team = await invite(browser, { email, team: 'no-such-team' });
    expect(team.statusCode).toBe(400);
    expect(team.body).toContain('href="#team"');
    const manager = await invite(browser, { email, managerId: '987654' });
    expect(manager.statusCode).toBe(400);
    expect(manager.body).toContain('href="#managerId"');
    expect(await userByEmail(email)).toBeUndefined();
  });

  it('sends a new invitation that replaces the earlier link', async () => {
    const { browser } = await admin();
    const email = address();
    await invite(browser, { email });
    const first = mail.linkPath(email, 'staff_invite');
    const user = (await userByEmail(email))!;
    await browser.get(`/staff/users/${user.id}`);
    const res = await browser.post(`/staff/users/${user.id}/resend-invite`);
    expect(res.statusCode).toBe(303);
    const second = mail.linkPath(email, 'staff_invite');
    expect(second).not.toBe(first);
    expect((await new FormClient(t.app).get(first)).statusCode).toBe(400);
    expect((await new FormClient(t.app).get(second)).statusCode).toBe(200);
    expect((await auditOf(user.id)).map((e) => e.action)).toContain('staff_user.invite_resent');
  });
});

describe(`the users page on ${testEngine}`, () => {
  it('is for admins only', async () => {
    for (const role of ['recruiter', 'hiring_manager', 'interviewer'] as const) {
      const user = await createStaff(t.database.db, { role });
      const browser = await staffClient(t.app, t.database.db, user.id);
      expect((await browser.get('/staff/users')).statusCode).toBe(403);
      expect((await browser.get(`/staff/users/${user.id}`)).statusCode).toBe(403);
    }
    const signedOut = await new FormClient(t.app).get('/staff/users');
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fusers');
  });

  it('lists name, email, role, bar raiser, level, team, manager and status in a table with headers', async () => {
    const boss = await createStaff(t.database.db, { role: 'hiring_manager', name: 'Boss Person' });
    await createStaff(t.database.db, { role: 'interviewer', name: 'Listed Person', barRaiser: true, level: 7, managerId: boss.id, password: PASSWORD });
    const { browser } = await admin();
    const res = await browser.get('/staff/users');
    for (const heading of ['Name', 'Email', 'Role', 'Bar raiser', 'Level', 'Team', 'Manager', 'Status']) expect(res.body).toContain(`<th scope="col">${heading}</th>`);
    const row = /<tr>(?:(?!<\/tr>).)*Listed Person(?:(?!<\/tr>).)*<\/tr>/s.exec(res.body)?.[0] ?? '';
    expect(row).toContain('Interviewer');
    expect(row).toContain('<td>Yes</td>');
    expect(row).toContain('<td>7</td>');
    expect(row).toContain('Boss Person');
    expect(row).toContain('Active');
  });

  it('answers 404 for someone who does not exist', async () => {
    const { browser } = await admin();
    expect((await browser.get('/staff/users/99999999')).statusCode).toBe(404);
    expect((await browser.get('/staff/users/abc')).statusCode).toBe(404);
  });

  it('changes a role in one audited step and signs that person out everywhere', async () => {
    const { browser, id: adminId } = await admin();
    const person = await createStaff(t.database.db, { role: 'interviewer', password: PASSWORD });
    await staffClient(t.app, t.database.db, person.id);
    await staffClient(t.app, t.database.db, person.id);
    expect(await staffSessionCount(person.id)).toBe(2);
    await browser.get(`/staff/users/${person.id}`);
    const res = await browser.post(`/staff/users/${person.id}`, { name: 'Renamed', role: 'recruiter', level: '4', team: '', managerId: '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/users/${person.id}?notice=saved`);
    expect(await staffSessionCount(person.id)).toBe(0);
    const [event] = (await auditOf(person.id)).filter((e) => e.action === 'staff_user.updated');
    expect(event).toMatchObject({ actorId: adminId, before: { role: 'interviewer', name: person.name }, after: { role: 'recruiter', name: 'Renamed', level: 4 } });
    expect(JSON.stringify(event)).not.toMatch(/password|argon2/i);
  });

  it('keeps sessions when only the level or team changes', async () => {
    const { browser } = await admin();
    const person = await createStaff(t.database.db, { role: 'interviewer' });
    await staffClient(t.app, t.database.db, person.id);
    await browser.get(`/staff/users/${person.id}`);
    const res = await browser.post(`/staff/users/${person.id}`, { name: person.name, role: 'interviewer', barRaiser: 'yes', level: '3' });
    expect(res.statusCode).toBe(303);
    expect(await staffSessionCount(person.id)).toBe(1);
    expect((await userByEmail(person.email))!).toMatchObject({ barRaiser: true, level: 3 });
  });

  it('refuses a manager who reports to the person, or the person themselves', async () => {
    const { browser } = await admin();
    const top = await createStaff(t.database.db, { role: 'hiring_manager' });
    const middle = await createStaff(t.database.db, { role: 'hiring_manager', managerId: top.id });
    const bottom = await createStaff(t.database.db, { role: 'interviewer', managerId: middle.id });
    await browser.get(`/staff/users/${top.id}`);
    const loop = await browser.post(`/staff/users/${top.id}`, { name: 'Top', role: 'hiring_manager', level: '5', managerId: String(bottom.id) });
    expect(loop.statusCode).toBe(400);
    expect(loop.body).toContain('href="#managerId"');
    const self = await browser.post(`/staff/users/${top.id}`, { name: 'Top', role: 'hiring_manager', level: '5', managerId: String(top.id) });
    expect(self.statusCode).toBe(400);
    expect((await userByEmail(top.email))!.managerId).toBeNull();
  });

  it('disables an account (signing it out, refusing its sign-in) and enables it again', async () => {
    const { browser } = await admin();
    const email = address();
    const person = await createStaff(t.database.db, { role: 'recruiter', email, password: PASSWORD });
    const theirs = await staffClient(t.app, t.database.db, person.id);
    await browser.get(`/staff/users/${person.id}`);
    const res = await browser.post(`/staff/users/${person.id}/disable`);
    expect(res.statusCode).toBe(303);
    expect(await staffSessionCount(person.id)).toBe(0);
    expect((await theirs.get('/staff/users')).statusCode).toBe(303);
    const attempt = new FormClient(t.app);
    await attempt.get('/staff/sign-in');
    expect((await attempt.post('/staff/sign-in', { email, password: PASSWORD })).statusCode).toBe(401);
    expect((await browser.get('/staff/users')).body).toMatch(/Disabled<\/span>/);

    await browser.get(`/staff/users/${person.id}`);
    expect((await browser.post(`/staff/users/${person.id}/enable`)).statusCode).toBe(303);
    expect((await attempt.post('/staff/sign-in', { email, password: PASSWORD })).statusCode).toBe(303);
    const actions = (await auditOf(person.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['staff_user.disabled', 'staff_user.enabled']));
  });
});

describe(`the last enabled admin on ${testEngine}`, () => {
  let fresh: TestApp;
  beforeAll(async () => {
    fresh = await testApp({ deps: { mail: new RecordingMail() } });
  });
  afterAll(() => fresh.close());

  it('cannot be demoted or disabled until someone else is an admin', async () => {
    const only = await createStaff(fresh.database.db, { role: 'admin', name: 'Only Admin' });
    const other = await createStaff(fresh.database.db, { role: 'recruiter' });
    const browser = await staffClient(fresh.app, fresh.database.db, only.id);
    await browser.get(`/staff/users/${only.id}`);
    const demote = await browser.post(`/staff/users/${only.id}`, { name: 'Only Admin', role: 'recruiter', level: '5' });
    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain('href="#role"');
    expect(demote.body).toContain('is the last enabled admin');
    const disable = await browser.post(`/staff/users/${only.id}/disable`);
    expect(disable.statusCode).toBe(400);
    expect(disable.body).toContain('href="#status"');
    expect((await fresh.database.db.select().from(staffUsers).where(eq(staffUsers.id, only.id)))[0]).toMatchObject({ role: 'admin', disabledAt: null });

    // A disabled admin does not count.
    await fresh.database.db.update(staffUsers).set({ role: 'admin', disabledAt: new Date() }).where(eq(staffUsers.id, other.id));
    expect((await browser.post(`/staff/users/${only.id}/disable`)).statusCode).toBe(400);

    await fresh.database.db.update(staffUsers).set({ disabledAt: null }).where(eq(staffUsers.id, other.id));
    const now = await browser.post(`/staff/users/${only.id}`, { name: 'Only Admin', role: 'recruiter', level: '5' });
    expect(now.statusCode).toBe(303);
    // Demoting oneself ends one's own session too.
    expect((await browser.get('/staff/users')).statusCode).toBe(303);
  });

  it('lets only one of two admins who demote each other at the same moment succeed', async () => {
    await fresh.database.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.role, 'admin'));
    const a = await createStaff(fresh.database.db, { role: 'admin', name: 'Admin A' });
    const b = await createStaff(fresh.database.db, { role: 'admin', name: 'Admin B' });
    const browserA = await staffClient(fresh.app, fresh.database.db, a.id);
    const browserB = await staffClient(fresh.app, fresh.database.db, b.id);
    await browserA.get(`/staff/users/${b.id}`);
    await browserB.get(`/staff/users/${a.id}`);
    const results = await Promise.all([
      browserA.post(`/staff/users/${b.id}`, { name: 'Admin B', role: 'recruiter', level: '5' }),
      browserB.post(`/staff/users/${a.id}`, { name: 'Admin A', role: 'recruiter', level: '5' }),
    ]);
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 303)).toHaveLength(1);
    // The other is refused: the last admin (400), or already signed out by the first change (401).
    expect(codes.filter((c) => c === 400 || c === 401)).toHaveLength(1);
    const admins = await fresh.database.db
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.role, 'admin'), sql`${staffUsers.disabledAt} is null`));
    expect(admins).toHaveLength(1);
  });
});
