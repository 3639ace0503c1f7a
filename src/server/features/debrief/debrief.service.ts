import { randomUUID } from 'node:crypto';
import {
  checkDecision,
  checkFinalVote,
  decisionInputProblems,
  DECISION_LABELS,
  DECISIONS,
  mayOpenDebrief,
  secondsToDecision,
  stageAfterDecision,
  type Decision,
  type DecisionInput,
  type Refusal,
} from '../../../domain/debrief.ts';
import { isVote, type Vote } from '../../../domain/feedback.ts';
import { isClosed, stagesOf } from '../../../domain/pipeline.ts';
import type { Actor, TeamRole } from '../../../domain/policy.ts';
import { debriefIsOpen, hasSubmittedOwn, sealingView } from '../../../domain/sealing.ts';
import { DEBRIEF_FIELDS, type DebriefFeedback, type DebriefMember, type DebriefView } from '../../../web/staff/debrief.tsx';
import type { Db } from '../../db/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Mail } from '../mail/mail.types.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import { listLoopInterviews, type LoopInterview } from '../feedback/feedback.repository.ts';
import { asRevision, candidateIdentity, isSubmitted } from '../feedback/feedback.service.ts';
import { debriefReadyMail, decisionMadeMail } from './debrief.emails.ts';
import {
  findDebriefLoop,
  findJob,
  findJobHiringManager,
  findLoopById,
  findPrincipleNames,
  findRecycledInto,
  findStaffNames,
  hasActiveApplication,
  insertApplication,
  insertApplicationEvent,
  insertDebrief,
  insertRecycledLoop,
  listLatestRevisions,
  listOpenJobs,
  listRecipients,
  listVotes,
  moveApplication,
  recordDecision,
  setLoopStatus,
  upsertVote,
  type DebriefLoop,
} from './debrief.repository.ts';

/** Who reads the debrief: the policy's facts about them. */
export type DebriefReader = Actor & { teamRole: TeamRole | null; loopMember: boolean };

/** What the emails need to build links and sign off. */
export interface MailContext {
  mail: Mail;
  publicUrl: string;
  organization: string;
}

/** The reason a no hire's application is rejected with (staff only; the memo stays in the debrief). */
export const NO_HIRE_REASON = 'No hire after the debrief';
/** The stage the debrief stands for on the board; an application earlier in its template moves there when the debrief opens. */
const DEBRIEF_STAGE = 'debrief';

const live = (interviews: LoopInterview[]) => interviews.filter((i) => i.status !== 'cancelled');

/** The loop's members: interviewers of interviews that are not cancelled, in loop order, then its hiring manager. */
function membersOf(loop: DebriefLoop['loop'], interviews: LoopInterview[]): number[] {
  const ids = [...new Set(live(interviews).map((i) => i.interviewerId))];
  if (loop.hiringManagerId !== null && !ids.includes(loop.hiringManagerId)) ids.push(loop.hiringManagerId);
  return ids;
}

/** Whether the user holds the loop's bar raiser interview (one that is not cancelled). */
const holdsBarRaiser = (userId: number, interviews: LoopInterview[]) => live(interviews).some((i) => i.role === 'bar_raiser' && i.interviewerId === userId);

const candidateLabel = (d: DebriefLoop) => candidateIdentity(d.application.id, d.job, d.application.stage, d.person).label;

/** The latest submitted revision of each submitted interview of a loop, for a reader; drafts are never loaded. */
async function submittedFeedback(db: Db, interviews: LoopInterview[], readerId: number): Promise<DebriefFeedback[]> {
  const done = live(interviews).filter((i) => isSubmitted(i) && i.feedbackId !== null);
  const revisions = await listLatestRevisions(
    db,
    done.map((i) => i.feedbackId!),
  );
  return done.flatMap((i) => {
    const r = revisions.find((x) => x.feedbackId === i.feedbackId);
    if (!r) return [];
    return [
      {
        interviewId: i.id,
        interviewerId: i.interviewerId,
        name: i.interviewerName,
        role: i.role,
        own: i.interviewerId === readerId,
        ...asRevision(r),
      },
    ];
  });
}

/** The grid's rows: every principle any feedback speaks of, in the content pack's order (unknown slugs last, by name). */
async function gridPrinciples(db: Db, feedback: DebriefFeedback[]) {
  const slugs = [...new Set(feedback.flatMap((f) => f.evidence.map((e) => e.principle)))];
  const known = await findPrincipleNames(db, slugs);
  const names = new Map(known.map((p) => [p.slug, p.name]));
  return [...known.map((p) => ({ slug: p.slug, name: p.name })), ...slugs.filter((s) => !names.has(s)).map((slug) => ({ slug, name: slug }))];
}

/** The vote of a member's most recently submitted feedback in the loop, or null. */
function firstVoteOf(memberId: number, feedback: DebriefFeedback[]): Vote | null {
  const mine = feedback.filter((f) => f.interviewerId === memberId).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  return mine[0]?.vote ?? null;
}

/** The end of every interview of the loop that took place (scheduled, not cancelled). */
const interviewEnds = (interviews: LoopInterview[]) =>
  live(interviews).flatMap((i) => (i.status === 'scheduled' && i.startsAt && i.durationMinutes ? [new Date(i.startsAt.getTime() + i.durationMinutes * 60_000)] : []));

async function loopOr404(db: Db, applicationId: number, lock = false): Promise<DebriefLoop> {
  const found = await findDebriefLoop(db, applicationId, { lock });
  if (!found) throw new NotFoundError('This application has no interview loop yet, so it has no debrief.');
  return found;
}

/**
 * The debrief page as `reader` may see it. Before the debrief opens it holds who has submitted
 * and nothing of what: no evidence, signal or vote is even loaded. Once open, every submitted
 * feedback (its latest revision), the grid, and the votes. A recycled loop adds the earlier
 * loop's feedback under this loop's sealing rule.
 */
export async function showDebrief({ db, applicationId, reader }: { db: Db; applicationId: number; reader: DebriefReader }): Promise<DebriefView> {
  const d = await loopOr404(db, applicationId);
  const interviews = await listLoopInterviews(db, d.loop.id);
  const open = debriefIsOpen({ status: d.loop.status, debriefOpenedAt: d.debrief?.openedAt ?? null });
  const memberIds = membersOf(d.loop, interviews);
  const isMember = memberIds.includes(reader.id);
  const isBarRaiser = holdsBarRaiser(reader.id, interviews);
  const counts = { interviews: live(interviews).length, submitted: live(interviews).filter(isSubmitted).length };
  const decided = d.debrief?.decision ?? null;

  const feedback = open ? await submittedFeedback(db, interviews, reader.id) : [];
  const principles = open ? await gridPrinciples(db, feedback) : [];
  const votes = open ? await listVotes(db, d.loop.id) : [];
  const names = await findStaffNames(db, [...memberIds, d.debrief?.openedBy, d.debrief?.decidedBy].filter((id): id is number => typeof id === 'number'));

  const members: DebriefMember[] = open
    ? memberIds.map((id) => {
        const roles = [...new Set(live(interviews).filter((i) => i.interviewerId === id).map((i) => i.role))];
        const vote = votes.find((x) => x.memberId === id);
        return {
          id,
          name: names.get(id) ?? `Staff member #${id}`,
          roles: roles.length ? roles : ['hiring_manager_only'],
          own: id === reader.id,
          firstVote: firstVoteOf(id, feedback),
          finalVote: vote && isVote(vote.finalVote) ? vote.finalVote : null,
          reason: vote?.reason ?? null,
        };
      })
    : [];

  let decision: DebriefView['decision'] = null;
  if (d.debrief?.decision && d.debrief.decidedAt) {
    const job = d.debrief.recycleJobId ? await findJob(db, d.debrief.recycleJobId) : undefined;
    const into = d.debrief.decision === 'recycle' ? await findRecycledInto(db, d.loop.id) : undefined;
    decision = {
      decision: d.debrief.decision as Decision,
      level: d.debrief.decisionLevel,
      recycleJob: job ? { id: job.id, title: job.title } : null,
      recycledApplicationId: into?.applicationId ?? null,
      note: d.debrief.recycleNote,
      memo: d.debrief.memo ?? '',
      at: d.debrief.decidedAt,
      byName: d.debrief.decidedBy ? (names.get(d.debrief.decidedBy) ?? null) : null,
      secondsToDecision: d.debrief.secondsToDecision,
    };
  }

  const hasDebriefRow = d.debrief !== null;
  return {
    applicationId,
    candidateLabel: candidateLabel(d),
    jobTitle: d.job.title,
    jobLevel: d.job.level,
    open,
    opened: d.debrief ? { at: d.debrief.openedAt, byName: d.debrief.openedBy ? (names.get(d.debrief.openedBy) ?? null) : null, earlyReason: d.debrief.earlyReason } : null,
    counts,
    interviews: interviews.map((i) => ({ interviewId: i.id, name: i.interviewerName, role: i.role, cancelled: i.status === 'cancelled', submitted: isSubmitted(i), own: i.interviewerId === reader.id })),
    reader: {
      isMember,
      isBarRaiser,
      mayOpen: !open && isMember && counts.interviews > 0 && counts.submitted >= counts.interviews,
      mayOpenEarly: !open && isBarRaiser && counts.submitted < counts.interviews,
      mayVote: hasDebriefRow && isMember && decided === null,
      mayDecide: hasDebriefRow && isBarRaiser && decided === null,
    },
    principles,
    feedback,
    members,
    decision,
    openJobs: hasDebriefRow && isBarRaiser && decided === null ? await listOpenJobs(db, d.job.id) : [],
    earlier: await earlierLoop(db, d, interviews, reader, open),
  };
}

/**
 * The feedback of the loop a recycled loop came from, under this loop's sealing rule: a member
 * who has submitted their own feedback here, or anyone allowed once this debrief opens.
 */
async function earlierLoop(db: Db, d: DebriefLoop, interviews: LoopInterview[], reader: DebriefReader, open: boolean): Promise<DebriefView['earlier']> {
  if (d.loop.recycledFromLoopId === null) return null;
  const from = await findLoopById(db, d.loop.recycledFromLoopId);
  if (!from) return null;
  const submittedOwn = hasSubmittedOwn(
    reader.id,
    interviews.map((i) => ({ interviewerId: i.interviewerId, status: i.status, submitted: isSubmitted(i) })),
  );
  const view = sealingView({ role: reader.role, teamRole: reader.teamRole, loopMember: reader.loopMember, submittedOwn, debriefOpen: open });
  const base = { applicationId: from.applicationId, jobTitle: from.jobTitle, decision: (from.decision as Decision | null) ?? null };
  if (view !== 'full') return { ...base, shown: false, principles: [], feedback: [] };
  // Nobody in the new loop wrote the earlier feedback, so none of it is marked as the reader's own.
  const feedback = await submittedFeedback(db, await listLoopInterviews(db, from.id), -1);
  return { ...base, shown: true, principles: await gridPrinciples(db, feedback), feedback };
}

/**
 * A domain refusal as an HTTP error: 400 for missing input, else 409 with the rule's words. A
 * member the policy let through but the debrief rule does not (a member who is not the bar
 * raiser deciding) gets 409 too: 403 is the policy's answer alone, so the authorization matrix
 * can hold every 403 to the policy table, and the page shows the rule again instead.
 */
function refusalError(refusal: Refusal): AppError {
  switch (refusal.code) {
    case 'reason_required':
      return new ValidationError(refusal.message, [{ field: '', message: refusal.message }]);
    default:
      return new AppError(409, refusal.code, refusal.message);
  }
}

/**
 * Opens the debrief: when every feedback is in (anyone in the loop), or earlier with a reason
 * (the bar raiser only). One transaction: the debriefs row, the loop's status, the application
 * into the debrief stage when its template has one further on, and the audit event. Then every
 * member and the job's recruiters are emailed a link, with nothing of the feedback.
 */
export async function openDebrief({
  db,
  applicationId,
  by,
  earlyReason,
  mail,
}: {
  db: Db;
  applicationId: number;
  by: Actor;
  earlyReason?: string | undefined;
  mail: MailContext;
}): Promise<void> {
  const reason = earlyReason?.trim() ? earlyReason.trim() : null;
  const outcome = await db.transaction(async (tx) => {
    const d = await loopOr404(tx, applicationId, true);
    const interviews = await listLoopInterviews(tx, d.loop.id);
    const members = membersOf(d.loop, interviews);
    if (!members.includes(by.id)) throw new AppError(409, 'not_a_member', 'Only the members of the loop open its debrief.');
    const counts = { interviews: live(interviews).length, submitted: live(interviews).filter(isSubmitted).length };
    const alreadyOpen = d.debrief !== null || d.loop.status === 'debrief' || d.loop.status === 'decided';
    const check = mayOpenDebrief({ ...counts, byBarRaiser: holdsBarRaiser(by.id, interviews), earlyReason: reason ?? undefined, alreadyOpen });
    if (!check.ok) {
      if (check.code === 'reason_required') throw new ValidationError(check.message, [{ field: DEBRIEF_FIELDS.earlyReason, message: check.message }]);
      throw refusalError(check);
    }
    const early = counts.submitted < counts.interviews;
    if (!(await insertDebrief(tx, { loopId: d.loop.id, openedBy: by.id, earlyReason: early ? reason : null }))) throw new ConflictError('The debrief is already open.');
    await setLoopStatus(tx, d.loop.id, 'debrief');
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'debrief.opened',
      subjectType: 'loop',
      subjectId: d.loop.id,
      before: { status: d.loop.status },
      after: { status: 'debrief', applicationId, early, earlyReason: early ? reason : null, submitted: counts.submitted, interviews: counts.interviews },
    });
    await enterDebriefStage(tx, d, by.id);
    return { d, members };
  });
  const recipients = await listRecipients(db, { userIds: outcome.members, jobId: outcome.d.job.id });
  const url = `${mail.publicUrl}/staff/applications/${applicationId}/debrief`;
  for (const r of recipients) {
    await mail.mail.send(debriefReadyMail({ to: r.email, name: r.name, candidate: candidateLabel(outcome.d), jobTitle: outcome.d.job.title, url, organization: mail.organization }));
  }
}

/** Moves the application into the debrief stage when its job's template has one later than where it stands. */
async function enterDebriefStage(tx: Db, d: DebriefLoop, actorId: number): Promise<void> {
  const stages = stagesOf(d.job.stages);
  const at = stages.indexOf(d.application.stage);
  const target = stages.indexOf(DEBRIEF_STAGE);
  if (isClosed(d.application.stage) || target === -1 || at === -1 || at >= target) return;
  await moveApplication(tx, { applicationId: d.application.id, from: d.application.stage, to: DEBRIEF_STAGE, actorId, reason: null, detail: 'The debrief opened.' });
  await recordStaffAudit(tx, {
    actorId,
    action: 'application.moved',
    subjectType: 'application',
    subjectId: d.application.id,
    before: { stage: d.application.stage },
    after: { stage: DEBRIEF_STAGE },
  });
}

/**
 * Records a member's final vote (again, until the decision). A vote that differs from the one in
 * their submitted feedback needs a reason. The audit event says the vote and whether it changed.
 */
export async function recordFinalVote({
  db,
  applicationId,
  by,
  vote,
  reason,
}: {
  db: Db;
  applicationId: number;
  by: Actor;
  vote: string | undefined;
  reason?: string | undefined;
}): Promise<void> {
  if (!isVote(vote)) throw new ValidationError('Choose your final vote', [{ field: DEBRIEF_FIELDS.vote, message: 'Choose your final vote' }]);
  const why = reason?.trim() ? reason.trim() : null;
  await db.transaction(async (tx) => {
    const d = await loopOr404(tx, applicationId, true);
    const interviews = await listLoopInterviews(tx, d.loop.id);
    const isMember = membersOf(d.loop, interviews).includes(by.id);
    const feedback = isMember ? await submittedFeedback(tx, interviews.filter((i) => i.interviewerId === by.id), by.id) : [];
    const firstVote = firstVoteOf(by.id, feedback);
    const check = checkFinalVote({ isMember, debriefOpen: d.debrief !== null, decided: d.debrief?.decision != null, firstVote, finalVote: vote, reason: why ?? undefined });
    if (!check.ok) {
      if (check.code === 'reason_required') throw new ValidationError(check.message, [{ field: DEBRIEF_FIELDS.reason, message: check.message }]);
      throw refusalError(check);
    }
    const before = (await listVotes(tx, d.loop.id)).find((x) => x.memberId === by.id);
    const changed = firstVote !== null && firstVote !== vote;
    // A reason is kept only for a vote that changed: an unchanged vote has nothing to explain.
    await upsertVote(tx, { loopId: d.loop.id, memberId: by.id, firstVote, finalVote: vote, reason: changed ? why : null });
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'debrief.voted',
      subjectType: 'loop',
      subjectId: d.loop.id,
      before: { finalVote: before?.finalVote ?? null },
      after: { applicationId, firstVote, finalVote: vote, changed },
    });
  });
}

/** The decision form's input, as the route read it. */
export interface DecisionRequest {
  decision: string | undefined;
  level?: number | undefined;
  recycleJobId?: number | undefined;
  note?: string | undefined;
  memo: string;
}

/** checkDecision's refusals that are about the form's input, not about who asks or when. */
const INPUT_REFUSALS = new Set<string>(['memo_required', 'level_required', 'job_required', 'note_required']);

const DECISION_FIELD: Record<'memo' | 'level' | 'recycleJobId' | 'note', string> = {
  memo: DEBRIEF_FIELDS.memo,
  level: DEBRIEF_FIELDS.level,
  recycleJobId: DEBRIEF_FIELDS.recycleJob,
  note: DEBRIEF_FIELDS.note,
};

/**
 * The bar raiser's decision, once, in one transaction: the debrief's decision, memo and time to
 * decide; the loop decided; then the application: a hire to the offer stage, a no hire rejected
 * with the reason, a recycle rejected here and a new application (stage applied) for the chosen
 * job with a new loop linked to this one. Timeline and audit events for each step. A second
 * decision is refused (409), and so is every decision after a no hire, whoever asks. After the
 * commit the loop's members and the job's recruiters are told the decision (nothing else).
 */
export async function decideDebrief({
  db,
  applicationId,
  by,
  request,
  mail,
  now = new Date(),
}: {
  db: Db;
  applicationId: number;
  by: Actor;
  request: DecisionRequest;
  mail: MailContext;
  now?: Date;
}): Promise<{ decision: Decision; recycledApplicationId: number | null }> {
  const outcome = await db.transaction(async (tx) => {
    const d = await loopOr404(tx, applicationId, true);
    const interviews = await listLoopInterviews(tx, d.loop.id);
    const byBarRaiser = holdsBarRaiser(by.id, interviews);
    const existing = (d.debrief?.decision as Decision | null | undefined) ?? null;
    const chosen = (DECISIONS as readonly string[]).includes(request.decision ?? '') ? (request.decision as Decision) : null;
    const input: DecisionInput = {
      decision: chosen ?? 'no_hire',
      ...(request.level !== undefined ? { level: request.level } : {}),
      ...(request.recycleJobId !== undefined ? { recycleJobId: request.recycleJobId } : {}),
      ...(request.note !== undefined ? { note: request.note } : {}),
      memo: request.memo,
    };
    // Who may decide, and whether anything may still be decided, come before what the form lacks;
    // what it lacks is then listed all at once.
    const check = checkDecision({ byBarRaiser, debriefOpen: d.debrief !== null, existing, input });
    if (!check.ok && !INPUT_REFUSALS.has(check.code)) throw refusalError(check);
    const problems = [
      ...(chosen === null ? [{ field: DEBRIEF_FIELDS.decision, message: 'Choose the decision: hire, no hire or recycle' }] : []),
      ...decisionInputProblems(input).map((p) => ({ field: DECISION_FIELD[p.field], message: p.message })),
    ];
    const recycleJob = chosen === 'recycle' && input.recycleJobId !== undefined ? await findJob(tx, input.recycleJobId) : undefined;
    if (chosen === 'recycle' && input.recycleJobId !== undefined && (!recycleJob || recycleJob.status !== 'open' || recycleJob.id === d.job.id)) {
      problems.push({ field: DEBRIEF_FIELDS.recycleJob, message: 'Choose an open job other than this one' });
    }
    if (problems.length || !check.ok) throw new ValidationError('The decision was not recorded.', problems);
    const decision = chosen!;
    if (isClosed(d.application.stage)) {
      throw new ConflictError(`The application is already ${d.application.stage}, so the decision cannot move it. Nothing was recorded.`);
    }

    const seconds = secondsToDecision(interviewEnds(interviews), now);
    const written = await recordDecision(tx, {
      loopId: d.loop.id,
      decision,
      decisionLevel: decision === 'hire' ? input.level! : null,
      recycleJobId: decision === 'recycle' ? recycleJob!.id : null,
      recycleNote: decision === 'recycle' ? input.note!.trim() : null,
      memo: input.memo.trim(),
      decidedAt: now,
      decidedBy: by.id,
      secondsToDecision: seconds,
    });
    if (!written) throw new ConflictError('The decision is already recorded and is final.');
    await setLoopStatus(tx, d.loop.id, 'decided');
    const words = decision === 'hire' ? `Hire at level ${input.level}` : decision === 'recycle' ? `Recycle to ${recycleJob!.title}` : 'No hire';
    await insertApplicationEvent(tx, {
      applicationId,
      kind: 'decided',
      fromStage: null,
      toStage: null,
      actorId: by.id,
      detail: `Debrief decision: ${words}`,
    });

    const from = d.application.stage;
    let recycledApplicationId: number | null = null;
    const target = stageAfterDecision(decision);
    if (target === 'offer') {
      await moveApplication(tx, { applicationId, from, to: 'offer', actorId: by.id, reason: null, detail: 'Hire decided in the debrief.' });
      await recordStaffAudit(tx, { actorId: by.id, action: 'application.moved', subjectType: 'application', subjectId: applicationId, before: { stage: from }, after: { stage: 'offer' } });
    } else {
      const reason = target === 'rejected' ? NO_HIRE_REASON : `Recycled to ${recycleJob!.title}`;
      if (target === 'recycled' && (await hasActiveApplication(tx, { personId: d.application.personId, jobId: recycleJob!.id }))) {
        throw new ConflictError(`The candidate already has an active application for ${recycleJob!.title}. Nothing was recorded.`);
      }
      await moveApplication(tx, { applicationId, from, to: 'rejected', actorId: by.id, reason, detail: null });
      await recordStaffAudit(tx, {
        actorId: by.id,
        action: 'application.rejected',
        subjectType: 'application',
        subjectId: applicationId,
        before: { stage: from },
        after: { stage: 'rejected', reason },
      });
      if (target === 'recycled') recycledApplicationId = await recycle(tx, { d, job: recycleJob!, by });
    }

    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'debrief.decided',
      subjectType: 'loop',
      subjectId: d.loop.id,
      before: { decision: null, loopStatus: d.loop.status, stage: from },
      after: {
        applicationId,
        decision,
        level: decision === 'hire' ? input.level : null,
        recycleJobId: recycleJob?.id ?? null,
        recycledApplicationId,
        loopStatus: 'decided',
        stage: target === 'offer' ? 'offer' : 'rejected',
        secondsToDecision: seconds,
      },
    });
    return { d, members: membersOf(d.loop, interviews), decision, level: input.level ?? null, recycleJob, recycledApplicationId };
  });

  const recipients = await listRecipients(db, { userIds: outcome.members, jobId: outcome.d.job.id });
  const url = `${mail.publicUrl}/staff/applications/${applicationId}/debrief`;
  const words =
    outcome.decision === 'hire'
      ? `${DECISION_LABELS.hire} at level ${outcome.level}`
      : outcome.decision === 'no_hire'
        ? DECISION_LABELS.no_hire
        : `Recycle: the candidate is considered for ${outcome.recycleJob!.title}`;
  for (const r of recipients) {
    await mail.mail.send(decisionMadeMail({ to: r.email, name: r.name, candidate: candidateLabel(outcome.d), jobTitle: outcome.d.job.title, decision: words, url, organization: mail.organization }));
  }
  return { decision: outcome.decision, recycledApplicationId: outcome.recycledApplicationId };
}

/**
 * The new application of a recycled candidate: the same person, resume, consents and
 * confirmation, and the original's source (the channel the person came through stays
 * credited); a new idempotency key; stage applied; and a planning loop linked to this one.
 */
async function recycle(tx: Db, { d, job, by }: { d: DebriefLoop; job: { id: number; title: string }; by: Actor }): Promise<number> {
  let id: number;
  try {
    id = await insertApplication(tx, {
      personId: d.application.personId,
      jobId: job.id,
      resumeId: d.application.resumeId,
      source: d.application.source,
      stage: 'applied',
      idempotencyKey: `recycled-${randomUUID()}`,
      consentProcessing: d.application.consentProcessing,
      consentTalentPool: d.application.consentTalentPool,
      confirmedAt: d.application.confirmedAt,
    });
  } catch (error) {
    // The one-active-application index: the candidate applied to that job meanwhile.
    if (uniqueViolation(error)) throw new ConflictError(`The candidate already has an active application for ${job.title}. Nothing was recorded.`);
    throw error;
  }
  await insertApplicationEvent(tx, {
    applicationId: id,
    kind: 'applied',
    fromStage: null,
    toStage: 'applied',
    actorId: by.id,
    detail: `Recycled from application #${d.application.id} (${d.job.title}) after its debrief.`,
  });
  const loopId = await insertRecycledLoop(tx, { applicationId: id, hiringManagerId: await findJobHiringManager(tx, job.id), recycledFromLoopId: d.loop.id });
  await recordStaffAudit(tx, {
    actorId: by.id,
    action: 'application.recycled',
    subjectType: 'application',
    subjectId: d.application.id,
    before: { jobId: d.job.id, loopId: d.loop.id },
    after: { applicationId: id, jobId: job.id, loopId, stage: 'applied' },
  });
  return id;
}

function uniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
