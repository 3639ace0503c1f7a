import { randomUUID } from 'node:crypto';
import { interviewTimes } from '../../../domain/icalendar.ts';
import { barRaiserConflict, checkPlan, planLoop, type Assignment, type LoopRole, type PlannerInput, type Violation } from '../../../domain/loop-planner.ts';
import { checkMove, isClosed, stagesOf } from '../../../domain/pipeline.ts';
import { can, identityHidden, type StaffRole, type TeamRole } from '../../../domain/policy.ts';
import type { InterviewView, LoopView, StaffChoice } from '../../../web/staff/loop.tsx';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Mail } from '../mail/mail.types.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import { interviewInviteMails, type InviteFacts } from './invites.ts';
import {
  anyInterviewSent,
  deleteUnscheduledInterviews,
  findEnabledStaff,
  findLoop,
  findLoopApplication,
  findStaffNames,
  insertInterviews,
  listCatalogue,
  listCoveredElsewhere,
  listInterviewerChoices,
  listInterviewsOf,
  listJobPrincipleSlugs,
  listJobTeam,
  listLoopInterviews,
  listOverlaps,
  listReportingLines,
  lockApplication,
  lockLoop,
  lockLoopInterview,
  moveApplicationStage,
  setLoopStatus,
  updateInterviewPlan,
  updateInterviewSchedule,
  upsertPlanningLoop,
  type LoopApplication,
  type LoopInterviewRow,
  type LoopRow,
} from './loops.repository.ts';

/** Who acts. */
export interface By {
  id: number;
  role: StaffRole;
}

/** Loops in these states are past planning and scheduling: the debrief (issue 7) owns them. */
const CLOSED_LOOP = new Set(['debrief', 'decided']);
/** The stage the first scheduled interview moves an application to, when it is earlier. */
export const LOOP_STAGE = 'onsite_loop';

/** Duration limits of one interview, in minutes. */
export const MIN_MINUTES = 15;
export const MAX_MINUTES = 480;

/** The host the calendar UIDs end with: PUBLIC_URL's. */
export const icalHost = (publicUrl: string) => new URL(publicUrl).hostname;

async function applicationOr404(db: Db, applicationId: number): Promise<LoopApplication> {
  const application = await findLoopApplication(db, applicationId);
  if (!application) throw new NotFoundError('There is no such application.');
  return application;
}

const candidateLabel = (a: LoopApplication) =>
  identityHidden({ anonymizedScreening: a.anonymizedScreening }, a.stage) || a.personAnonymizedAt || !a.personName.trim() ? `Candidate #${a.id}` : a.personName;

/** The facts the planner and checker need, apart from the interviewers; the hiring manager may be missing. */
type Facts = Omit<PlannerInput, 'interviewers' | 'hiringManagerId'> & { hiringManagerId: number | null };

async function plannerFacts(
  db: Db,
  application: LoopApplication,
  options: { now: Date; hiringManagerId?: number | null },
): Promise<Facts> {
  const [jobPrinciples, catalogue, team, staff, alreadyCovered] = await Promise.all([
    listJobPrincipleSlugs(db, application.jobId),
    listCatalogue(db),
    listJobTeam(db, application.jobId),
    listReportingLines(db),
    listCoveredElsewhere(db, { personId: application.personId, exceptApplicationId: application.id, now: options.now }),
  ]);
  // A job with several hiring managers on its team: the one with the lowest staff id holds the loop.
  const teamManager = team.find((m) => m.role === 'hiring_manager')?.userId ?? null;
  return {
    job: { level: application.jobLevel, principles: jobPrinciples },
    catalogue,
    hiringManagerId: options.hiringManagerId ?? teamManager,
    hiringTeamIds: team.map((m) => m.userId),
    staff,
    alreadyCovered,
  };
}

const PLANNED_ROLES = new Set<string>(['interviewer', 'bar_raiser', 'hiring_manager']);

/** The checker's input and the assignments of a stored loop (shadows take no part in the rules). */
function storedPlan(facts: Facts, loop: LoopRow, rows: LoopInterviewRow[]) {
  const planned = rows.filter((r) => PLANNED_ROLES.has(r.role));
  const input: PlannerInput = {
    ...facts,
    hiringManagerId: loop.hiringManagerId ?? facts.hiringManagerId ?? 0,
    allowDuplicates: loop.allowDuplicates,
    interviewers: planned.map((r) => ({ id: r.interviewer.id, name: r.interviewer.name, level: r.interviewer.level, managerId: r.interviewer.managerId, barRaiser: r.interviewer.barRaiser })),
  };
  const assignments: Assignment[] = planned.map((r) => ({ interviewerId: r.interviewer.id, role: r.role as LoopRole, principles: [...r.principles] }));
  return { input, assignments };
}

const assignmentsOf = (rows: LoopInterviewRow[]) => rows.map((r) => ({ interviewId: r.id, interviewerId: r.interviewer.id, role: r.role, principles: [...r.principles] }));

/** The local date ('YYYY-MM-DD') and time ('HH:MM') of an instant in a zone, as the form shows them. */
export function localParts(at: Date, timeZone: string): { date: string; time: string } {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * The loop page of an application: its plan and violations, the schedule of each interview
 * with the interviewer's overlapping interviews, or, without a loop, what the plan form offers.
 */
export async function showLoop({ db, applicationId, viewer, teamRole, now = new Date() }: { db: Db; applicationId: number; viewer: By; teamRole: TeamRole | null; now?: Date }): Promise<LoopView> {
  const application = await applicationOr404(db, applicationId);
  const loop = await findLoop(db, applicationId);
  const [facts, choices, rows, overlaps] = await Promise.all([
    plannerFacts(db, application, { now, hiringManagerId: loop?.hiringManagerId ?? null }),
    listInterviewerChoices(db),
    loop ? listLoopInterviews(db, loop.id) : Promise.resolve([]),
    loop ? listOverlaps(db, loop.id) : Promise.resolve([]),
  ]);
  const names = await findStaffNames(db, [facts.hiringManagerId, loop?.confirmedBy].filter((id): id is number => typeof id === 'number'));
  const principleName = new Map(facts.catalogue.map((p) => [p.slug, p.name]));

  let violations: Violation[] = [];
  if (loop) {
    const { input, assignments } = storedPlan(facts, loop, rows);
    violations = checkPlan(input, { assignments });
  }

  const conflictInput: PlannerInput = { ...facts, hiringManagerId: facts.hiringManagerId ?? 0, interviewers: [] };
  const onTeam = new Set(facts.hiringTeamIds);
  const staffChoices: StaffChoice[] = choices.map((c) => ({
    id: c.id,
    name: c.name,
    role: c.role as StaffRole,
    level: c.level,
    team: c.teamName,
    barRaiser: c.barRaiser,
    onHiringTeam: onTeam.has(c.id),
    barRaiserConflict: facts.hiringManagerId === null ? null : barRaiserConflict(conflictInput, c.id),
  }));

  const interviews: InterviewView[] = rows.map((r) => {
    const endsAt = r.startsAt && r.durationMinutes ? new Date(r.startsAt.getTime() + r.durationMinutes * 60_000) : null;
    return {
      id: r.id,
      interviewer: { id: r.interviewer.id, name: r.interviewer.name, level: r.interviewer.level, barRaiser: r.interviewer.barRaiser, disabled: r.interviewer.disabledAt !== null },
      role: r.role,
      principles: r.principles.map((slug) => ({ slug, name: principleName.get(slug) ?? slug })),
      status: r.status,
      startsAt: r.startsAt,
      endsAt,
      durationMinutes: r.durationMinutes,
      timeZone: r.timeZone,
      room: r.room,
      videoUrl: r.videoUrl,
      sequence: r.icalSequence,
      local: r.startsAt && r.timeZone ? localParts(r.startsAt, r.timeZone) : null,
      conflicts: r.status === 'scheduled' ? overlaps.filter((o) => o.interviewId === r.id).map((o) => ({ start: o.startsAt, end: new Date(o.startsAt.getTime() + o.durationMinutes * 60_000) })) : [],
    };
  });

  const emphasized = new Set(facts.job.principles);
  return {
    application: {
      id: application.id,
      stage: application.stage,
      candidate: candidateLabel(application),
      closed: isClosed(application.stage),
      job: { id: application.jobId, title: application.jobTitle, level: application.jobLevel },
    },
    hiringManager: facts.hiringManagerId === null ? null : { id: facts.hiringManagerId, name: names.get(facts.hiringManagerId) ?? `Staff member #${facts.hiringManagerId}` },
    loop: loop
      ? {
          status: loop.status,
          allowDuplicates: loop.allowDuplicates,
          confirmedAt: loop.confirmedAt,
          confirmedBy: loop.confirmedBy === null ? null : (names.get(loop.confirmedBy) ?? null),
        }
      : null,
    interviews,
    violations: violations.map((v) => ({ code: v.code, message: v.message, interviewerIds: v.interviewerIds })),
    catalogue: facts.catalogue.map((p) => ({ ...p, emphasized: emphasized.has(p.slug) })),
    emphasized: facts.job.principles.map((slug) => principleName.get(slug) ?? slug),
    alreadyCovered: facts.alreadyCovered.map((slug) => principleName.get(slug) ?? slug),
    choices: staffChoices,
    may: { confirm: can(viewer, 'loop.confirm', { teamRole }) },
  };
}

/** The plan form's input. */
export interface PlanRequest {
  interviewerIds: number[];
  preferredBarRaiserId: number | null;
  allowDuplicates: boolean;
}

/**
 * Plans (or plans again) the loop of an application: gathers the facts, runs the planner, and
 * stores the loop (back to planning) and one unscheduled interview per assignment, in one
 * transaction with an audit event. Refused while any interview is scheduled: cancel those
 * first, so no one holds an invitation to an interview the new plan no longer has.
 */
export async function planApplicationLoop({
  db,
  applicationId,
  request,
  by,
  publicUrl,
  now = new Date(),
}: {
  db: Db;
  applicationId: number;
  request: PlanRequest;
  by: By;
  publicUrl: string;
  now?: Date;
}): Promise<{ violations: Violation[] }> {
  const chosen = [...new Set(request.interviewerIds)];
  if (chosen.length === 0) throw new ValidationError('Choose at least one interviewer', [{ field: 'interviewers', message: 'Choose at least one interviewer' }]);
  if (request.preferredBarRaiserId !== null && !chosen.includes(request.preferredBarRaiserId)) chosen.push(request.preferredBarRaiserId);
  const host = icalHost(publicUrl);

  return db.transaction(async (tx) => {
    if (!(await lockApplication(tx, applicationId))) throw new NotFoundError('There is no such application.');
    const application = await applicationOr404(tx, applicationId);
    const loop = await lockLoop(tx, applicationId);
    if (loop && CLOSED_LOOP.has(loop.status)) throw new ConflictError('This loop is in its debrief, so it can no longer be planned again.');
    const before = loop ? await listLoopInterviews(tx, loop.id) : [];
    if (before.some((r) => r.status === 'scheduled')) {
      throw new ConflictError('Some interviews of this loop are scheduled. Cancel them first (their invitations are withdrawn), then plan the loop again.');
    }

    const staff = await findEnabledStaff(tx, chosen);
    const byId = new Map(staff.map((s) => [s.id, s]));
    const missing = chosen.filter((id) => !byId.has(id));
    if (missing.includes(request.preferredBarRaiserId ?? -1)) {
      throw new ValidationError('Choose a bar raiser from the list', [{ field: 'barRaiser', message: 'Choose a bar raiser from the list' }]);
    }
    if (missing.length) throw new ValidationError('Choose interviewers from the list', [{ field: 'interviewers', message: 'Choose interviewers from the list; someone chosen is not an enabled member of staff' }]);
    if (request.preferredBarRaiserId !== null && !byId.get(request.preferredBarRaiserId)!.barRaiser) {
      throw new ValidationError('The preferred bar raiser is not certified', [{ field: 'barRaiser', message: 'Choose a certified bar raiser, or no preference' }]);
    }

    const facts = await plannerFacts(tx, application, { now });
    if (facts.hiringManagerId === null) {
      throw new ConflictError('This job has no hiring manager. Add one to its hiring team first: the hiring manager holds the pre-brief.');
    }
    const input: PlannerInput = {
      ...facts,
      hiringManagerId: facts.hiringManagerId,
      allowDuplicates: request.allowDuplicates,
      barRaiserId: request.preferredBarRaiserId,
      interviewers: chosen.map((id) => {
        const s = byId.get(id)!;
        return { id: s.id, name: s.name, level: s.level, managerId: s.managerId, barRaiser: s.barRaiser };
      }),
    };
    const plan = planLoop(input);

    const loopId = await upsertPlanningLoop(tx, { applicationId, hiringManagerId: facts.hiringManagerId, allowDuplicates: request.allowDuplicates });
    await deleteUnscheduledInterviews(tx, loopId);
    await insertInterviews(
      tx,
      plan.assignments.map((a, position) => ({
        loopId,
        interviewerId: a.interviewerId,
        role: a.role,
        principles: a.principles,
        position,
        icalUid: `${randomUUID()}@${host}`,
      })),
    );
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'loop.planned',
      subjectType: 'application',
      subjectId: applicationId,
      before: loop ? { status: loop.status, allowDuplicates: loop.allowDuplicates, assignments: assignmentsOf(before) } : null,
      after: {
        status: 'planning',
        hiringManagerId: facts.hiringManagerId,
        allowDuplicates: request.allowDuplicates,
        preferredBarRaiserId: request.preferredBarRaiserId,
        assignments: plan.assignments,
        violations: plan.violations.map((v) => v.code),
      },
    });
    return { violations: plan.violations };
  });
}

/** The adjust form's input: per interview, its principles; and who is the bar raiser. */
export interface AdjustRequest {
  principles: Map<number, string[]>;
  barRaiserInterviewId: number | null;
}

/**
 * Saves the hiring manager's changes to the plan: each interview's principles and the bar
 * raiser. A confirmed plan goes back to planning, to be confirmed again. The checker's verdict
 * is shown on the page; nothing here refuses a plan for breaking a rule.
 */
export async function adjustLoopPlan({ db, applicationId, request, by, now = new Date() }: { db: Db; applicationId: number; request: AdjustRequest; by: By; now?: Date }): Promise<{ violations: Violation[] }> {
  return db.transaction(async (tx) => {
    const application = await applicationOr404(tx, applicationId);
    const loop = await lockLoop(tx, applicationId);
    if (!loop) throw new NotFoundError('This application has no loop yet: plan it first.');
    if (CLOSED_LOOP.has(loop.status)) throw new ConflictError('This loop is in its debrief, so its plan can no longer change.');
    const rows = await listLoopInterviews(tx, loop.id);
    const facts = await plannerFacts(tx, application, { now, hiringManagerId: loop.hiringManagerId });
    const known = new Set(facts.catalogue.map((p) => p.slug));

    const errors: Array<{ field: string; message: string }> = [];
    for (const [interviewId, slugs] of request.principles) {
      if (!rows.some((r) => r.id === interviewId)) errors.push({ field: '', message: 'The form names an interview that is not of this loop. Open the page again.' });
      else if (slugs.some((slug) => !known.has(slug))) errors.push({ field: `adjust-${interviewId}`, message: 'Choose principles from the list' });
    }
    if (request.barRaiserInterviewId !== null && !rows.some((r) => r.id === request.barRaiserInterviewId)) {
      errors.push({ field: 'adjust-bar-raiser', message: 'Choose the bar raiser among the loop’s interviewers' });
    }
    if (errors.length) throw new ValidationError(errors[0]!.message, errors);

    const updated = rows.map((r) => {
      const asked = request.principles.get(r.id) ?? [];
      // Principles kept stay in the order the plan had them; new ones follow in pack order.
      const kept = r.principles.filter((slug) => asked.includes(slug));
      const added = facts.catalogue.map((p) => p.slug).filter((slug) => asked.includes(slug) && !kept.includes(slug));
      const role =
        r.role === 'shadow'
          ? 'shadow'
          : r.id === request.barRaiserInterviewId
            ? 'bar_raiser'
            : r.interviewer.id === loop.hiringManagerId
              ? 'hiring_manager'
              : 'interviewer';
      return { ...r, role, principles: [...kept, ...added] };
    });
    for (const r of updated) await updateInterviewPlan(tx, r.id, { role: r.role, principles: r.principles });
    if (loop.status === 'confirmed') await setLoopStatus(tx, loop.id, { status: 'planning', confirmedAt: null, confirmedBy: null });

    const { input, assignments } = storedPlan(facts, loop, updated);
    const violations = checkPlan(input, { assignments });
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'loop.adjusted',
      subjectType: 'application',
      subjectId: applicationId,
      before: { status: loop.status, assignments: assignmentsOf(rows) },
      after: { status: 'planning', assignments: assignmentsOf(updated), violations: violations.map((v) => v.code) },
    });
    return { violations };
  });
}

/**
 * The pre-brief: the hiring manager (or an admin; the caller checks) confirms the plan. With
 * violations left, a reason is required, and kept with the violations in the audit event.
 */
export async function confirmLoopPlan({ db, applicationId, reason, by, now = new Date() }: { db: Db; applicationId: number; reason: string; by: By; now?: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    const application = await applicationOr404(tx, applicationId);
    const loop = await lockLoop(tx, applicationId);
    if (!loop) throw new NotFoundError('This application has no loop yet: plan it first.');
    if (loop.status !== 'planning') throw new ConflictError(loop.status === 'confirmed' ? 'The pre-brief of this loop is already confirmed.' : 'This loop is in its debrief.');
    const rows = await listLoopInterviews(tx, loop.id);
    const facts = await plannerFacts(tx, application, { now, hiringManagerId: loop.hiringManagerId });
    const { input, assignments } = storedPlan(facts, loop, rows);
    const violations = checkPlan(input, { assignments });
    const why = reason.trim();
    if (violations.length > 0 && !why) {
      const message = `The plan breaks ${violations.length === 1 ? 'a rule' : `${violations.length} rules`}: say why you confirm it anyway, or adjust it first`;
      throw new ValidationError(message, [{ field: 'confirm-reason', message }]);
    }
    await setLoopStatus(tx, loop.id, { status: 'confirmed', confirmedAt: now, confirmedBy: by.id });
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'loop.confirmed',
      subjectType: 'application',
      subjectId: applicationId,
      before: { status: loop.status },
      after: { status: 'confirmed', assignments: assignmentsOf(rows), violations: violations.map((v) => ({ code: v.code, message: v.message })), reason: why || null },
    });
  });
}

/** When and where an interview happens, as the schedule form gives it (already checked field by field). */
export interface ScheduleRequest {
  date: string;
  time: string;
  timeZone: string;
  durationMinutes: number;
  room: string | null;
  videoUrl: string | null;
}

interface MailContext {
  mail: Mail;
  organization: string;
  publicUrl: string;
}

/** The facts of an interview's invitation, read inside the transaction that changes it. */
async function inviteFacts(
  tx: Db,
  application: LoopApplication,
  interviewId: number,
  change: { method: 'REQUEST' | 'CANCEL'; sequence: number; start: Date; end: Date; timeZone: string; room: string | null; videoUrl: string | null },
  context: MailContext,
  now: Date,
): Promise<InviteFacts> {
  const loop = (await findLoop(tx, application.id))!;
  const row = (await listLoopInterviews(tx, loop.id)).find((r) => r.id === interviewId)!;
  const catalogue = new Map((await listCatalogue(tx)).map((p) => [p.slug, p.name]));
  const erased = application.personAnonymizedAt !== null;
  return {
    ...change,
    interviewId,
    uid: row.icalUid,
    role: row.role,
    jobTitle: application.jobTitle,
    organization: context.organization,
    publicUrl: context.publicUrl,
    interviewer: { name: row.interviewer.name, email: row.interviewer.email },
    candidate: erased ? null : { name: application.personName, email: application.personEmail },
    principles: row.principles.map((slug) => catalogue.get(slug) ?? slug),
    now,
  };
}

/**
 * Schedules (or reschedules) one interview of the application's loop and sends its invitation
 * to the interviewer and the candidate. SEQUENCE stays 0 for the first invitation and is raised
 * on every change after it. The loop's first scheduled interview moves the application to the
 * onsite loop stage when it is earlier in the job's stages. Overlaps with the interviewer's other
 * interviews do not stop the save; the loop page lists them.
 */
export async function scheduleInterview({
  db,
  mail,
  applicationId,
  interviewId,
  request,
  by,
  organization,
  publicUrl,
  now = new Date(),
}: MailContext & { db: Db; applicationId: number; interviewId: number; request: ScheduleRequest; by: By; now?: Date }): Promise<{ moved: boolean }> {
  let times: { start: Date; end: Date };
  try {
    times = interviewTimes({ date: request.date, time: request.time, timeZone: request.timeZone, minutes: request.durationMinutes });
  } catch (error) {
    const message = error instanceof RangeError ? `${error.message.replace(/\.$/, '')}: choose another date` : 'Choose a date and time';
    throw new ValidationError(message, [{ field: 'date', message }]);
  }

  const { facts, moved } = await db.transaction(async (tx) => {
    const locked = await lockApplication(tx, applicationId);
    if (!locked) throw new NotFoundError('There is no such application.');
    const interview = await lockLoopInterview(tx, { applicationId, interviewId });
    if (!interview) throw new NotFoundError('There is no such interview in this loop.');
    const application = await applicationOr404(tx, applicationId);
    const loop = (await findLoop(tx, applicationId))!;
    if (CLOSED_LOOP.has(loop.status)) throw new ConflictError('This loop is in its debrief, so its interviews can no longer be scheduled.');
    if (isClosed(application.stage)) throw new ConflictError('This application is closed, so no interview can be scheduled.');

    const firstOfLoop = !(await anyInterviewSent(tx, loop.id));
    const sequence = interview.status === 'unscheduled' ? interview.icalSequence : interview.icalSequence + 1;
    const change = {
      status: 'scheduled',
      startsAt: times.start,
      durationMinutes: request.durationMinutes,
      timeZone: request.timeZone,
      room: request.room,
      videoUrl: request.videoUrl,
      icalSequence: sequence,
    };
    await updateInterviewSchedule(tx, interviewId, change);
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: interview.status === 'scheduled' ? 'interview.rescheduled' : 'interview.scheduled',
      subjectType: 'interview',
      subjectId: interviewId,
      before: scheduleSnapshot(interview),
      after: scheduleSnapshot(change),
    });

    let moved = false;
    if (firstOfLoop) {
      const stages = stagesOf(application.jobStages);
      const at = stages.indexOf(application.stage);
      const target = stages.indexOf(LOOP_STAGE);
      if (target >= 0 && at >= 0 && at < target && checkMove({ from: application.stage, to: LOOP_STAGE, stages }).ok) {
        await moveApplicationStage(tx, { applicationId, from: application.stage, to: LOOP_STAGE, actorId: by.id });
        await recordStaffAudit(tx, {
          actorId: by.id,
          action: 'application.moved',
          subjectType: 'application',
          subjectId: applicationId,
          before: { stage: application.stage },
          after: { stage: LOOP_STAGE, why: 'first interview of the loop scheduled' },
        });
        moved = true;
      }
    }
    const facts = await inviteFacts(
      tx,
      application,
      interviewId,
      { method: 'REQUEST', sequence, start: times.start, end: times.end, timeZone: request.timeZone, room: request.room, videoUrl: request.videoUrl },
      { mail, organization, publicUrl },
      now,
    );
    return { facts, moved };
  });
  for (const message of interviewInviteMails(facts)) await mail.send(message);
  return { moved };
}

function scheduleSnapshot(s: { status: string; startsAt: Date | null; durationMinutes: number | null; timeZone: string | null; room: string | null; videoUrl: string | null; icalSequence: number }) {
  return {
    status: s.status,
    startsAt: s.startsAt?.toISOString() ?? null,
    durationMinutes: s.durationMinutes,
    timeZone: s.timeZone,
    room: s.room,
    videoUrl: s.videoUrl,
    sequence: s.icalSequence,
  };
}

/**
 * Cancels a scheduled interview: its status, a higher SEQUENCE, an audit event, and a CANCEL
 * (same UID) to the people who were invited.
 */
export async function cancelInterview({
  db,
  mail,
  applicationId,
  interviewId,
  by,
  organization,
  publicUrl,
  now = new Date(),
}: MailContext & { db: Db; applicationId: number; interviewId: number; by: By; now?: Date }): Promise<void> {
  const facts = await db.transaction(async (tx) => {
    const interview = await lockLoopInterview(tx, { applicationId, interviewId });
    if (!interview) throw new NotFoundError('There is no such interview in this loop.');
    if (interview.status !== 'scheduled' || !interview.startsAt || !interview.durationMinutes || !interview.timeZone) {
      throw new ConflictError('This interview is not scheduled, so there is nothing to cancel.');
    }
    const application = await applicationOr404(tx, applicationId);
    const sequence = interview.icalSequence + 1;
    const change = {
      status: 'cancelled',
      startsAt: interview.startsAt,
      durationMinutes: interview.durationMinutes,
      timeZone: interview.timeZone,
      room: interview.room,
      videoUrl: interview.videoUrl,
      icalSequence: sequence,
    };
    await updateInterviewSchedule(tx, interviewId, change);
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'interview.cancelled',
      subjectType: 'interview',
      subjectId: interviewId,
      before: scheduleSnapshot(interview),
      after: scheduleSnapshot(change),
    });
    const start = interview.startsAt;
    return inviteFacts(
      tx,
      application,
      interviewId,
      {
        method: 'CANCEL',
        sequence,
        start,
        end: new Date(start.getTime() + interview.durationMinutes * 60_000),
        timeZone: interview.timeZone,
        room: interview.room,
        videoUrl: interview.videoUrl,
      },
      { mail, organization, publicUrl },
      now,
    );
  });
  for (const message of interviewInviteMails(facts)) await mail.send(message);
}

/** One of a user's interviews, for the home page's "waiting for you". */
export interface MyInterview {
  interviewId: number;
  applicationId: number;
  role: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string | null;
  jobTitle: string;
  candidate: string;
  /** Where to go: the kit for one to come, the feedback form for one held. */
  title: string;
  href: string;
  detail: string;
  /** missing, draft or submitted. */
  feedback: 'missing' | 'draft' | 'submitted';
}

const utc = (at: Date) =>
  `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}, ${at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;

/**
 * The user's interviews: `upcoming` (not yet ended, soonest first, linking to the kit) and
 * `feedbackDue` (ended, feedback missing or a draft, linking to the feedback form). Only the
 * user's own interviews; nothing of anyone's feedback.
 */
export async function interviewsFor({ db, userId, now = new Date() }: { db: Db; userId: number; now?: Date }): Promise<{ upcoming: MyInterview[]; feedbackDue: MyInterview[] }> {
  const found = await listInterviewsOf(db, { userId, now });
  const upcoming: MyInterview[] = [];
  const feedbackDue: MyInterview[] = [];
  for (const r of found) {
    const endsAt = new Date(r.startsAt.getTime() + r.durationMinutes * 60_000);
    // As the kit names them: hidden while anonymized screening applies, and once the person's data is erased.
    const hidden = identityHidden({ anonymizedScreening: r.anonymizedScreening }, r.stage) || r.personAnonymized;
    const candidate = hidden || !r.personName.trim() ? `Candidate #${r.applicationId}` : r.personName;
    const feedback = r.feedbackStatus === 'submitted' ? 'submitted' : r.feedbackStatus === 'draft' ? 'draft' : 'missing';
    const base = { interviewId: r.id, applicationId: r.applicationId, role: r.role, startsAt: r.startsAt, endsAt, timeZone: r.timeZone, jobTitle: r.jobTitle, candidate, feedback } as const;
    if (endsAt.getTime() > now.getTime()) {
      upcoming.push({ ...base, title: `Interview ${candidate} for ${r.jobTitle}`, href: `/staff/interviews/${r.id}/kit`, detail: `${utc(r.startsAt)} · open the kit` });
    } else if (feedback !== 'submitted') {
      feedbackDue.push({
        ...base,
        title: `Feedback on ${candidate} for ${r.jobTitle}`,
        href: `/staff/interviews/${r.id}/feedback`,
        detail: `Interview ended ${utc(endsAt)} · ${feedback === 'draft' ? 'draft saved, not submitted' : 'not started'}`,
      });
    }
  }
  return { upcoming, feedbackDue };
}
