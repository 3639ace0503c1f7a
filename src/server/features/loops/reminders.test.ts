import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applications, feedback, interviews, jobs, loops } from '../../db/schema/index.ts';
import { startQueue } from '../../queue.ts';
import { interviewsFor, planApplicationLoop, scheduleInterview } from './loops.service.ts';
import { addApplication, loopCast, loopsApp } from './loops.test-support.ts';
import { FEEDBACK_REMINDER_CRON, FEEDBACK_REMINDER_QUEUE, registerFeedbackReminders, remindMissingFeedback } from './reminders.ts';

type T = Awaited<ReturnType<typeof loopsApp>>;
let t: T;
beforeAll(async () => {
  t = await loopsApp();
});
afterAll(() => t.close());

const db = () => t.database.db;
const HOUR = 3600 * 1000;

/**
 * A loop of three interviews scheduled back to back on one day (UTC), each an hour long; answers
 * the cast and the interviews in loop order.
 */
async function heldLoop(label: string, date: string) {
  const cast = await loopCast(db(), label);
  const application = await addApplication(db(), { jobId: cast.jobId, name: `${label} Candidate` });
  const by = { id: cast.recruiter.id, role: 'recruiter' as const };
  await planApplicationLoop({
    db: db(),
    applicationId: application.id,
    request: { interviewerIds: [cast.manager.id, cast.interviewer.id, cast.barRaiser.id], preferredBarRaiserId: null, allowDuplicates: false },
    by,
    publicUrl: t.config.publicUrl,
  });
  const [loop] = await db().select().from(loops).where(eq(loops.applicationId, application.id));
  const rows = await db().select().from(interviews).where(eq(interviews.loopId, loop!.id)).orderBy(interviews.position);
  for (const [index, row] of rows.entries()) {
    await scheduleInterview({
      db: db(),
      mail: t.mail,
      applicationId: application.id,
      interviewId: row.id,
      request: { date, time: `${String(9 + index).padStart(2, '0')}:00`, timeZone: 'UTC', durationMinutes: 60, room: 'Room 1', videoUrl: null },
      by,
      organization: 'Day One',
      publicUrl: t.config.publicUrl,
    });
  }
  return { cast, application, rows };
}

const reminders = (email: string) => t.mail.to(email).filter((m) => m.kind === 'feedback_due');

describe(`feedback reminders on ${testEngine}`, () => {
  it('reminds each interviewer once, a day after the interview, only while their feedback is missing or a draft', async () => {
    const { cast, rows } = await heldLoop('Remind', '2032-03-01');
    const [hm, iv, br] = rows;
    await db().insert(feedback).values([
      { interviewId: hm!.id, authorId: cast.manager.id, status: 'submitted', vote: 'inclined', revision: 1, submittedAt: new Date('2032-03-01T12:00:00Z'), evidence: [{ principle: 'ownership', situation: 'Secret words of the manager' }] },
      { interviewId: iv!.id, authorId: cast.interviewer.id, status: 'draft', evidence: [{ principle: 'dive-deep', situation: 'Draft words nobody may read' }] },
    ]);

    // 23 hours after the last interview ended: too early for anyone.
    expect(await remindMissingFeedback({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now: new Date(Date.parse('2032-03-01T12:00:00Z') + 23 * HOUR) })).toEqual({ reminded: 0 });

    // A day and more after: the draft's author and the one who wrote nothing, not the one who submitted.
    const now = new Date('2032-03-02T13:30:00Z');
    expect(await remindMissingFeedback({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now })).toEqual({ reminded: 2 });
    expect(reminders(cast.manager.email)).toHaveLength(0);
    const toInterviewer = reminders(cast.interviewer.email);
    const toBarRaiser = reminders(cast.barRaiser.email);
    expect(toInterviewer).toHaveLength(1);
    expect(toBarRaiser).toHaveLength(1);
    expect(toInterviewer[0]!.text).toContain(`${t.config.publicUrl}/staff/interviews/${iv!.id}/feedback`);
    expect(toBarRaiser[0]!.text).toContain(`${t.config.publicUrl}/staff/interviews/${br!.id}/feedback`);
    for (const message of [...toInterviewer, ...toBarRaiser]) {
      expect(`${message.text}${message.html}`).not.toMatch(/Secret words|Draft words|inclined/);
    }

    // Once only.
    expect(await remindMissingFeedback({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now: new Date(now.getTime() + 6 * HOUR) })).toEqual({ reminded: 0 });
    expect(reminders(cast.interviewer.email)).toHaveLength(1);
  });

  it('leaves cancelled and unscheduled interviews alone', async () => {
    const { cast, rows } = await heldLoop('Quiet', '2032-04-01');
    await db().update(interviews).set({ status: 'cancelled' }).where(eq(interviews.id, rows[0]!.id));
    await db().update(interviews).set({ status: 'unscheduled' }).where(eq(interviews.id, rows[1]!.id));
    await remindMissingFeedback({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now: new Date('2032-04-03T00:00:00Z') });
    expect(reminders(cast.manager.email)).toHaveLength(0);
    expect(reminders(cast.interviewer.email)).toHaveLength(0);
    expect(reminders(cast.barRaiser.email)).toHaveLength(1);
  });

  it('runs every 15 minutes on the job queue', async () => {
    const queue = await startQueue(t.database);
    try {
      const { cast } = await heldLoop('Queued', '2020-05-05');
      const stop = await registerFeedbackReminders(queue, { db: db(), mail: t.mail, publicUrl: t.config.publicUrl, pollSeconds: 1 });
      const schedules = await queue.getSchedules();
      expect(schedules.filter((s) => s.name === FEEDBACK_REMINDER_QUEUE).map((s) => [s.cron, s.timezone])).toEqual([[FEEDBACK_REMINDER_CRON, 'UTC']]);
      expect(FEEDBACK_REMINDER_CRON).toBe('*/15 * * * *');
      await queue.send(FEEDBACK_REMINDER_QUEUE, {});
      await expect.poll(() => reminders(cast.barRaiser.email).length, { timeout: 15_000, interval: 200 }).toBe(1);
      await stop();
    } finally {
      await queue.stop({ graceful: false });
    }
  }, 30_000);
});

describe(`a user's interviews on ${testEngine}`, () => {
  it('lists the interviews to come with their kit, and the held ones whose feedback is due', async () => {
    const { cast, application, rows } = await heldLoop('Mine', '2033-01-10');
    const now = new Date('2033-01-10T10:30:00Z');
    // The manager's interview (09:00–10:00) is over; the interviewer's (10:00–11:00) is under way.
    const manager = await interviewsFor({ db: db(), userId: cast.manager.id, now });
    expect(manager.upcoming).toEqual([]);
    expect(manager.feedbackDue).toMatchObject([
      { interviewId: rows[0]!.id, applicationId: application.id, href: `/staff/interviews/${rows[0]!.id}/feedback`, feedback: 'missing', candidate: 'Mine Candidate' },
    ]);
    const interviewer = await interviewsFor({ db: db(), userId: cast.interviewer.id, now });
    expect(interviewer.upcoming).toMatchObject([{ interviewId: rows[1]!.id, href: `/staff/interviews/${rows[1]!.id}/kit` }]);
    expect(interviewer.upcoming[0]!.startsAt.toISOString()).toBe('2033-01-10T10:00:00.000Z');
    expect(interviewer.feedbackDue).toEqual([]);

    await db().insert(feedback).values({ interviewId: rows[0]!.id, authorId: cast.manager.id, status: 'submitted', vote: 'inclined', revision: 1, submittedAt: now });
    expect((await interviewsFor({ db: db(), userId: cast.manager.id, now })).feedbackDue).toEqual([]);
    // Someone else's interviews are never listed.
    expect(await interviewsFor({ db: db(), userId: cast.recruiter.id, now })).toEqual({ upcoming: [], feedbackDue: [] });
  });

  it('names the candidate as the kit does: “Candidate #id” while anonymized screening hides who it is', async () => {
    const { cast, application, rows } = await heldLoop('Veiled', '2033-02-10');
    // The application is taken back to screening on a job that anonymizes it (moves back are allowed).
    await db().update(jobs).set({ anonymizedScreening: true }).where(eq(jobs.id, cast.jobId));
    await db().update(applications).set({ stage: 'screen' }).where(eq(applications.id, application.id));
    const now = new Date('2033-02-10T10:30:00Z');
    const mine = [...Object.values(await interviewsFor({ db: db(), userId: cast.manager.id, now })).flat(), ...Object.values(await interviewsFor({ db: db(), userId: cast.interviewer.id, now })).flat()];
    expect(mine.map((i) => i.interviewId).sort()).toEqual([rows[0]!.id, rows[1]!.id].sort());
    for (const item of mine) {
      expect(item.candidate).toBe(`Candidate #${application.id}`);
      expect(`${item.title} ${item.detail}`).not.toContain('Veiled Candidate');
    }
    // Past screening the name shows again.
    await db().update(applications).set({ stage: 'onsite_loop' }).where(eq(applications.id, application.id));
    expect((await interviewsFor({ db: db(), userId: cast.interviewer.id, now })).upcoming[0]!.candidate).toBe('Veiled Candidate');
  });
});
