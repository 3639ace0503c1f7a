import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { addToJobTeam, createStaff } from '../../../../test/support/staff.ts';
import type { JobInput } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { applicationAnswers, applications, interviews, jobQuestions, loops, people, principleQuestions, principles, resumes } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';

// Helpers for the feedback tests (not a test file itself). Loops and interviews are written
// straight to the database: planning them is another feature's job.

type Staff = { id: number; name: string; email: string };

/** The whole app (buildApp wires the feedback pages with every other staff feature). */
export function feedbackTestApp(): Promise<TestApp> {
  return testApp();
}

export async function addJob(db: Db, overrides: Partial<JobInput> = {}): Promise<number> {
  const { ids } = await createJobs({ db, inputs: [buildJob(overrides)] });
  return ids[0]!;
}

/** An application in the onsite loop stage, with a resume's text and an answered screening question. */
export async function addApplication(db: Db, options: { jobId: number; name: string; resumeText?: string; answer?: string }): Promise<number> {
  const [person] = await db
    .insert(people)
    .values({
      email: `candidate.${randomUUID().slice(0, 8)}@example.com`,
      name: options.name,
      location: 'Lisbon, Portugal',
      links: [{ label: 'Portfolio', url: 'https://portfolio.example.com/me' }],
    })
    .returning({ id: people.id });
  const [resume] = await db
    .insert(resumes)
    .values({ personId: person!.id, filename: 'resume.txt', contentType: 'text/plain', size: 100, text: options.resumeText ?? 'Ten years of building payment systems.' })
    .returning({ id: resumes.id });
  const [app] = await db
    .insert(applications)
    .values({ personId: person!.id, jobId: options.jobId, resumeId: resume!.id, stage: 'onsite_loop', idempotencyKey: randomUUID(), consentProcessing: true, confirmedAt: new Date() })
    .returning({ id: applications.id });
  if (options.answer) {
    const [q] = await db.insert(jobQuestions).values({ jobId: options.jobId, position: 1, label: 'Why this team?', kind: 'text' }).returning({ id: jobQuestions.id });
    await db.insert(applicationAnswers).values({ applicationId: app!.id, questionId: q!.id, value: options.answer });
  }
  return app!.id;
}

let uid = 0;

/** A loop of the application with one interview per entry; answers the loop id and the interview ids in order. */
export async function addLoop(
  db: Db,
  options: {
    applicationId: number;
    hiringManagerId: number | null;
    status?: string;
    interviews: Array<{ interviewerId: number; role: string; principles: string[]; scheduled?: { startsAt: Date; timeZone: string; room?: string; videoUrl?: string } }>;
  },
): Promise<{ loopId: number; interviewIds: number[] }> {
  const [loop] = await db
    .insert(loops)
    .values({ applicationId: options.applicationId, hiringManagerId: options.hiringManagerId, status: options.status ?? 'confirmed' })
    .returning({ id: loops.id });
  const interviewIds: number[] = [];
  for (const [position, i] of options.interviews.entries()) {
    uid += 1;
    const [row] = await db
      .insert(interviews)
      .values({
        loopId: loop!.id,
        interviewerId: i.interviewerId,
        role: i.role,
        principles: i.principles,
        position,
        status: i.scheduled ? 'scheduled' : 'unscheduled',
        startsAt: i.scheduled?.startsAt ?? null,
        durationMinutes: i.scheduled ? 60 : null,
        timeZone: i.scheduled?.timeZone ?? null,
        room: i.scheduled?.room ?? null,
        videoUrl: i.scheduled?.videoUrl ?? null,
        icalUid: `feedback-test-${randomUUID()}-${uid}@example.test`,
      })
      .returning({ id: interviews.id });
    interviewIds.push(row!.id);
  }
  return { loopId: loop!.id, interviewIds };
}

/** Replaces the question bank of the given principles (an empty list leaves a principle without questions). */
export async function setBank(db: Db, bank: Record<string, Array<{ question: string; followUps?: string[]; strongEvidence: string }>>): Promise<void> {
  const found = await db.select({ id: principles.id, slug: principles.slug }).from(principles).where(inArray(principles.slug, Object.keys(bank)));
  for (const p of found) {
    await db.delete(principleQuestions).where(eq(principleQuestions.principleId, p.id));
    const rows = bank[p.slug]!;
    if (rows.length) {
      await db.insert(principleQuestions).values(rows.map((q, i) => ({ principleId: p.id, position: i + 1, question: q.question, followUps: q.followUps ?? [], strongEvidence: q.strongEvidence })));
    }
  }
}

/** The people of one hiring: a job with its team, an application, and a loop of six. */
export interface LoopWorld {
  jobId: number;
  applicationId: number;
  loopId: number;
  admin: Staff;
  recruiter: Staff;
  manager: Staff;
  interviewers: Staff[];
  barRaiser: Staff;
  /** The interviews, in order: four interviewers, the bar raiser, the hiring manager. */
  interviewIds: number[];
  /** The members in the order of `interviewIds`. */
  members: Staff[];
}

const PRINCIPLES = [
  ['customer-obsession', 'ownership'],
  ['dive-deep', 'bias-for-action'],
  ['deliver-results', 'earn-trust'],
  ['frugality', 'think-big'],
  ['insist-on-the-highest-standards', 'invent-and-simplify'],
  ['hire-and-develop-the-best', 'learn-and-be-curious'],
];

/** A job with a hiring team, one application in the onsite loop, and its loop: four interviewers, a bar raiser (not on the team) and the hiring manager. */
export async function buildLoopWorld(db: Db, options: { candidate?: string; resumeText?: string } = {}): Promise<LoopWorld> {
  const jobId = await addJob(db, { title: 'Principal Payments Engineer' });
  const admin = await createStaff(db, { role: 'admin', name: 'Ada Admin' });
  const recruiter = await createStaff(db, { role: 'recruiter', name: 'Rui Recruiter' });
  const manager = await createStaff(db, { role: 'hiring_manager', name: 'Hana Manager' });
  const interviewers: Staff[] = [];
  for (const name of ['Ivo One', 'Isa Two', 'Ian Three', 'Ines Four']) interviewers.push(await createStaff(db, { role: 'interviewer', name }));
  const barRaiser = await createStaff(db, { role: 'interviewer', name: 'Bea Raiser', barRaiser: true });
  await addToJobTeam(db, jobId, manager.id, 'hiring_manager');
  await addToJobTeam(db, jobId, recruiter.id, 'recruiter');
  for (const i of interviewers) await addToJobTeam(db, jobId, i.id, 'interviewer');
  const applicationId = await addApplication(db, {
    jobId,
    name: options.candidate ?? 'Carmen Candidate',
    resumeText: options.resumeText ?? 'Led the rewrite of a card-payments ledger.',
    answer: 'I love ledgers.',
  });
  const members = [...interviewers, barRaiser, manager];
  const roles = ['interviewer', 'interviewer', 'interviewer', 'interviewer', 'bar_raiser', 'hiring_manager'];
  const { loopId, interviewIds } = await addLoop(db, {
    applicationId,
    hiringManagerId: manager.id,
    interviews: members.map((m, i) => ({ interviewerId: m.id, role: roles[i]!, principles: PRINCIPLES[i]! })),
  });
  return { jobId, applicationId, loopId, admin, recruiter, manager, interviewers, barRaiser, interviewIds, members };
}

/** The form fields of complete feedback for the given principles, every part carrying `marker`. */
export function feedbackFields(principles: readonly string[], marker: string, vote = 'inclined'): Record<string, string> {
  const fields: Record<string, string> = { vote };
  for (const p of principles) {
    fields[`e.${p}.situation`] = `Situation ${marker} at a bank`;
    fields[`e.${p}.task`] = `Task ${marker}`;
    fields[`e.${p}.action`] = `Action ${marker}`;
    fields[`e.${p}.result`] = `Result ${marker}`;
    fields[`e.${p}.signal`] = 'good';
  }
  return fields;
}

export { PRINCIPLES as LOOP_PRINCIPLES };
