import { randomBytes, randomUUID } from 'node:crypto';
import type { StaffRole, TeamRole } from '../../../domain/policy.ts';
import type { Stage } from '../../../domain/pipeline.ts';
import type { JobInput, JobStatus } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import {
  countStaffUsers,
  findOrInsertPerson,
  insertApplicationEvents,
  insertApplicationRow,
  insertJobEvents,
  insertJobTeam,
  insertNotes,
  insertNotifications,
  insertPastedResume,
  insertStaffUser,
  listPackEntries,
  lockDemoSeed,
  setJobDates,
} from './workspace.repository.ts';

/**
 * The demo workspace: staff accounts for every role, jobs in every status and applications in
 * every stage, so a fresh install shows a working hiring team at once. Everything here is made
 * up; names are invented, addresses are at example domains (RFC 2606), and the accounts carry
 * demo = true so the sign-in page can say so.
 */

/** A demo account as printed at the first start: the only time its password is shown. */
export interface DemoAccount {
  role: StaffRole;
  barRaiser: boolean;
  name: string;
  email: string;
  password: string;
}

const DAY = 24 * 60 * 60 * 1000;
/** Random passwords of 24 characters (18 bytes of base64url). */
const newPassword = () => randomBytes(18).toString('base64url');

type Member = 'admin' | 'recruiter' | 'manager' | 'interviewer' | 'barRaiser';

const STAFF: ReadonlyArray<{ key: Member; role: StaffRole; barRaiser: boolean; name: string; email: string; level: number; team: 'main' | 'other' | null }> = [
  { key: 'admin', role: 'admin', barRaiser: false, name: 'Priya Raman', email: 'priya.raman@example.org', level: 6, team: null },
  { key: 'recruiter', role: 'recruiter', barRaiser: false, name: 'Marcus Bell', email: 'marcus.bell@example.org', level: 5, team: 'main' },
  { key: 'manager', role: 'hiring_manager', barRaiser: false, name: 'Elena Sokolova', email: 'elena.sokolova@example.org', level: 6, team: 'main' },
  { key: 'interviewer', role: 'interviewer', barRaiser: false, name: 'Tomás Herrera', email: 'tomas.herrera@example.org', level: 5, team: 'main' },
  // Certified bar raiser from another team and outside the hiring manager's reporting chain.
  { key: 'barRaiser', role: 'interviewer', barRaiser: true, name: 'Grace Okafor', email: 'grace.okafor@example.org', level: 6, team: 'other' },
];

/** Who is on every demo job's hiring team (the bar raiser is not: bar raisers come from outside it). */
const TEAM: ReadonlyArray<[Member, TeamRole]> = [
  ['manager', 'hiring_manager'],
  ['recruiter', 'recruiter'],
  ['interviewer', 'interviewer'],
];

/** A lifecycle step of a demo job: days before `now`, who, what, and the comment it needed. */
type Step = { daysAgo: number; by: Member; action: string; from: JobStatus | null; to: JobStatus; comment?: string };

const created = (daysAgo: number): Step => ({ daysAgo, by: 'recruiter', action: 'created', from: null, to: 'draft' });
const submitted = (daysAgo: number): Step => ({ daysAgo, by: 'recruiter', action: 'submitted', from: 'draft', to: 'pending_approval' });
const approved = (daysAgo: number): Step => ({ daysAgo, by: 'manager', action: 'approved', from: 'pending_approval', to: 'open' });

interface DemoJob {
  status: JobStatus;
  title: string;
  category: string;
  level: number;
  city: { city: string; region: string | null; country: string; latitude: number; longitude: number };
  pay: { currency: string; min: number; max: number };
  summary: string;
  headcount: number;
  /** Which team of the pack: 0 is the main team (the demo staff's own), others are further down the pack. */
  team: number;
  history: Step[];
}

const SEATTLE = { city: 'Seattle', region: 'WA', country: 'US', latitude: 47.6062, longitude: -122.3321 };
const DUBLIN = { city: 'Dublin', region: null, country: 'IE', latitude: 53.3498, longitude: -6.2603 };
const AUSTIN = { city: 'Austin', region: 'TX', country: 'US', latitude: 30.2672, longitude: -97.7431 };
const TORONTO = { city: 'Toronto', region: 'ON', country: 'CA', latitude: 43.6532, longitude: -79.3832 };

const JOBS: readonly DemoJob[] = [
  {
    status: 'open',
    title: 'Senior Software Engineer, Billing Platform',
    category: 'Software Development',
    level: 5,
    city: SEATTLE,
    pay: { currency: 'USD', min: 150_000, max: 210_000 },
    summary: 'Design and run the services that turn usage into accurate invoices for millions of accounts, and make them simpler to change.',
    headcount: 2,
    team: 0,
    history: [created(30), submitted(28), approved(27)],
  },
  {
    status: 'pending_approval',
    title: 'Technical Program Manager, Fulfillment Systems',
    category: 'Program Management',
    level: 5,
    city: AUSTIN,
    pay: { currency: 'USD', min: 130_000, max: 180_000 },
    summary: 'Bring several engineering teams to one launch plan for the next generation of warehouse software, and keep it honest.',
    headcount: 1,
    team: 0,
    history: [created(6), submitted(5)],
  },
  {
    status: 'draft',
    title: 'Data Scientist, Demand Forecasting',
    category: 'Data Science',
    level: 4,
    city: SEATTLE,
    pay: { currency: 'USD', min: 125_000, max: 170_000 },
    summary: 'Build forecasts that decide how much of each product to stock where, and explain them to the people who act on them.',
    headcount: 1,
    team: 1,
    history: [created(3)],
  },
  {
    status: 'on_hold',
    title: 'UX Designer, Seller Tools',
    category: 'Design',
    level: 4,
    city: DUBLIN,
    pay: { currency: 'EUR', min: 65_000, max: 90_000 },
    summary: 'Research and design the tools independent sellers use every day to list, price and ship their products.',
    headcount: 1,
    team: 2,
    history: [
      created(50),
      submitted(48),
      approved(45),
      { daysAgo: 10, by: 'manager', action: 'held', from: 'open', to: 'on_hold', comment: 'Budget review for next quarter; we pick this up again in a few weeks.' },
    ],
  },
  {
    status: 'closed_filled',
    title: 'Solutions Architect, Public Sector',
    category: 'Solutions Architecture',
    level: 6,
    city: TORONTO,
    pay: { currency: 'CAD', min: 160_000, max: 220_000 },
    summary: 'Help public agencies move critical workloads to the cloud safely, from the first workshop to the running system.',
    headcount: 1,
    team: 0,
    history: [
      created(100),
      submitted(98),
      approved(95),
      { daysAgo: 20, by: 'recruiter', action: 'closed_filled', from: 'open', to: 'closed_filled', comment: 'Filled: the offer was accepted.' },
    ],
  },
  {
    status: 'closed_cancelled',
    title: 'Financial Analyst, Treasury',
    category: 'Finance',
    level: 3,
    city: AUSTIN,
    pay: { currency: 'USD', min: 80_000, max: 105_000 },
    summary: 'Model cash positions and currency exposure, and keep the reports the treasury team relies on accurate and on time.',
    headcount: 1,
    team: 3,
    history: [
      created(35),
      submitted(33),
      { daysAgo: 32, by: 'manager', action: 'sent_back', from: 'pending_approval', to: 'draft', comment: 'Please add the pay range and the principles this role assesses.' },
      { daysAgo: 25, by: 'manager', action: 'cancelled', from: 'draft', to: 'closed_cancelled', comment: 'The team was reorganized; the role is no longer needed.' },
    ],
  },
];

/** A demo applicant to the open job and the path their application took (days before `now`). */
interface DemoApplicant {
  name: string;
  email: string;
  location: string;
  source: 'site' | 'referral' | 'agency' | 'sourced';
  headline: string;
  years: number;
  /** Each stage entered, with the day it was entered; the first is always `applied`. */
  path: Array<[Stage, number]>;
  /** Why it was rejected or withdrawn. */
  reason?: string;
}

const APPLICANTS: readonly DemoApplicant[] = [
  { name: 'Amara Nwosu', email: 'amara.nwosu@example.com', location: 'Seattle, WA', source: 'site', headline: 'Backend engineer, payments', years: 7, path: [['applied', 1]] },
  { name: 'Daniel Kim', email: 'daniel.kim@example.com', location: 'Vancouver, BC', source: 'referral', headline: 'Software engineer, subscriptions', years: 6, path: [['applied', 2]] },
  { name: 'Sofia Rossi', email: 'sofia.rossi@example.com', location: 'Portland, OR', source: 'site', headline: 'Platform engineer', years: 8, path: [['applied', 5], ['screen', 3]] },
  { name: 'Liam O’Connor', email: 'liam.oconnor@example.com', location: 'Boston, MA', source: 'agency', headline: 'Senior developer, invoicing', years: 9, path: [['applied', 7], ['screen', 4]] },
  { name: 'Mei Lin', email: 'mei.lin@example.com', location: 'San Francisco, CA', source: 'site', headline: 'Distributed systems engineer', years: 6, path: [['applied', 12], ['screen', 10], ['phone_interview', 6]] },
  {
    name: 'Rahul Mehta',
    email: 'rahul.mehta@example.com',
    location: 'Seattle, WA',
    source: 'sourced',
    headline: 'Staff engineer, ledger services',
    years: 11,
    path: [['applied', 16], ['screen', 14], ['phone_interview', 11], ['onsite_loop', 5]],
  },
  {
    name: 'Fatima Zahra Benali',
    email: 'fatima.benali@example.com',
    location: 'Austin, TX',
    source: 'site',
    headline: 'Senior engineer, billing pipelines',
    years: 8,
    path: [['applied', 20], ['screen', 18], ['phone_interview', 15], ['onsite_loop', 10], ['debrief', 3]],
  },
  {
    name: 'Jonas Berg',
    email: 'jonas.berg@example.com',
    location: 'Denver, CO',
    source: 'referral',
    headline: 'Software engineer, usage metering',
    years: 7,
    path: [['applied', 24], ['screen', 22], ['phone_interview', 19], ['onsite_loop', 14], ['debrief', 9], ['offer', 2]],
  },
  {
    name: 'Chloé Martin',
    email: 'chloe.martin@example.com',
    location: 'Montreal, QC',
    source: 'site',
    headline: 'Senior backend engineer, fintech',
    years: 10,
    path: [['applied', 26], ['screen', 25], ['phone_interview', 22], ['onsite_loop', 18], ['debrief', 13], ['offer', 8], ['hired', 1]],
  },
  {
    name: 'Ethan Walker',
    email: 'ethan.walker@example.com',
    location: 'Chicago, IL',
    source: 'site',
    headline: 'Junior developer',
    years: 1,
    path: [['applied', 9], ['screen', 8], ['rejected', 6]],
    reason: 'Needs more experience running services in production than this level asks for; encouraged to apply for an earlier-career role.',
  },
  {
    name: 'Yara Haddad',
    email: 'yara.haddad@example.com',
    location: 'New York, NY',
    source: 'agency',
    headline: 'Senior engineer, payments risk',
    years: 8,
    path: [['applied', 13], ['screen', 12], ['phone_interview', 9], ['withdrawn', 4]],
    reason: 'Accepted another offer.',
  },
];

/** Who moves an application into a stage: the recruiter early on, the hiring manager later. */
const MOVER: Record<string, Member> = {
  screen: 'recruiter',
  phone_interview: 'recruiter',
  onsite_loop: 'manager',
  debrief: 'manager',
  offer: 'manager',
  hired: 'recruiter',
  rejected: 'recruiter',
};

/** Principles the demo jobs emphasize, when the pack has them; otherwise its first three. */
const PREFERRED_PRINCIPLES = ['customer-obsession', 'ownership', 'dive-deep', 'deliver-results'];
/** The demo staff's team, when the pack has it; otherwise the pack's first team. */
const PREFERRED_TEAM = 'amazon-web-services';

function resumeText(a: DemoApplicant): string {
  return [
    a.name,
    `${a.location} · ${a.email}`,
    '',
    `${a.headline}, ${a.years} year${a.years === 1 ? '' : 's'} of professional experience.`,
    '',
    'Experience',
    `- Built and operated services handling money movement and customer accounts (${Math.max(1, a.years - 2)} years).`,
    '- Led a migration of a batch system to event-driven processing with no customer-facing downtime.',
    '- Mentored engineers and wrote the team’s on-call runbooks.',
    '',
    'Skills',
    '- Java, Kotlin, TypeScript, SQL; PostgreSQL, queues and streams; observability and incident response.',
  ].join('\n');
}

/**
 * Seeds the demo workspace into a database that has no staff yet, in one transaction; does
 * nothing (and answers []) when any member of staff exists. Answers the demo accounts with
 * their passwords, to print once. Teams and principles are taken from the loaded content pack;
 * without a pack only the accounts are made.
 */
export async function seedDemoWorkspace({ db, now }: { db: Db; now: Date }): Promise<DemoAccount[]> {
  if ((await countStaffUsers(db)) > 0) return [];
  // Hashing is slow on purpose; do it before the transaction holds anything.
  const accounts = await Promise.all(STAFF.map(async (s) => ({ ...s, password: newPassword() })));
  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password)));
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY + hours * 60 * 60 * 1000);

  const done = await db.transaction(async (tx) => {
    await lockDemoSeed(tx);
    // Another node may have seeded while this one waited for the lock.
    if ((await countStaffUsers(tx)) > 0) return false;
    const pack = await listPackEntries(tx);
    const mainTeam = pack.teams.find((t) => t.slug === PREFERRED_TEAM) ?? pack.teams[0];
    const otherTeams = pack.teams.filter((t) => t !== mainTeam);
    const teamAt = (n: number) => (n === 0 || otherTeams.length === 0 ? mainTeam : otherTeams[(n - 1) % otherTeams.length]);

    const ids = {} as Record<Member, number>;
    for (const [i, s] of accounts.entries()) {
      const team = s.team === 'main' ? mainTeam : s.team === 'other' ? (otherTeams[0] ?? mainTeam) : undefined;
      ids[s.key] = await insertStaffUser(tx, {
        email: s.email,
        name: s.name,
        role: s.role,
        barRaiser: s.barRaiser,
        level: s.level,
        teamId: team?.id ?? null,
        // The interviewer reports to the hiring manager; the bar raiser reports to neither.
        managerId: s.key === 'interviewer' ? (ids.manager ?? null) : null,
        passwordHash: hashes[i]!,
        demo: true,
        createdAt: ago(120),
        updatedAt: ago(120),
      });
    }

    let jobIds: number[] = [];
    let applicationCount = 0;
    if (mainTeam) {
      const preferred = PREFERRED_PRINCIPLES.filter((slug) => pack.principles.some((p) => p.slug === slug));
      const principleSlugs = preferred.length >= 3 ? preferred : pack.principles.slice(0, 3).map((p) => p.slug);
      const inputs: JobInput[] = JOBS.map((job) => {
        const approval = job.history.find((s) => s.action === 'approved');
        return {
          title: job.title,
          team: teamAt(job.team)!.slug,
          category: job.category,
          level: job.level,
          employmentType: 'FULL_TIME',
          workplaceType: 'hybrid',
          locations: [job.city],
          description: `${job.summary}\n\nYou will work with a small team that owns its services from design to operation, and with the people who use them.`,
          basicQualifications: ['Several years of professional experience in this field', 'Clear writing for readers who are not specialists'],
          preferredQualifications: ['Experience in a team that hires by principles'],
          pay: { ...job.pay, unit: 'YEAR' },
          principles: principleSlugs,
          status: job.status,
          headcount: job.headcount,
          postedAt: approval ? ago(approval.daysAgo) : null,
        };
      });
      ({ ids: jobIds } = await createJobs({ db: tx, inputs }));

      for (const [n, job] of JOBS.entries()) {
        const jobId = jobIds[n]!;
        await insertJobTeam(
          tx,
          TEAM.map(([member, role]) => ({ jobId, userId: ids[member], role })),
        );
        await insertJobEvents(
          tx,
          job.history.map((step, i) => ({
            jobId,
            at: ago(step.daysAgo, 9 + i),
            actorId: ids[step.by],
            action: step.action,
            fromStatus: step.from,
            toStatus: step.to,
            comment: step.comment ?? null,
          })),
        );
        await setJobDates(tx, jobId, { createdAt: ago(job.history[0]!.daysAgo, 9), updatedAt: ago(job.history.at(-1)!.daysAgo, 9 + job.history.length - 1) });
      }

      const openJobId = jobIds[JOBS.findIndex((j) => j.status === 'open')]!;
      const openTitle = JOBS.find((j) => j.status === 'open')!.title;
      const applicationIds = new Map<string, number>();
      for (const a of APPLICANTS) {
        const appliedAt = ago(a.path[0]![1], 10);
        const personId = await findOrInsertPerson(tx, { email: a.email, name: a.name, phone: null, location: a.location, createdAt: appliedAt });
        const resumeId = await insertPastedResume(tx, { personId, text: resumeText(a), createdAt: appliedAt });
        const [stage, enteredDaysAgo] = a.path.at(-1)!;
        // Each stage was entered an hour later in the day than the application was sent; the current one sets stage_entered_at.
        const enteredAt = a.path.length === 1 ? appliedAt : ago(enteredDaysAgo, 11);
        const applicationId = await insertApplicationRow(tx, {
          personId,
          jobId: openJobId,
          resumeId,
          source: a.source,
          stage,
          stageEnteredAt: enteredAt,
          rejectReason: stage === 'rejected' ? (a.reason ?? null) : null,
          idempotencyKey: `demo-${randomUUID()}`,
          consentProcessing: true,
          consentTalentPool: a.source === 'sourced',
          confirmedAt: new Date(appliedAt.getTime() + 10 * 60 * 1000),
          createdAt: appliedAt,
          updatedAt: enteredAt,
        });
        applicationIds.set(a.email, applicationId);
        const candidate = { actorType: 'candidate', actorId: personId };
        const events: Array<Parameters<typeof insertApplicationEvents>[1][number]> = [
          { applicationId, at: appliedAt, kind: 'applied', toStage: 'applied', ...candidate },
          { applicationId, at: new Date(appliedAt.getTime() + 10 * 60 * 1000), kind: 'confirmed', ...candidate },
        ];
        for (let i = 1; i < a.path.length; i++) {
          const [to, daysAgo] = a.path[i]!;
          const from = a.path[i - 1]![0];
          const at = ago(daysAgo, 11);
          if (to === 'withdrawn') events.push({ applicationId, at, kind: 'withdrawn', fromStage: from, toStage: to, detail: a.reason ?? null, ...candidate });
          else
            events.push({
              applicationId,
              at,
              kind: to === 'rejected' ? 'rejected' : 'moved',
              fromStage: from,
              toStage: to,
              actorType: 'staff',
              actorId: ids[MOVER[to] ?? 'recruiter'],
              detail: to === 'rejected' ? (a.reason ?? null) : null,
            });
        }
        await insertApplicationEvents(tx, events);
      }
      applicationCount = APPLICANTS.length;

      const appOf = (email: string) => applicationIds.get(email)!;
      await insertNotes(tx, [
        {
          applicationId: appOf('rahul.mehta@example.com'),
          authorId: ids.manager,
          body: 'Strong system design in the phone interview. Let us make sure the loop covers how he runs services in production.',
          createdAt: ago(5, 14),
        },
        {
          applicationId: appOf('fatima.benali@example.com'),
          authorId: ids.interviewer,
          body: `@${STAFF[1]!.name} could you collect the last piece of feedback before the debrief on Thursday?`,
          mentions: [ids.recruiter],
          createdAt: ago(3, 15),
        },
        {
          applicationId: appOf('jonas.berg@example.com'),
          authorId: ids.recruiter,
          body: 'Asked about relocation support; checking with the people team before the offer call.',
          createdAt: ago(2, 16),
        },
      ]);
      const pendingIndex = JOBS.findIndex((j) => j.status === 'pending_approval');
      await insertNotifications(tx, [
        {
          userId: ids.manager,
          kind: 'approval_waiting',
          text: `${STAFF[1]!.name} asks you to approve “${JOBS[pendingIndex]!.title}”.`,
          href: `/staff/jobs/${jobIds[pendingIndex]}`,
          createdAt: ago(JOBS[pendingIndex]!.history.at(-1)!.daysAgo, 10),
        },
        {
          userId: ids.recruiter,
          kind: 'mention',
          text: `${STAFF[3]!.name} mentioned you in a note on ${APPLICANTS.find((a) => a.email === 'fatima.benali@example.com')!.name} (${openTitle})`,
          href: `/staff/applications/${appOf('fatima.benali@example.com')}`,
          createdAt: ago(3, 15),
        },
        {
          userId: ids.recruiter,
          kind: 'job_approved',
          text: `${STAFF[2]!.name} approved and published ${openTitle}`,
          href: `/staff/jobs/${openJobId}`,
          readAt: ago(26),
          createdAt: ago(27, 11),
        },
      ]);
    }

    await recordStaffAudit(tx, {
      actorId: null,
      action: 'demo_workspace.seeded',
      subjectType: 'workspace',
      subjectId: null,
      after: { staff: accounts.map((a) => a.email), jobs: jobIds, applications: applicationCount },
    });
    return true;
  });
  if (!done) return [];
  return accounts.map((a) => ({ role: a.role, barRaiser: a.barRaiser, name: a.name, email: a.email, password: a.password }));
}

/** For tests and the docs: what the demo makes. */
export const DEMO_WORKSPACE = {
  staff: STAFF.map((s) => ({ role: s.role, barRaiser: s.barRaiser, name: s.name, email: s.email })),
  jobStatuses: JOBS.map((j) => j.status),
  applicantStages: APPLICANTS.map((a) => a.path.at(-1)![0]),
} as const;
