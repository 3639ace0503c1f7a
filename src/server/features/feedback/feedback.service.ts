import { checkDraft, checkSubmission, evidenceFor, isVote, sameContent, type FeedbackContent, type SubmissionProblem } from '../../../domain/feedback.ts';
import { identityHidden, type Actor, type TeamRole, can } from '../../../domain/policy.ts';
import { redactResume } from '../../../domain/pipeline.ts';
import { debriefIsOpen, hasSubmittedOwn, mayRead, sealingView } from '../../../domain/sealing.ts';
import type { FeedbackFormView, LoopFeedbackView, SubmittedRevision } from '../../../web/staff/feedback.tsx';
import { evidenceName } from '../../../web/staff/feedback.tsx';
import type { KitView } from '../../../web/staff/kit.tsx';
import type { Db } from '../../db/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import {
  findFeedback,
  findInterviewDetail,
  findPrinciples,
  insertRevision,
  listAnswers,
  listLoopInterviews,
  listRevisions,
  lockFeedback,
  markSubmitted,
  writeWorkingCopy,
} from './feedback.repository.ts';
import { findDebriefLoop } from '../debrief/debrief.repository.ts';
import { questionsForPrinciples } from '../question-bank/question-bank.service.ts';

/** Feedback as the form sent it, before it is fitted to the interview's principles. */
export interface FeedbackInput {
  evidence: Array<Record<string, unknown>>;
  vote: unknown;
}

const answerText = (value: unknown): string =>
  Array.isArray(value) ? value.map(String).join(', ') : typeof value === 'boolean' ? (value ? 'Yes' : 'No') : value === null || value === undefined ? '' : String(value);

const webLink = (url: string) => /^https?:\/\//i.test(url.trim());

/** How staff see a candidate on loop pages: hidden while anonymized screening applies, as on the application page. */
export function candidateIdentity(applicationId: number, job: { anonymizedScreening: boolean }, stage: string, person: { name: string; anonymizedAt: Date | null }) {
  const hidden = identityHidden(job, stage) || person.anonymizedAt !== null;
  return { hidden, label: hidden || !person.name.trim() ? `Candidate #${applicationId}` : person.name };
}

async function principleNames(db: Db, slugs: readonly string[]) {
  const found = await findPrinciples(db, [...new Set(slugs)]);
  return new Map(found.map((p) => [p.slug, p]));
}

/** Whether an interview's feedback is submitted (a draft after a submit still counts: its last revision stands). */
export const isSubmitted = (i: { feedbackStatus: string | null; revision: number | null }) => i.feedbackStatus === 'submitted' && (i.revision ?? 0) > 0;

/** Whether `userId` is a member of the loop: one of its interviewers or its hiring manager. */
const memberOf = (userId: number, loop: { hiringManagerId: number | null }, interviews: ReadonlyArray<{ interviewerId: number }>) =>
  loop.hiringManagerId === userId || interviews.some((i) => i.interviewerId === userId);

/**
 * The kit of one interview: the candidate (resume text included, since a bar raiser cannot open
 * the application), the interview's time and place, its principles with the bank's questions,
 * and who else covers which principles. It never reads anyone's feedback but the viewer's own
 * status.
 */
export async function showKit({ db, interviewId, viewer, teamRole }: { db: Db; interviewId: number; viewer: Actor; teamRole: TeamRole | null }): Promise<KitView> {
  const d = await findInterviewDetail(db, interviewId);
  if (!d) throw new NotFoundError('There is no such interview.');
  const person = { ...d.person, links: d.person.links ?? [] };
  const who = candidateIdentity(d.application.id, d.job, d.application.stage, person);
  const [answers, interviews, questions] = await Promise.all([
    listAnswers(db, d.application.id),
    listLoopInterviews(db, d.loop.id),
    questionsForPrinciples({ db, slugs: d.principles }),
  ]);
  const others = interviews.filter((i) => i.id !== interviewId);
  const names = await principleNames(db, [...d.principles, ...others.flatMap((o) => o.principles)]);
  const isMine = d.interviewerId === viewer.id;
  const own = isMine ? await findFeedback(db, interviewId) : undefined;
  const loopMember = memberOf(viewer.id, d.loop, interviews);
  const resumeText =
    d.resumeText === null ? null : who.hidden ? redactResume(d.resumeText, { name: person.name, email: person.email, phone: person.phone, links: person.links.map((l) => l.url) }) : d.resumeText;
  return {
    interviewId,
    applicationId: d.application.id,
    role: d.role,
    cancelled: d.status === 'cancelled',
    when: {
      startsAt: d.status === 'scheduled' ? d.startsAt : null,
      durationMinutes: d.durationMinutes,
      timeZone: d.timeZone,
      room: d.room,
      videoUrl: d.videoUrl && webLink(d.videoUrl) ? d.videoUrl : null,
    },
    interviewerName: d.interviewerName,
    isMine,
    myFeedback: isMine ? { status: own ? (own.status === 'submitted' ? 'submitted' : 'draft') : 'not_started', revision: own?.revision ?? 0 } : null,
    mayReadFeedback: can(viewer, 'feedback.read', { teamRole, loopMember }),
    job: { title: d.job.title, teamName: d.job.teamName, level: d.job.level },
    candidate: {
      label: who.label,
      anonymized: who.hidden,
      location: who.hidden ? null : person.location,
      links: who.hidden ? [] : person.links.filter((l) => webLink(l.url)),
      answers: answers.map((a) => ({ label: a.label, value: answerText(a.value) })),
      resumeText,
    },
    principles: d.principles.map((slug) => ({
      slug,
      name: names.get(slug)?.name ?? slug,
      summary: names.get(slug)?.summary ?? '',
      questions: questions.get(slug) ?? [],
    })),
    // Who and what only: the feedback columns of the loop query are deliberately left behind.
    others: others.map((o) => ({ name: o.interviewerName, role: o.role, principles: o.principles.map((s) => names.get(s)?.name ?? s), cancelled: o.status === 'cancelled' })),
  };
}

/** A stored revision as it was submitted: its own principles, even if the interview's have changed since. Shared with the debrief. */
export const asRevision = (r: { revision: number; submittedAt: Date; vote: string | null; evidence: unknown }): SubmittedRevision => ({
  revision: r.revision,
  submittedAt: r.submittedAt,
  vote: isVote(r.vote) ? r.vote : null,
  evidence: evidenceFor(evidencePrinciples(r.evidence), r.evidence),
});

/** The principles a stored evidence list speaks of, in its order. */
function evidencePrinciples(evidence: unknown): string[] {
  return Array.isArray(evidence) ? evidence.flatMap((e) => (typeof e === 'object' && e !== null && typeof (e as { principle?: unknown }).principle === 'string' ? [(e as { principle: string }).principle] : [])) : [];
}

/** Fits what the form sent to the interview: its principles in order, known signals and votes only, line breaks as \n. */
function contentOf(assigned: readonly string[], input: FeedbackInput): FeedbackContent {
  const clean = input.evidence.map((e) =>
    Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'string' && k !== 'signal' && k !== 'principle' ? v.replace(/\r\n?/g, '\n') : v])),
  );
  return { evidence: evidenceFor(assigned, clean), vote: isVote(input.vote) ? input.vote : null };
}

/** The field a problem points at, by form field name. */
function fieldOf(problem: SubmissionProblem): string {
  switch (problem.kind) {
    case 'vote':
      return 'vote';
    case 'evidence':
      return evidenceName(problem.principle, 'evidence');
    case 'signal':
      return evidenceName(problem.principle, 'signal');
    case 'too_long':
      return evidenceName(problem.principle, problem.part);
  }
}

/** A refused submit or draft: the problems by field; the form shows them with what was typed. */
function refused(problems: SubmissionProblem[], message: string): ValidationError {
  return new ValidationError(message, problems.map((p) => ({ field: fieldOf(p), message: p.message })));
}

/** The interview as the feedback use cases need it, refusing when it can no longer take feedback. */
async function writableInterview(db: Db, interviewId: number) {
  const d = await findInterviewDetail(db, interviewId);
  if (!d) throw new NotFoundError('There is no such interview.');
  if (d.status === 'cancelled') throw new ConflictError('This interview was cancelled, so it takes no feedback.');
  if (d.loop.status === 'decided') throw new ConflictError('The loop is decided, so its feedback can no longer change.');
  return d;
}

/** The feedback form of the user's own interview, with what they wrote so far and every revision they submitted. */
export async function showFeedbackForm({ db, interviewId, typed }: { db: Db; interviewId: number; typed?: FeedbackInput }): Promise<FeedbackFormView> {
  const d = await findInterviewDetail(db, interviewId);
  if (!d) throw new NotFoundError('There is no such interview.');
  const person = { ...d.person, links: d.person.links ?? [] };
  const who = candidateIdentity(d.application.id, d.job, d.application.stage, person);
  const row = await findFeedback(db, interviewId);
  const revisions = row ? (await listRevisions(db, [row.id])).map(asRevision) : [];
  const names = await principleNames(db, [...d.principles, ...revisions.flatMap((r) => r.evidence.map((e) => e.principle))]);
  const working: FeedbackContent = { evidence: evidenceFor(d.principles, row?.evidence), vote: isVote(row?.vote) ? row.vote : null };
  const latest = revisions[0];
  return {
    interviewId,
    candidateLabel: who.label,
    jobTitle: d.job.title,
    role: d.role,
    when: { startsAt: d.status === 'scheduled' ? d.startsAt : null, durationMinutes: d.durationMinutes, timeZone: d.timeZone, room: d.room, videoUrl: d.videoUrl && webLink(d.videoUrl) ? d.videoUrl : null },
    cancelled: d.status === 'cancelled',
    closed: d.loop.status === 'decided',
    principles: d.principles.map((slug) => ({ slug, name: names.get(slug)?.name ?? slug, summary: names.get(slug)?.summary ?? '' })),
    principleNames: Object.fromEntries([...names].map(([slug, p]) => [slug, p.name])),
    content: typed ? contentOf(d.principles, typed) : working,
    status: row ? (row.status === 'submitted' ? 'submitted' : 'draft') : 'not_started',
    revision: row?.revision ?? 0,
    submittedAt: row?.submittedAt ?? null,
    savedAt: row?.updatedAt ?? null,
    unsubmittedChanges: latest ? !sameContent(working, latest) : false,
    revisions,
  };
}

/**
 * Saves the working copy as typed. A submitted revision is never touched: after a submit the
 * working copy may differ from it until the next submit. Not audited: autosave writes every
 * few seconds and changes no state anyone else sees (submits are audited).
 */
export async function saveDraft({ db, interviewId, by, input }: { db: Db; interviewId: number; by: Actor; input: FeedbackInput }): Promise<{ savedAt: Date }> {
  const d = await writableInterview(db, interviewId);
  const content = contentOf(d.principles, input);
  const names = Object.fromEntries([...(await principleNames(db, d.principles))].map(([slug, p]) => [slug, p.name]));
  const problems = checkDraft(content, names);
  if (problems.length) throw refused(problems, 'The draft was not saved.');
  return db.transaction(async (tx) => {
    const row = await lockFeedback(tx, interviewId, by.id);
    const savedAt = await writeWorkingCopy(tx, row.id, { evidence: content.evidence, vote: content.vote, authorId: by.id });
    return { savedAt };
  });
}

/**
 * Submits the feedback: the working copy is saved as typed, checked, and kept as a new
 * revision (1 for the first submit). Resubmitting what the latest revision already says adds
 * none. The audit event names the revision, never the content. Refused submits keep the text
 * as a draft and throw the problems by field.
 */
export async function submitFeedback({ db, interviewId, by, input }: { db: Db; interviewId: number; by: Actor; input: FeedbackInput }): Promise<{ revision: number; unchanged: boolean }> {
  const d = await writableInterview(db, interviewId);
  const content = contentOf(d.principles, input);
  const names = Object.fromEntries([...(await principleNames(db, d.principles))].map(([slug, p]) => [slug, p.name]));
  const draftProblems = checkDraft(content, names);
  if (draftProblems.length) throw refused(draftProblems, 'The feedback was not submitted.');
  const outcome = await db.transaction(async (tx) => {
    const row = await lockFeedback(tx, interviewId, by.id);
    await writeWorkingCopy(tx, row.id, { evidence: content.evidence, vote: content.vote, authorId: by.id });
    const problems = checkSubmission(content, names);
    // The draft is kept (committed) even when the submit is refused.
    if (problems.length) return { problems };
    if (row.status === 'submitted' && row.revision > 0) {
      const [latest] = await listRevisions(tx, [row.id]);
      if (latest && sameContent(content, asRevision(latest))) return { revision: row.revision, unchanged: true };
    }
    const revision = row.revision + 1;
    const submittedAt = await markSubmitted(tx, row.id, revision);
    await insertRevision(tx, { feedbackId: row.id, revision, evidence: content.evidence, vote: content.vote!, submittedAt });
    await recordStaffAudit(tx, {
      actorId: by.id,
      action: 'feedback.submitted',
      subjectType: 'interview',
      subjectId: interviewId,
      before: { revision: row.revision, status: row.status },
      after: { revision, status: 'submitted', applicationId: d.application.id },
    });
    return { revision, unchanged: false };
  });
  if ('problems' in outcome) throw refused(outcome.problems!, 'The feedback was not submitted. Your text is saved as a draft.');
  return outcome;
}

/**
 * A loop's feedback as `reader` may see it. The sealing rule (src/domain/sealing.ts) decides;
 * only feedback the reader may read is fetched at all.
 */
export async function readLoopFeedback({
  db,
  applicationId,
  reader,
}: {
  db: Db;
  applicationId: number;
  reader: Actor & { teamRole: TeamRole | null; loopMember: boolean };
}): Promise<LoopFeedbackView> {
  const d = await findDebriefLoop(db, applicationId);
  if (!d) throw new NotFoundError('This application has no interview loop yet.');
  const interviews = await listLoopInterviews(db, d.loop.id);
  const debriefOpen = debriefIsOpen({ status: d.loop.status, debriefOpenedAt: d.debrief?.openedAt ?? null });
  const submittedOwn = hasSubmittedOwn(
    reader.id,
    interviews.map((i) => ({ interviewerId: i.interviewerId, status: i.status, submitted: isSubmitted(i) })),
  );
  const view = sealingView({ role: reader.role, teamRole: reader.teamRole, loopMember: reader.loopMember, submittedOwn, debriefOpen });
  if (view === 'none') throw new AppError(403, 'forbidden', 'Only the loop’s members and the job’s hiring manager and recruiters may see its feedback.');
  // Only the submitted feedback this reader may read is ever loaded; drafts never are.
  const readable = interviews.filter((i) => i.feedbackId !== null && isSubmitted(i) && mayRead(view, reader.id, { authorId: i.interviewerId, submitted: true }));
  const revisions = await listRevisions(
    db,
    readable.map((i) => i.feedbackId!),
  );
  const names = await principleNames(db, [...interviews.flatMap((i) => i.principles), ...revisions.flatMap((r) => evidencePrinciples(r.evidence))]);
  const who = candidateIdentity(applicationId, d.job, d.application.stage, d.person);
  return {
    applicationId,
    candidateLabel: who.label,
    jobTitle: d.job.title,
    view,
    debriefOpen,
    readerIsMember: reader.loopMember,
    principleNames: Object.fromEntries([...names].map(([slug, p]) => [slug, p.name])),
    members: interviews.map((i) => {
      const mine = readable.includes(i) ? revisions.filter((r) => r.feedbackId === i.feedbackId).map(asRevision) : [];
      const [latest, ...earlier] = mine;
      return {
        interviewId: i.id,
        interviewerId: i.interviewerId,
        name: i.interviewerName,
        role: i.role,
        cancelled: i.status === 'cancelled',
        submitted: isSubmitted(i),
        own: i.interviewerId === reader.id,
        feedback: latest ? { latest, earlier } : null,
      };
    }),
  };
}

