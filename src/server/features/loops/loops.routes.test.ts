import { and, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applicationEvents, applications, auditEvents, interviews, loops } from '../../db/schema/index.ts';
import type { OutgoingMail } from '../mail/mail.types.ts';
import { addApplication, addJob, giveCsrf, loopCast, loopsApp, pageText, postEntries } from './loops.test-support.ts';

type T = Awaited<ReturnType<typeof loopsApp>>;
let t: T;
let admin: { id: number; name: string; email: string };

beforeAll(async () => {
  t = await loopsApp();
  admin = await createStaff(t.database.db, { role: 'admin', name: 'Ada Admin' });
});
afterAll(() => t.close());

const db = () => t.database.db;
const loopUrl = (applicationId: number) => `/staff/applications/${applicationId}/loop`;

/** Signs in, opens the loop page (for its CSRF token) and answers the client. */
async function openLoop(userId: number, applicationId: number) {
  const client = await staffClient(t.app, db(), userId);
  const res = await client.get(loopUrl(applicationId));
  expect(res.statusCode).toBe(200);
  return client;
}

/** Plans the loop of an application as `userId` with these interviewers (in order). */
async function plan(userId: number, applicationId: number, interviewerIds: number[], extra: Array<[string, string]> = []) {
  const client = await openLoop(userId, applicationId);
  return postEntries(t.app, client, `${loopUrl(applicationId)}/plan`, [...interviewerIds.map((id): [string, string] => ['interviewers', String(id)]), ...extra]);
}

async function storedLoop(applicationId: number) {
  const [loop] = await db().select().from(loops).where(eq(loops.applicationId, applicationId));
  const rows = loop ? await db().select().from(interviews).where(eq(interviews.loopId, loop.id)).orderBy(interviews.position) : [];
  return { loop, interviews: rows };
}

async function auditOf(action: string, subjectId: number | string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, String(subjectId))));
}

/** What ical.js, an independent parser, reads of an email's invitation. */
function invite(message: OutgoingMail) {
  expect(message.ical).toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(message.ical!.content));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
    status: vevent.getFirstPropertyValue('status'),
    organizer: String(vevent.getFirstProperty('organizer')!.getFirstValue()),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
  };
}

describe(`planning a loop on ${testEngine}`, () => {
  it('stores a plan that covers the job’s principles with one bar raiser from outside the hiring team, in one audited change', async () => {
    const cast = await loopCast(db(), 'Plan');
    const application = await addApplication(db(), { jobId: cast.jobId });
    const page = await (await staffClient(t.app, db(), cast.recruiter.id)).get(loopUrl(application.id));
    expect(pageText(page.body)).toContain('Plan the loop');
    expect(page.body).toContain(cast.barRaiser.name);

    const res = await plan(cast.recruiter.id, application.id, [cast.manager.id, cast.interviewer.id, cast.barRaiser.id]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${loopUrl(application.id)}?notice=planned`);

    const { loop, interviews: rows } = await storedLoop(application.id);
    expect(loop).toMatchObject({ status: 'planning', hiringManagerId: cast.manager.id, allowDuplicates: false });
    expect(rows.map((r) => r.interviewerId)).toEqual([cast.manager.id, cast.interviewer.id, cast.barRaiser.id]);
    const covered = rows.flatMap((r) => r.principles);
    for (const slug of ['customer-obsession', 'ownership', 'dive-deep']) expect(covered).toContain(slug);
    expect(new Set(covered).size).toBe(covered.length);
    for (const r of rows) expect(r.principles.length).toBeGreaterThanOrEqual(2);
    const barRaisers = rows.filter((r) => r.role === 'bar_raiser');
    expect(barRaisers.map((r) => r.interviewerId)).toEqual([cast.barRaiser.id]);
    expect([cast.manager.id, cast.recruiter.id, cast.teamInterviewer.id]).not.toContain(barRaisers[0]!.interviewerId);
    expect(rows.find((r) => r.interviewerId === cast.manager.id)!.role).toBe('hiring_manager');
    for (const r of rows) {
      expect(r.icalUid).toMatch(/^[0-9a-f-]{36}@careers\.example\.test$/);
      expect(r).toMatchObject({ status: 'unscheduled', icalSequence: 0 });
    }
    const [event] = await auditOf('loop.planned', application.id);
    expect(event).toMatchObject({ actorId: cast.recruiter.id, subjectType: 'application' });

    const shown = pageText((await (await staffClient(t.app, db(), cast.recruiter.id)).get(loopUrl(application.id))).body);
    expect(shown).toContain('The plan meets every rule');
    expect(shown).toContain('Customer obsession');
  });

  it('names the rules a plan breaks: no certified bar raiser, an interviewer below the job’s level', async () => {
    const cast = await loopCast(db(), 'Faults');
    const application = await addApplication(db(), { jobId: cast.jobId });
    expect((await plan(cast.manager.id, application.id, [cast.manager.id, cast.junior.id])).statusCode).toBe(303);
    const shown = pageText((await (await staffClient(t.app, db(), cast.manager.id)).get(loopUrl(application.id))).body);
    expect(shown).toContain('The loop has no bar raiser: none of the interviewers is a certified bar raiser.');
    expect(shown).toContain(`${cast.junior.name} holds level 2, below the job's level 4.`);
    expect(shown).toContain('Why confirm the plan although it breaks the rules above?');
  });

  it('refuses to plan a loop for a job without a hiring manager, and keeps the choices', async () => {
    const recruiter = await createStaff(db(), { role: 'recruiter', name: 'Lone Recruiter' });
    const interviewer = await createStaff(db(), { role: 'interviewer', name: 'Lone Interviewer' });
    const jobId = await addJob(db(), { title: 'Headless Job' });
    await addToJobTeam(db(), jobId, recruiter.id, 'recruiter');
    const application = await addApplication(db(), { jobId });
    const res = await plan(recruiter.id, application.id, [interviewer.id]);
    expect(res.statusCode).toBe(409);
    expect(pageText(res.body)).toContain('This job has no hiring manager');
    expect(res.body).toContain(`checked="" value="${interviewer.id}"`);
    expect((await storedLoop(application.id)).loop).toBeUndefined();
  });

  it('refuses a plan without interviewers with a message at the field', async () => {
    const cast = await loopCast(db(), 'Empty');
    const application = await addApplication(db(), { jobId: cast.jobId });
    const res = await plan(cast.recruiter.id, application.id, []);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#interviewers"');
    expect(pageText(res.body)).toContain('Choose at least one interviewer');
  });

  it('saves an adjusted plan and checks it again', async () => {
    const cast = await loopCast(db(), 'Adjust');
    const application = await addApplication(db(), { jobId: cast.jobId });
    await plan(cast.manager.id, application.id, [cast.manager.id, cast.interviewer.id, cast.barRaiser.id]);
    const [hm, iv, br] = (await storedLoop(application.id)).interviews;
    const client = await openLoop(cast.manager.id, application.id);

    // The interviewer becomes bar raiser (not certified) and shares a principle with the hiring manager.
    const res = await postEntries(t.app, client, `${loopUrl(application.id)}/adjust`, [
      ['principles-' + hm!.id, 'customer-obsession'],
      ['principles-' + hm!.id, 'ownership'],
      ['principles-' + iv!.id, 'ownership'],
      ['principles-' + iv!.id, 'dive-deep'],
      ['principles-' + br!.id, 'bias-for-action'],
      ['principles-' + br!.id, 'frugality'],
      ['barRaiser', String(iv!.id)],
    ]);
    expect(res.statusCode).toBe(303);
    const after = (await storedLoop(application.id)).interviews;
    expect(after.map((r) => [r.role, [...r.principles].sort()])).toEqual([
      ['hiring_manager', ['customer-obsession', 'ownership']],
      ['bar_raiser', ['dive-deep', 'ownership']],
      ['interviewer', ['bias-for-action', 'frugality']],
    ]);
    let shown = pageText((await client.get(loopUrl(application.id))).body);
    expect(shown).toContain(`${cast.interviewer.name} is not a certified bar raiser.`);
    expect(shown).toContain(`“Ownership” is assessed by ${cast.manager.name} and ${cast.interviewer.name}`);

    await postEntries(t.app, client, `${loopUrl(application.id)}/adjust`, [
      ['principles-' + hm!.id, 'customer-obsession'],
      ['principles-' + hm!.id, 'ownership'],
      ['principles-' + iv!.id, 'dive-deep'],
      ['principles-' + iv!.id, 'bias-for-action'],
      ['principles-' + br!.id, 'frugality'],
      ['principles-' + br!.id, 'earn-trust'],
      ['barRaiser', String(br!.id)],
    ]);
    shown = pageText((await client.get(loopUrl(application.id))).body);
    expect(shown).toContain('The plan meets every rule');
    expect(await auditOf('loop.adjusted', application.id)).toHaveLength(2);
  });

  it('refuses principles that are not in the content pack, changing nothing', async () => {
    const cast = await loopCast(db(), 'Forged');
    const application = await addApplication(db(), { jobId: cast.jobId });
    await plan(cast.manager.id, application.id, [cast.interviewer.id, cast.barRaiser.id]);
    const before = (await storedLoop(application.id)).interviews;
    const client = await openLoop(cast.manager.id, application.id);
    const res = await postEntries(t.app, client, `${loopUrl(application.id)}/adjust`, [
      ['principles-' + before[0]!.id, 'not-a-principle'],
      ['barRaiser', String(before[1]!.id)],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`href="#adjust-${before[0]!.id}"`);
    expect((await storedLoop(application.id)).interviews).toEqual(before);
  });

  it('lets only the job’s hiring manager (or an admin) confirm the pre-brief, with a reason while rules are broken', async () => {
    const cast = await loopCast(db(), 'Confirm');
    const application = await addApplication(db(), { jobId: cast.jobId });
    await plan(cast.recruiter.id, application.id, [cast.manager.id, cast.junior.id]);

    const recruiter = await openLoop(cast.recruiter.id, application.id);
    expect(pageText((await recruiter.get(loopUrl(application.id))).body)).toContain('Only the job’s hiring manager (or an admin) confirms the pre-brief.');
    const refused = await recruiter.post(`${loopUrl(application.id)}/confirm`, { reason: 'I would like to' });
    expect(refused.statusCode).toBe(403);

    const manager = await openLoop(cast.manager.id, application.id);
    const noReason = await manager.post(`${loopUrl(application.id)}/confirm`, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#confirm-reason"');
    expect((await storedLoop(application.id)).loop!.status).toBe('planning');

    const ok = await manager.post(`${loopUrl(application.id)}/confirm`, { reason: 'No certified bar raiser is free this month.' });
    expect(ok.statusCode).toBe(303);
    const { loop } = await storedLoop(application.id);
    expect(loop).toMatchObject({ status: 'confirmed', confirmedBy: cast.manager.id });
    const [event] = await auditOf('loop.confirmed', application.id);
    expect(event!.after).toMatchObject({ status: 'confirmed', reason: 'No certified bar raiser is free this month.' });
    expect(JSON.stringify(event!.after)).toContain('no_bar_raiser');

    // A loop that breaks no rule is confirmed by an admin without a reason.
    const clean = await addApplication(db(), { jobId: cast.jobId });
    await plan(cast.recruiter.id, clean.id, [cast.manager.id, cast.interviewer.id, cast.barRaiser.id]);
    const adminClient = await openLoop(admin.id, clean.id);
    expect((await adminClient.post(`${loopUrl(clean.id)}/confirm`, {})).statusCode).toBe(303);
    expect((await storedLoop(clean.id)).loop!.status).toBe('confirmed');
  });
});

describe(`who may open the loop pages on ${testEngine}`, () => {
  it('refuses an interviewer on the job’s team and a recruiter of another job', async () => {
    const cast = await loopCast(db(), 'Policy');
    const application = await addApplication(db(), { jobId: cast.jobId });
    const otherRecruiter = await createStaff(db(), { role: 'recruiter', name: 'Other Recruiter' });
    const otherJob = await addJob(db(), { title: 'Some Other Job' });
    await addToJobTeam(db(), otherJob, otherRecruiter.id, 'recruiter');

    for (const userId of [cast.teamInterviewer.id, otherRecruiter.id]) {
      const client = await staffClient(t.app, db(), userId);
      expect((await client.get(loopUrl(application.id))).statusCode).toBe(403);
      giveCsrf(client, t.config.sessionSecret!);
      const posted = await postEntries(t.app, client, `${loopUrl(application.id)}/plan`, [['interviewers', String(cast.interviewer.id)]]);
      expect(posted.statusCode).toBe(403);
      expect(posted.body).not.toContain('could not be accepted');
      expect((await client.post(`${loopUrl(application.id)}/confirm`, {})).statusCode).toBe(403);
    }
    expect((await storedLoop(application.id)).loop).toBeUndefined();
  });
});

describe(`scheduling interviews on ${testEngine}`, () => {
  const when = { date: '2031-06-10', time: '09:00', timeZone: 'Europe/Berlin', duration: '60', room: 'Room 4.12', videoUrl: '' };

  async function plannedLoop(label: string) {
    const cast = await loopCast(db(), label);
    const application = await addApplication(db(), { jobId: cast.jobId, stage: 'phone_interview', name: `${label} Candidate` });
    await plan(cast.recruiter.id, application.id, [cast.manager.id, cast.interviewer.id, cast.barRaiser.id]);
    const rows = (await storedLoop(application.id)).interviews;
    const client = await openLoop(cast.recruiter.id, application.id);
    return { cast, application, rows, client };
  }

  it('sends the interviewer and the candidate an invitation calendars read, and moves the application to the onsite loop', async () => {
    const { cast, application, rows, client } = await plannedLoop('Invite');
    const interview = rows.find((r) => r.interviewerId === cast.interviewer.id)!;
    const res = await client.post(`${loopUrl(application.id)}/interviews/${interview.id}/schedule`, when);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${loopUrl(application.id)}?notice=scheduled-moved#interview-${interview.id}`);

    const [stored] = await db().select().from(interviews).where(eq(interviews.id, interview.id));
    expect(stored).toMatchObject({ status: 'scheduled', durationMinutes: 60, timeZone: 'Europe/Berlin', room: 'Room 4.12', videoUrl: null, icalSequence: 0 });
    expect(stored!.startsAt!.toISOString()).toBe('2031-06-10T07:00:00.000Z');

    const toInterviewer = t.mail.last(cast.interviewer.email, 'interview_invite');
    const toCandidate = t.mail.last(application.email, 'interview_invite');
    for (const message of [toInterviewer, toCandidate]) {
      expect(message.ical!.method).toBe('REQUEST');
      const parsed = invite(message);
      expect(parsed).toMatchObject({
        method: 'REQUEST',
        uid: interview.icalUid,
        sequence: 0,
        start: '2031-06-10T07:00:00.000Z',
        end: '2031-06-10T08:00:00.000Z',
        startIsUtc: true,
        status: 'CONFIRMED',
        organizer: 'mailto:no-reply@careers.example.test',
      });
      expect(parsed.attendees).toEqual([`mailto:${cast.interviewer.email}`, `mailto:${application.email}`]);
    }
    // The candidate is told the time in the chosen zone and in UTC, the format and the principles; staff links stay out.
    expect(toCandidate.text).toContain('09:00–10:00 Europe/Berlin time (07:00–08:00 UTC');
    expect(toCandidate.text).toContain('In person, in Room 4.12');
    for (const slug of interview.principles) expect(toCandidate.text.toLowerCase()).toContain(slug.split('-')[0]);
    expect(toCandidate.text).not.toContain('/staff/');
    expect(toInterviewer.text).toContain(`/staff/interviews/${interview.id}/kit`);

    const [app] = await db().select().from(applications).where(eq(applications.id, application.id));
    expect(app!.stage).toBe('onsite_loop');
    const moved = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, application.id), eq(applicationEvents.kind, 'moved')));
    expect(moved).toMatchObject([{ fromStage: 'phone_interview', toStage: 'onsite_loop', actorId: cast.recruiter.id }]);
    expect(await auditOf('application.moved', application.id)).toHaveLength(1);
    expect(await auditOf('interview.scheduled', interview.id)).toHaveLength(1);

    const shown = pageText((await client.get(loopUrl(application.id))).body);
    expect(shown).toContain('Tue, 10 Jun 2031, 09:00 Europe/Berlin');
  });

  it('sends a reschedule with the same UID and SEQUENCE 1, and a cancellation with a higher SEQUENCE to the same people', async () => {
    const { cast, application, rows, client } = await plannedLoop('Resend');
    const interview = rows.find((r) => r.interviewerId === cast.barRaiser.id)!;
    const url = `${loopUrl(application.id)}/interviews/${interview.id}`;
    await client.post(`${url}/schedule`, when);
    const second = await client.post(`${url}/schedule`, { ...when, time: '14:30', room: '', videoUrl: 'https://meet.example.com/abc' });
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toContain('notice=scheduled#');
    for (const to of [cast.barRaiser.email, application.email]) {
      const parsed = invite(t.mail.last(to, 'interview_invite'));
      expect(parsed).toMatchObject({ method: 'REQUEST', uid: interview.icalUid, sequence: 1, start: '2031-06-10T12:30:00.000Z' });
    }
    expect(t.mail.last(application.email).text).toContain('By video call at https://meet.example.com/abc');

    const cancelled = await client.post(`${url}/cancel`, {});
    expect(cancelled.statusCode).toBe(303);
    for (const to of [cast.barRaiser.email, application.email]) {
      const message = t.mail.last(to, 'interview_invite');
      expect(message.ical!.method).toBe('CANCEL');
      const parsed = invite(message);
      expect(parsed).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', uid: interview.icalUid, sequence: 2 });
      expect(parsed.attendees).toEqual([`mailto:${cast.barRaiser.email}`, `mailto:${application.email}`]);
    }
    const [stored] = await db().select().from(interviews).where(eq(interviews.id, interview.id));
    expect(stored).toMatchObject({ status: 'cancelled', icalSequence: 2 });
    expect(await auditOf('interview.cancelled', interview.id)).toHaveLength(1);
  });

  it('saves an interview that overlaps another of the same interviewer and warns about it on the page', async () => {
    const first = await plannedLoop('Busy');
    const busy = first.rows.find((r) => r.interviewerId === first.cast.interviewer.id)!;
    await first.client.post(`${loopUrl(first.application.id)}/interviews/${busy.id}/schedule`, when);

    // A second candidate's loop on another job, with the same interviewer half an hour later.
    const other = await plannedLoop('Busier');
    const otherApplication = await addApplication(db(), { jobId: other.cast.jobId });
    await plan(other.cast.recruiter.id, otherApplication.id, [other.cast.manager.id, first.cast.interviewer.id, other.cast.barRaiser.id]);
    const overlapping = (await storedLoop(otherApplication.id)).interviews.find((r) => r.interviewerId === first.cast.interviewer.id)!;
    const client = await openLoop(other.cast.recruiter.id, otherApplication.id);
    const res = await client.post(`${loopUrl(otherApplication.id)}/interviews/${overlapping.id}/schedule`, { ...when, time: '09:30' });
    expect(res.statusCode).toBe(303);
    const [stored] = await db().select().from(interviews).where(eq(interviews.id, overlapping.id));
    expect(stored!.status).toBe('scheduled');

    const shown = pageText((await client.get(loopUrl(otherApplication.id))).body);
    expect(shown).toContain(`Warning: ${first.cast.interviewer.name} has another interview at the same time.`);
    expect(shown).toContain('Tue, 10 Jun 2031, 07:00 UTC to 08:00 UTC');
    // An interview of someone else that does not overlap is not flagged.
    const free = other.rows.find((r) => r.interviewerId === other.cast.interviewer.id)!;
    await other.client.get(loopUrl(other.application.id));
    await other.client.post(`${loopUrl(other.application.id)}/interviews/${free.id}/schedule`, when);
    expect(pageText((await other.client.get(loopUrl(other.application.id))).body)).not.toContain('Warning:');
  });

  it('refuses an unknown zone, no room or link, and a duration of 0 with a message at each field, changing nothing', async () => {
    const { application, rows, client } = await plannedLoop('Refuse');
    const interview = rows[0]!;
    const sent = t.mail.sent.length;
    const audits = (await db().select().from(auditEvents)).length;
    const res = await client.post(`${loopUrl(application.id)}/interviews/${interview.id}/schedule`, {
      ...when,
      timeZone: 'Mars/Olympus_Mons',
      duration: '0',
      room: '',
      videoUrl: '',
    });
    expect(res.statusCode).toBe(400);
    for (const field of ['timeZone', 'duration', 'room']) expect(res.body).toContain(`href="#i${interview.id}-${field}"`);
    expect(pageText(res.body)).toContain('Give a room or a video link');
    expect(res.body).toContain('value="2031-06-10"');

    const plainLink = await client.post(`${loopUrl(application.id)}/interviews/${interview.id}/schedule`, { ...when, room: '', videoUrl: 'http://meet.example.com/x' });
    expect(plainLink.statusCode).toBe(400);
    expect(plainLink.body).toContain(`href="#i${interview.id}-videoUrl"`);
    const noDay = await client.post(`${loopUrl(application.id)}/interviews/${interview.id}/schedule`, { ...when, date: '2031-02-30' });
    expect(noDay.statusCode).toBe(400);
    expect(noDay.body).toContain(`href="#i${interview.id}-date"`);

    const [stored] = await db().select().from(interviews).where(eq(interviews.id, interview.id));
    expect(stored).toMatchObject({ status: 'unscheduled', startsAt: null, icalSequence: 0 });
    expect(t.mail.sent.length).toBe(sent);
    expect((await db().select().from(auditEvents)).length).toBe(audits);
    const [app] = await db().select().from(applications).where(eq(applications.id, application.id));
    expect(app!.stage).toBe('phone_interview');
  });

  it('answers 404 for an interview of another application’s loop', async () => {
    const a = await plannedLoop('Mine');
    const b = await plannedLoop('Theirs');
    const res = await a.client.post(`${loopUrl(a.application.id)}/interviews/${b.rows[0]!.id}/schedule`, when);
    expect(res.statusCode).toBe(404);
    const [stored] = await db().select().from(interviews).where(eq(interviews.id, b.rows[0]!.id));
    expect(stored!.status).toBe('unscheduled');
  });

  it('refuses to plan again while an interview is scheduled, and replaces the plan once it is cancelled', async () => {
    const { cast, application, rows, client } = await plannedLoop('Replan');
    const url = `${loopUrl(application.id)}/interviews/${rows[0]!.id}`;
    await client.post(`${url}/schedule`, when);
    const refused = await plan(cast.recruiter.id, application.id, [cast.interviewer.id, cast.barRaiser.id]);
    expect(refused.statusCode).toBe(409);
    expect(pageText(refused.body)).toContain('Cancel them first');
    await client.post(`${url}/cancel`, {});
    expect((await plan(cast.recruiter.id, application.id, [cast.interviewer.id, cast.barRaiser.id])).statusCode).toBe(303);
    const after = (await storedLoop(application.id)).interviews;
    expect(after.map((r) => r.interviewerId)).toEqual([cast.interviewer.id, cast.barRaiser.id]);
    expect(after.every((r) => r.status === 'unscheduled')).toBe(true);
  });
});
