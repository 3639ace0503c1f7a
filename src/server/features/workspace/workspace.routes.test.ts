import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applicationEvents, jobEvents, jobs, staffNotifications } from '../../db/schema/index.ts';
import type { WaitingSource } from './workspace.service.ts';
import { addApplication, addJob, workspaceApp } from './workspace.test-support.ts';

type T = Awaited<ReturnType<typeof workspaceApp>>;
let t: T;
let admin: { id: number; name: string };
let manager: { id: number; name: string };
let recruiter: { id: number; name: string };
let interviewer: { id: number; name: string };
let outsider: { id: number; name: string };
let pendingMine: number;
let pendingOther: number;
let openJob: number;
let anonymousJob: number;

/** An extra "waiting" group, as interviews and feedback due will add one. */
const dueSoon: WaitingSource = async ({ user }) => ({
  key: 'due-soon',
  title: 'Feedback due',
  empty: 'No feedback is due.',
  items: [{ title: `Something for ${user.name}`, href: '/staff/somewhere' }],
});

beforeAll(async () => {
  t = await workspaceApp({ waiting: [dueSoon] });
  const db = t.database.db;
  admin = await createStaff(db, { role: 'admin', name: 'Ada Admin' });
  manager = await createStaff(db, { role: 'hiring_manager', name: 'Hana Manager' });
  recruiter = await createStaff(db, { role: 'recruiter', name: 'Rui Recruiter' });
  interviewer = await createStaff(db, { role: 'interviewer', name: 'Ines Interviewer' });
  outsider = await createStaff(db, { role: 'hiring_manager', name: 'Otto Outsider' });

  pendingMine = await addJob(db, { title: 'Pending Job On My Team', status: 'pending_approval', postedAt: null });
  pendingOther = await addJob(db, { title: 'Pending Job Elsewhere', status: 'pending_approval', postedAt: null });
  openJob = await addJob(db, { title: 'Open Job With Applicants' });
  anonymousJob = await addJob(db, { title: 'Anonymized Screening Job' });
  for (const job of [pendingMine, openJob, anonymousJob]) {
    await addToJobTeam(db, job, manager.id, 'hiring_manager');
    await addToJobTeam(db, job, recruiter.id, 'recruiter');
    await addToJobTeam(db, job, interviewer.id, 'interviewer');
  }
  await addToJobTeam(db, pendingOther, outsider.id, 'hiring_manager');

  await addApplication(db, { jobId: openJob, stage: 'applied', name: 'Alma Applied' });
  await addApplication(db, { jobId: openJob, stage: 'applied', name: 'Bo Applied' });
  const screened = await addApplication(db, { jobId: openJob, stage: 'screen', name: 'Cleo Screen' });
  await addApplication(db, { jobId: openJob, stage: 'phone_interview', name: 'Dev Phone' });
  await db.insert(applicationEvents).values({
    applicationId: screened,
    kind: 'moved',
    fromStage: 'applied',
    toStage: 'screen',
    actorType: 'staff',
    actorId: recruiter.id,
    at: new Date(Date.now() + 1000),
  });
  await db.insert(jobEvents).values([
    { jobId: pendingMine, actorId: recruiter.id, action: 'submitted', fromStatus: 'draft', toStatus: 'pending_approval', at: new Date(Date.now() + 2000) },
    { jobId: pendingOther, actorId: outsider.id, action: 'submitted', fromStatus: 'draft', toStatus: 'pending_approval', at: new Date(Date.now() + 3000) },
  ]);
  // The anonymized job's applicant is still in screening: their name must not show.
  await db.update(jobs).set({ anonymizedScreening: true }).where(eq(jobs.id, anonymousJob));
  await addApplication(db, { jobId: anonymousJob, stage: 'applied', name: 'Hidden Hopeful', at: new Date(Date.now() + 4000) });
});
afterAll(() => t.close());

const home = async (userId: number) => {
  const client = await staffClient(t.app, t.database.db, userId);
  const res = await client.get('/staff');
  expect(res.statusCode).toBe(200);
  return res.body;
};

/** The HTML of one section of the home page, by its heading id. */
const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
};

describe(`the staff home page on ${testEngine}`, () => {
  it('shows a hiring manager the pending jobs they may approve, and not the others', async () => {
    const html = await home(manager.id);
    const approvals = section(html, 'waiting-approvals');
    expect(approvals).toContain('Pending Job On My Team');
    expect(approvals).toContain(`href="/staff/jobs/${pendingMine}"`);
    expect(approvals).not.toContain('Pending Job Elsewhere');
  });

  it('shows an admin every pending job', async () => {
    const approvals = section(await home(admin.id), 'waiting-approvals');
    expect(approvals).toContain('Pending Job On My Team');
    expect(approvals).toContain('Pending Job Elsewhere');
  });

  it('offers no approvals to a recruiter, who approves nothing', async () => {
    expect(await home(recruiter.id)).not.toContain('Jobs to approve');
  });

  it('counts applications to screen per job and stage, linking to the board filtered by stage', async () => {
    const screening = section(await home(recruiter.id), 'waiting-screening');
    expect(screening).toContain('Open Job With Applicants');
    expect(screening).toContain(`href="/staff/jobs/${openJob}/board?stage=applied"`);
    expect(screening).toContain('2 applied, not yet screened');
    expect(screening).toContain(`href="/staff/jobs/${openJob}/board?stage=screen"`);
    expect(screening).toContain('1 in screening');
  });

  it('does not ask an interviewer or someone off the team to screen', async () => {
    expect(await home(interviewer.id)).not.toContain('Applications to screen');
    expect(section(await home(outsider.id), 'waiting-screening')).not.toContain('Open Job With Applicants');
  });

  it('adds the groups of further waiting sources after the built-in ones', async () => {
    const html = await home(interviewer.id);
    expect(html).toContain('Feedback due');
    expect(html).toContain('Something for Ines Interviewer');
  });

  it('tells what happened lately on the user’s jobs in plain words, with names and links', async () => {
    const activity = section(await home(manager.id), 'activity-title');
    expect(activity).toContain('<strong>Rui Recruiter</strong> submitted');
    expect(activity).toContain(`href="/staff/jobs/${pendingMine}"`);
    expect(activity).toContain('<strong>Rui Recruiter</strong> moved Cleo Screen’s application for');
    expect(activity).toContain(' from applied to screen');
    expect(activity).toContain('<strong>Alma Applied</strong> applied for');
    expect(activity).not.toContain('Otto Outsider');
  });

  it('keeps a candidate’s name out of the activity while anonymized screening hides it', async () => {
    const activity = section(await home(manager.id), 'activity-title');
    expect(activity).toContain('<strong>A candidate</strong> applied for');
    expect(activity).not.toContain('Hidden Hopeful');
  });

  it('shows someone off every team no activity, and an admin the activity of every job', async () => {
    const outsiderActivity = section(await home(outsider.id), 'activity-title');
    expect(outsiderActivity).toContain('Otto Outsider');
    expect(outsiderActivity).not.toContain('Open Job With Applicants');
    const adminActivity = section(await home(admin.id), 'activity-title');
    expect(adminActivity).toContain('Otto Outsider');
    expect(adminActivity).toContain('Open Job With Applicants');
  });

  it('lists only the newest 20 events', async () => {
    const db = t.database.db;
    const job = await addJob(db, { title: 'Busy Job' });
    await addToJobTeam(db, job, admin.id, 'hiring_manager');
    await db.insert(jobEvents).values(Array.from({ length: 25 }, (_, i) => ({ jobId: job, actorId: admin.id, action: 'edited', at: new Date(Date.now() + 10_000 + i * 1000) })));
    const activity = section(await home(admin.id), 'activity-title');
    expect(activity.match(/class="activity__item"/g)).toHaveLength(20);
  });

  it('shows the unread count and the newest five notifications', async () => {
    const db = t.database.db;
    const someone = await createStaff(db, { role: 'recruiter' });
    await db.insert(staffNotifications).values(
      Array.from({ length: 7 }, (_, i) => ({ userId: someone.id, kind: 'mention', text: `Note number ${i + 1}`, href: '/staff/jobs', createdAt: new Date(Date.now() - (7 - i) * 60_000) })),
    );
    await db.insert(staffNotifications).values({ userId: someone.id, kind: 'mention', text: 'An old read one', href: '/staff/jobs', readAt: new Date(), createdAt: new Date(Date.now() - 3600_000) });
    const html = section(await home(someone.id), 'notifications-title');
    expect(html).toContain('You have 7 unread notifications.');
    for (const n of [7, 6, 5, 4, 3]) expect(html).toContain(`Note number ${n}`);
    expect(html).not.toContain('Note number 2');
    expect(html.indexOf('Note number 7')).toBeLessThan(html.indexOf('Note number 3'));
  });
});

describe(`notifications on ${testEngine}`, () => {
  it('lists the user’s notifications newest first and says in words which are unread', async () => {
    const db = t.database.db;
    const user = await createStaff(db, { role: 'interviewer' });
    await db.insert(staffNotifications).values([
      { userId: user.id, kind: 'mention', text: 'Older and read', href: '/staff/jobs', readAt: new Date(), createdAt: new Date(Date.now() - 60_000) },
      { userId: user.id, kind: 'mention', text: 'Newer and unread', href: '/staff/applications/1', createdAt: new Date() },
      { userId: admin.id, kind: 'mention', text: 'Someone else’s', href: '/staff', createdAt: new Date() },
    ]);
    const client = await staffClient(t.app, db, user.id);
    const res = await client.get('/staff/notifications');
    expect(res.statusCode).toBe(200);
    expect(res.body.indexOf('Newer and unread')).toBeLessThan(res.body.indexOf('Older and read'));
    expect(res.body).not.toContain('Someone else’s');
    const unreadItem = res.body.slice(res.body.lastIndexOf('<li', res.body.indexOf('Newer and unread')), res.body.indexOf('Newer and unread'));
    expect(unreadItem).toContain('Unread');
    const readItem = res.body.slice(res.body.lastIndexOf('<li', res.body.indexOf('Older and read')), res.body.indexOf('Older and read'));
    expect(readItem).not.toContain('Unread');
  });

  it('marks one notification read, then all of them', async () => {
    const db = t.database.db;
    const user = await createStaff(db, { role: 'recruiter' });
    const rows = await db
      .insert(staffNotifications)
      .values([1, 2, 3].map((n) => ({ userId: user.id, kind: 'mention', text: `N${n}`, href: '/staff' })))
      .returning({ id: staffNotifications.id });
    const client = await staffClient(t.app, db, user.id);
    await client.get('/staff/notifications');
    const one = await client.post('/staff/notifications/read', { id: String(rows[0]!.id) });
    expect(one.statusCode).toBe(303);
    expect(one.headers.location).toBe('/staff/notifications');
    const readAt = async () => (await db.select().from(staffNotifications).where(eq(staffNotifications.userId, user.id)).orderBy(staffNotifications.id)).map((r) => r.readAt !== null);
    expect(await readAt()).toEqual([true, false, false]);
    await client.post('/staff/notifications/read', {});
    expect(await readAt()).toEqual([true, true, true]);
    expect((await client.get('/staff/notifications')).body).toContain('Everything is read.');
  });

  it('answers 404 for another user’s notification and leaves it unread', async () => {
    const db = t.database.db;
    const owner = await createStaff(db, { role: 'recruiter' });
    const [row] = await db.insert(staffNotifications).values({ userId: owner.id, kind: 'mention', text: 'Private', href: '/staff' }).returning({ id: staffNotifications.id });
    const intruder = await staffClient(t.app, db, admin.id);
    await intruder.get('/staff/notifications');
    const res = await intruder.post('/staff/notifications/read', { id: String(row!.id) });
    expect(res.statusCode).toBe(404);
    const [after] = await db.select().from(staffNotifications).where(eq(staffNotifications.id, row!.id));
    expect(after!.readAt).toBeNull();
    expect((await intruder.post('/staff/notifications/read', { id: 'abc' })).statusCode).toBe(404);
  });

  it('refuses to mark anything without the form’s anti-forgery token', async () => {
    const db = t.database.db;
    const user = await createStaff(db, { role: 'recruiter' });
    await db.insert(staffNotifications).values({ userId: user.id, kind: 'mention', text: 'Keep me unread', href: '/staff' });
    const client = await staffClient(t.app, db, user.id);
    const res = await client.post('/staff/notifications/read', { _csrf: 'forged' });
    expect(res.statusCode).toBe(403);
    const rows = await db.select().from(staffNotifications).where(eq(staffNotifications.userId, user.id));
    expect(rows[0]!.readAt).toBeNull();
  });

  it('pages long lists 50 at a time', async () => {
    const db = t.database.db;
    const user = await createStaff(db, { role: 'interviewer' });
    await db.insert(staffNotifications).values(Array.from({ length: 55 }, (_, i) => ({ userId: user.id, kind: 'x', text: `Item ${String(i).padStart(2, '0')}.`, href: '/staff', createdAt: new Date(Date.now() - i * 1000) })));
    const client = await staffClient(t.app, db, user.id);
    const first = await client.get('/staff/notifications');
    expect(first.body.match(/class="notification( |")/g)?.length).toBe(50);
    expect(first.body).toContain('href="/staff/notifications?page=2"');
    const second = await client.get('/staff/notifications?page=2');
    expect(second.body).toContain('Item 54.');
    expect(second.body).not.toContain('Item 00.');
    expect((await client.get('/staff/notifications?page=x')).statusCode).toBe(400);
  });
});
