import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testDatabase, testEngine } from '../../../../test/support/test-db.ts';
import { EXITS, STAGES } from '../../../domain/pipeline.ts';
import { JOB_STATUSES } from '../../../shared/contracts/jobs.ts';
import {
  applicationEvents,
  applicationNotes,
  applications,
  auditEvents,
  jobEvents,
  jobPrinciples,
  jobs,
  jobTeam,
  people,
  principles,
  resumes,
  staffNotifications,
  staffUsers,
  teams,
} from '../../db/schema/index.ts';
import { verifyPassword } from '../accounts/passwords.ts';
import { DEMO_WORKSPACE, seedDemoWorkspace, type DemoAccount } from './demo-workspace.ts';

let t: TestApp;
let accounts: DemoAccount[];
const now = new Date();

beforeAll(async () => {
  // The whole app, so the default content pack is loaded as on a first start.
  t = await testApp();
  accounts = await seedDemoWorkspace({ db: t.database.db, now });
});
afterAll(() => t.close());

const count = async (table: Parameters<ReturnType<TestApp['database']['db']['select']>['from']>[0]) =>
  Number((await t.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n);

describe(`the demo workspace on ${testEngine}`, () => {
  it('makes one demo account per role and a second interviewer who is a bar raiser, with passwords that verify', async () => {
    const db = t.database.db;
    const users = await db.select().from(staffUsers).orderBy(asc(staffUsers.id));
    expect(users).toHaveLength(5);
    expect(users.every((u) => u.demo)).toBe(true);
    expect(users.map((u) => u.role).sort()).toEqual(['admin', 'hiring_manager', 'interviewer', 'interviewer', 'recruiter']);
    expect(users.filter((u) => u.barRaiser).map((u) => u.role)).toEqual(['interviewer']);
    expect(accounts.map(({ role, barRaiser, name, email }) => ({ role, barRaiser, name, email }))).toEqual(DEMO_WORKSPACE.staff);
    for (const account of accounts) {
      expect(account.email).toMatch(/@example\.(com|org|net)$/);
      expect(account.password.length).toBeGreaterThanOrEqual(16);
      const user = users.find((u) => u.email === account.email)!;
      expect(user.name).toBe(account.name);
      expect(await verifyPassword(user.passwordHash, account.password)).toBe(true);
      expect(await verifyPassword(user.passwordHash, `${account.password}x`)).toBe(false);
    }
    expect(new Set(accounts.map((a) => a.password)).size).toBe(5);
  });

  it('makes a job in every status, with the demo hiring manager, recruiter and interviewer on its team', async () => {
    const db = t.database.db;
    const rows = await db.select({ id: jobs.id, status: jobs.status, teamName: teams.name, teamSlug: teams.slug }).from(jobs).innerJoin(teams, eq(teams.id, jobs.teamId));
    expect(rows.map((r) => r.status).sort()).toEqual([...JOB_STATUSES].sort());
    // Team names are the loaded pack's.
    const packTeams = await db.select({ slug: teams.slug, name: teams.name }).from(teams);
    for (const row of rows) expect(packTeams).toContainEqual({ slug: row.teamSlug, name: row.teamName });
    const team = await db
      .select({ jobId: jobTeam.jobId, role: jobTeam.role, userRole: staffUsers.role, barRaiser: staffUsers.barRaiser })
      .from(jobTeam)
      .innerJoin(staffUsers, eq(staffUsers.id, jobTeam.userId));
    for (const row of rows) {
      const members = team.filter((m) => m.jobId === row.id);
      expect(members.map((m) => m.role).sort()).toEqual(['hiring_manager', 'interviewer', 'recruiter']);
      expect(members.some((m) => m.barRaiser)).toBe(false);
    }
    const emphasized = await db.select({ slug: principles.slug }).from(jobPrinciples).innerJoin(principles, eq(principles.id, jobPrinciples.principleId));
    expect(emphasized.length).toBeGreaterThanOrEqual(rows.length * 3);
  });

  it('gives each job a history that starts as a draft and ends in its status', async () => {
    const db = t.database.db;
    const rows = await db.select({ id: jobs.id, status: jobs.status, postedAt: jobs.postedAt }).from(jobs);
    for (const job of rows) {
      const events = await db.select().from(jobEvents).where(eq(jobEvents.jobId, job.id)).orderBy(asc(jobEvents.at), asc(jobEvents.id));
      expect(events[0]).toMatchObject({ action: 'created', fromStatus: null, toStatus: 'draft' });
      for (let i = 1; i < events.length; i++) expect(events[i]!.fromStatus, `${job.status} step ${i}`).toBe(events[i - 1]!.toStatus);
      expect(events.at(-1)!.toStatus).toBe(job.status);
      expect(events.every((e) => e.actorId !== null && e.at < now)).toBe(true);
      expect(job.postedAt === null).toBe(job.status === 'draft' || job.status === 'pending_approval' || job.status === 'closed_cancelled');
    }
  });

  it('fills the open job with confirmed applications in every stage, pasted resumes and consistent timelines', async () => {
    const db = t.database.db;
    const [open] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, 'open'));
    const rows = await db.select().from(applications).where(eq(applications.jobId, open!.id));
    expect(rows).toHaveLength(DEMO_WORKSPACE.applicantStages.length);
    expect(await count(applications)).toBe(rows.length);
    expect(new Set(rows.map((r) => r.stage))).toEqual(new Set([...STAGES, ...EXITS]));
    expect(rows.every((r) => r.confirmedAt !== null && r.consentProcessing)).toBe(true);
    expect(rows.find((r) => r.stage === 'rejected')!.rejectReason).toBeTruthy();
    expect(rows.filter((r) => r.stage !== 'rejected').every((r) => r.rejectReason === null)).toBe(true);
    // Stages were entered over recent days, not all at once.
    const days = new Set(rows.map((r) => r.stageEnteredAt.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => r.stageEnteredAt < now && now.getTime() - r.stageEnteredAt.getTime() < 45 * 86_400_000)).toBe(true);

    const persons = await db.select().from(people).where(inArray(people.id, rows.map((r) => r.personId)));
    expect(persons.every((p) => p.name.includes(' ') && p.email.endsWith('@example.com'))).toBe(true);
    const files = await db.select().from(resumes).where(inArray(resumes.id, rows.map((r) => r.resumeId!)));
    expect(files).toHaveLength(rows.length);
    expect(files.every((f) => f.contentType === 'text/plain' && f.storageKey === null && f.text.length > 100)).toBe(true);

    for (const application of rows) {
      const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, application.id)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
      expect(events[0]).toMatchObject({ kind: 'applied', toStage: 'applied', actorType: 'candidate' });
      expect(events.some((e) => e.kind === 'confirmed')).toBe(true);
      const moves = events.filter((e) => e.toStage !== null);
      for (let i = 1; i < moves.length; i++) expect(moves[i]!.fromStage).toBe(moves[i - 1]!.toStage);
      expect(moves.at(-1)!.toStage, application.stage).toBe(application.stage);
      expect(moves.at(-1)!.at.getTime()).toBe(application.stageEnteredAt.getTime());
    }
    const rejected = rows.find((r) => r.stage === 'rejected')!;
    const [rejection] = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, rejected.id)).orderBy(sql`${applicationEvents.at} desc`).limit(1);
    expect(rejection).toMatchObject({ kind: 'rejected', actorType: 'staff', detail: rejected.rejectReason });
  });

  it('adds a few notes and notifications, and records the seeding in the audit log', async () => {
    expect(await count(applicationNotes)).toBeGreaterThanOrEqual(2);
    expect(await count(staffNotifications)).toBeGreaterThanOrEqual(1);
    const [event] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'demo_workspace.seeded'));
    expect(event).toMatchObject({ actorType: 'system', subjectType: 'workspace' });
  });

  it('does nothing the second time', async () => {
    const before = { users: await count(staffUsers), jobs: await count(jobs), applications: await count(applications), events: await count(auditEvents) };
    expect(await seedDemoWorkspace({ db: t.database.db, now })).toEqual([]);
    expect({ users: await count(staffUsers), jobs: await count(jobs), applications: await count(applications), events: await count(auditEvents) }).toEqual(before);
  });
});

describe(`the demo workspace beside existing staff on ${testEngine}`, () => {
  it('does nothing when any member of staff exists', async () => {
    const database = await testDatabase();
    try {
      await createStaff(database.db, { role: 'admin' });
      expect(await seedDemoWorkspace({ db: database.db, now })).toEqual([]);
      expect(Number((await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]!.n)).toBe(0);
      expect(Number((await database.db.select({ n: sql<number>`count(*)::int` }).from(staffUsers))[0]!.n)).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('makes only the accounts when no content pack is loaded', async () => {
    const database = await testDatabase();
    try {
      const made = await seedDemoWorkspace({ db: database.db, now });
      expect(made).toHaveLength(5);
      expect(Number((await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]!.n)).toBe(0);
    } finally {
      await database.close();
    }
  });
});
