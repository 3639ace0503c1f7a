import { JOB_ACTIONS, JOB_STATUS_LABELS, transition, type JobAction } from '../../../domain/job-lifecycle.ts';
import { isEditable } from '../../../domain/job-lifecycle.ts';
import { can, mayJoinTeamAs, seesAllJobs, TEAM_ROLE_LABELS, type Actor, type JobScopedAction, type StaffRole, type TeamRole } from '../../../domain/policy.ts';
import type { FormError } from '../../../shared/contracts/account.ts';
import type { JobStatus, PublicJob, QuestionKind } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { renderMarkdown } from '../../markdown.ts';
import { adjustTitleWords, insertJobsInBulk, replaceJobPrinciples, updateJobInPlace } from '../jobs/jobs.bulk.ts';
import { findJobsByIds, findTeamsAndPrinciplesBySlug, type JobRow } from '../jobs/jobs.repository.ts';
import { resolveJob } from '../jobs/jobs.service.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import { approvalWaitingMail } from './staff-jobs.emails.ts';
import { closingDateText, sortErrors, type JobFormData } from './staff-jobs.form.ts';
import {
  countApplications,
  findCategories,
  findEnabledStaff,
  findHiringTeam,
  findJobEvents,
  findJobState,
  findLastSubmitter,
  findQuestionsWithAnswers,
  insertJobEvent,
  insertNotifications,
  listStaffJobs,
  lockJobState,
  replaceHiringTeam,
  saveQuestions,
  setJobStatus,
  touchJob,
  type JobEventRow,
  type StaffJobListRow,
  type TeamMember,
} from './staff-jobs.repository.ts';

/** Jobs per page of the staff list. */
export const STAFF_JOBS_PAGE_SIZE = 50;

/** The jobs a member of staff may see, filtered and one page at a time. */
export async function listJobsForStaff({
  db,
  actor,
  status,
  q,
  page,
}: {
  db: Db;
  actor: Actor;
  status: JobStatus | undefined;
  q: string;
  page: number;
}): Promise<{ rows: StaffJobListRow[]; total: number; page: number; pageCount: number }> {
  const words = q.split(/\s+/).filter(Boolean).slice(0, 8);
  const { rows, total } = await listStaffJobs(db, {
    memberId: seesAllJobs(actor) ? undefined : actor.id,
    status,
    words,
    limit: STAFF_JOBS_PAGE_SIZE,
    offset: (page - 1) * STAFF_JOBS_PAGE_SIZE,
  });
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / STAFF_JOBS_PAGE_SIZE)) };
}

/** What the job form offers to choose from. */
export interface JobFormOptions {
  teams: Array<{ slug: string; name: string }>;
  principles: Array<{ slug: string; name: string; summary: string }>;
  categories: string[];
  /** Who may be hiring manager, recruiter or interviewer. */
  staff: { hiringManagers: StaffOption[]; recruiters: StaffOption[]; interviewers: StaffOption[] };
}
export interface StaffOption {
  id: number;
  name: string;
  role: StaffRole;
}

/** The choices of the job form: the content's teams and principles, known categories, and the staff each place may go to. */
export async function jobFormOptions({
  db,
  content,
}: {
  db: Db;
  content: { teams: Array<{ slug: string; name: string }>; principles: Array<{ slug: string; name: string; summary: string }> } | undefined;
}): Promise<JobFormOptions> {
  const [categories, staff] = await Promise.all([findCategories(db), findEnabledStaff(db)]);
  const fit = (teamRole: TeamRole) => staff.filter((s) => mayJoinTeamAs(s.role, teamRole)).map(({ id, name, role }) => ({ id, name, role }));
  return {
    teams: (content?.teams ?? []).map(({ slug, name }) => ({ slug, name })),
    principles: (content?.principles ?? []).map(({ slug, name, summary }) => ({ slug, name, summary })),
    categories,
    staff: { hiringManagers: fit('hiring_manager'), recruiters: fit('recruiter'), interviewers: fit('interviewer') },
  };
}

/** Everything the staff page of a job shows. */
export interface StaffJobDetail {
  job: Omit<PublicJob, 'postedAt'> & { postedAt: Date | null; anonymizedScreening: boolean; createdAt: Date };
  descriptionHtml: string;
  team: TeamMember[];
  events: JobEventRow[];
  questions: Awaited<ReturnType<typeof findQuestionsWithAnswers>>;
  applications: number;
}

export async function findStaffJob({ db, id }: { db: Db; id: number }): Promise<StaffJobDetail> {
  const state = await findJobState(db, id);
  const job = (await findJobsByIds(db, [id], { publicOnly: false }))[0];
  if (!state || !job) throw new NotFoundError('There is no such job.');
  const [team, events, questions, applications] = await Promise.all([
    findHiringTeam(db, id),
    findJobEvents(db, id),
    findQuestionsWithAnswers(db, id),
    countApplications(db, id),
  ]);
  return {
    // findJobsByIds dates an unposted job by its last change, for public shapes; staff see the truth.
    job: { ...job, postedAt: state.postedAt, anonymizedScreening: state.anonymizedScreening, createdAt: state.createdAt },
    descriptionHtml: renderMarkdown(job.descriptionMd),
    team,
    events,
    questions,
    applications,
  };
}

/** A job as the audit log and the "what changed" comparison see it. */
interface JobSnapshot {
  title: string;
  team: string;
  category: string;
  level: number;
  employmentType: string;
  workplaceType: string;
  locations: Array<{ city: string; region: string | null; country: string; latitude: number | null; longitude: number | null }>;
  applicantCountries: string[];
  description: string;
  basicQualifications: string[];
  preferredQualifications: string[];
  pay: { currency: string; min: number; max: number; unit: string } | null;
  headcount: number;
  closesAt: string | null;
  anonymizedScreening: boolean;
  principles: string[];
  questions: Array<{ id: number | null; label: string; kind: string; required: boolean; options: string[] }>;
  hiringTeam: Array<{ userId: number; teamRole: TeamRole }>;
}

/** Snapshot keys that live in the jobs row itself (and its search document). */
const ROW_KEYS = [
  'title', 'team', 'category', 'level', 'employmentType', 'workplaceType', 'locations', 'applicantCountries', 'description',
  'basicQualifications', 'preferredQualifications', 'pay', 'headcount', 'closesAt', 'anonymizedScreening',
] as const satisfies ReadonlyArray<keyof JobSnapshot>;

/** How the history names each part of a job that an edit changed. */
const CHANGE_LABELS: Record<keyof JobSnapshot, string> = {
  title: 'title',
  team: 'team',
  category: 'category',
  level: 'level',
  employmentType: 'employment type',
  workplaceType: 'workplace',
  locations: 'locations',
  applicantCountries: 'applicant countries',
  description: 'description',
  basicQualifications: 'basic qualifications',
  preferredQualifications: 'preferred qualifications',
  pay: 'pay range',
  headcount: 'headcount',
  closesAt: 'closing date',
  anonymizedScreening: 'anonymized screening',
  principles: 'principles',
  questions: 'screening questions',
  hiringTeam: 'hiring team',
};

const place = (l: JobSnapshot['locations'][number]) => ({
  city: l.city,
  region: l.region ?? null,
  country: l.country,
  latitude: l.latitude ?? null,
  longitude: l.longitude ?? null,
});
const byMember = (a: { userId: number }, b: { userId: number }) => a.userId - b.userId;

function snapshotOfForm(form: JobFormData, members: Array<{ userId: number; teamRole: TeamRole }>): JobSnapshot {
  const i = form.input;
  return {
    title: i.title,
    team: i.team,
    category: i.category,
    level: i.level,
    employmentType: i.employmentType,
    workplaceType: i.workplaceType,
    locations: i.locations.map(place),
    applicantCountries: i.applicantCountries,
    description: i.description,
    basicQualifications: i.basicQualifications,
    preferredQualifications: i.preferredQualifications,
    pay: i.pay ? { currency: i.pay.currency, min: i.pay.min, max: i.pay.max, unit: i.pay.unit } : null,
    headcount: i.headcount,
    closesAt: i.closesAt?.toISOString() ?? null,
    anonymizedScreening: form.anonymizedScreening,
    principles: [...new Set(i.principles)],
    questions: i.questions.map((q, n) => ({ id: form.questionIds[n] ?? null, label: q.label, kind: q.kind, required: q.required, options: q.options })),
    hiringTeam: [...members].sort(byMember),
  };
}

function snapshotOfJob(job: PublicJob, anonymizedScreening: boolean, team: TeamMember[]): JobSnapshot {
  return {
    // Trimmed as the form trims, so text an import left untrimmed does not count as an edit.
    title: job.title.trim(),
    team: job.team.slug,
    category: job.category.trim(),
    level: job.level,
    employmentType: job.employmentType,
    workplaceType: job.workplaceType,
    locations: job.locations.map(place),
    applicantCountries: job.applicantCountries,
    description: job.descriptionMd.trim(),
    basicQualifications: job.basicQualifications.map((q) => q.trim()),
    preferredQualifications: job.preferredQualifications.map((q) => q.trim()),
    pay: job.pay ? { currency: job.pay.currency, min: job.pay.min, max: job.pay.max, unit: job.pay.unit } : null,
    headcount: job.headcount,
    closesAt: job.closesAt?.toISOString() ?? null,
    anonymizedScreening,
    principles: job.principles.map((p) => p.slug),
    questions: job.questions.map((q) => ({ id: q.id, label: q.label, kind: q.kind, required: q.required, options: q.options })),
    hiringTeam: team.map(({ userId, teamRole }) => ({ userId, teamRole })).sort(byMember),
  };
}

/** The keys whose values differ, with both sides: what an edit changed, for the audit log. */
function changes(before: JobSnapshot, after: JobSnapshot): { keys: Array<keyof JobSnapshot>; before: Partial<JobSnapshot>; after: Partial<JobSnapshot> } {
  const keys = (Object.keys(after) as Array<keyof JobSnapshot>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const pick = (s: JobSnapshot) => Object.fromEntries(keys.map((k) => [k, s[k]])) as Partial<JobSnapshot>;
  return { keys, before: pick(before), after: pick(after) };
}

const FIELD_OF_TEAM_ROLE: Record<TeamRole, string> = { hiring_manager: 'hiringManager', recruiter: 'recruiters', interviewer: 'interviewers' };

/**
 * Checks the chosen hiring team against the staff who may take each place, and gives its
 * members. One place per person. The creator of a job joins it; an editor may not leave it.
 */
async function hiringTeamOf(
  db: Db,
  form: JobFormData,
  actor: Actor,
  mode: 'create' | 'edit',
): Promise<{ members: Array<{ userId: number; teamRole: TeamRole }>; errors: FormError[] }> {
  const staff = new Map((await findEnabledStaff(db)).map((s) => [s.id, s]));
  const errors: FormError[] = [];
  const members: Array<{ userId: number; teamRole: TeamRole }> = [];
  const chosen: Array<[TeamRole, number[]]> = [
    ['hiring_manager', form.hiringTeam.hiringManager === null ? [] : [form.hiringTeam.hiringManager]],
    ['recruiter', form.hiringTeam.recruiters],
    ['interviewer', form.hiringTeam.interviewers],
  ];
  for (const [teamRole, userIds] of chosen) {
    const field = FIELD_OF_TEAM_ROLE[teamRole];
    for (const userId of new Set(userIds)) {
      const person = staff.get(userId);
      if (!person || !mayJoinTeamAs(person.role, teamRole)) {
        errors.push({ field, message: `Choose the ${TEAM_ROLE_LABELS[teamRole].toLowerCase()} from the list of people who may take that place` });
        continue;
      }
      const taken = members.find((m) => m.userId === userId);
      if (taken) {
        errors.push({ field, message: `${person.name} is already on the team as ${TEAM_ROLE_LABELS[taken.teamRole].toLowerCase()}: give each person one place` });
        continue;
      }
      members.push({ userId, teamRole });
    }
  }
  const self = members.find((m) => m.userId === actor.id);
  if (mode === 'create' && !self) {
    // Whoever opens a job works on it: a recruiter as recruiter, a hiring manager as hiring
    // manager (or, having named another, as interviewer, so they still see it). An admin sees every job anyway.
    if (actor.role === 'recruiter') members.push({ userId: actor.id, teamRole: 'recruiter' });
    if (actor.role === 'hiring_manager') members.push({ userId: actor.id, teamRole: 'interviewer' });
  }
  if (mode === 'edit' && !self && actor.role !== 'admin') {
    errors.push({ field: 'recruiters', message: 'Keep yourself on the hiring team: without a place on it you could no longer open this job' });
  }
  return { members, errors: errors.filter((e, n) => errors.findIndex((o) => o.field === e.field) === n) };
}

/** Resolves the form's team and principles, or names what does not exist. */
async function resolveForm(db: Db, form: JobFormData): Promise<{ row?: JobRow; errors: FormError[] }> {
  const resolved = resolveJob(form.input, await findTeamsAndPrinciplesBySlug(db));
  if ('field' in resolved) {
    const field = resolved.field === 'principles' ? 'principles' : 'team';
    return { errors: [{ field, message: field === 'team' ? 'Choose the team the job belongs to' : 'Choose the principles from the list' }] };
  }
  return { row: { ...resolved, anonymizedScreening: form.anonymizedScreening }, errors: [] };
}

function refuse(errors: FormError[]): never {
  const sorted = sortErrors(errors);
  throw new ValidationError(sorted[0]?.message ?? 'The job could not be saved.', sorted);
}

/**
 * Creates a draft job from the staff form, in one transaction with its principles, questions,
 * hiring team, its first history step and an audit event. Throws a ValidationError naming
 * each field when something is wrong.
 */
export async function createStaffJob({ db, actor, form }: { db: Db; actor: Actor; form: JobFormData }): Promise<{ id: number }> {
  const { row, errors } = await resolveForm(db, form);
  const team = await hiringTeamOf(db, form, actor, 'create');
  errors.push(...team.errors);
  if (form.input.closesAt && form.input.closesAt.getTime() <= Date.now()) errors.push({ field: 'closesAt', message: 'The closing date must be in the future' });
  if (errors.length || !row) refuse(errors);
  return db.transaction(async (tx) => {
    const [id] = (await insertJobsInBulk(tx, [{ ...row, input: { ...row.input, status: 'draft', postedAt: null } }])) as [number];
    await replaceHiringTeam(tx, id, team.members);
    await insertJobEvent(tx, { jobId: id, actorId: actor.id, action: 'created', fromStatus: null, toStatus: 'draft' });
    await recordStaffAudit(tx, { actorId: actor.id, action: 'job.created', subjectType: 'job', subjectId: id, after: snapshotOfForm(form, team.members) });
    return { id };
  });
}

/**
 * Saves an edited job: refused (409) unless the job is editable. Only what changed is written:
 * the jobs row (and its search document) when a field of it changed, principles, questions and
 * the hiring team each only when they changed, so an edit that changes nothing writes nothing.
 * Questions with answers keep their ids and cannot be removed or change kind. Returns the
 * names of the changed fields.
 */
export async function updateStaffJob({ db, actor, id, form: given }: { db: Db; actor: Actor; id: number; form: JobFormData }): Promise<{ changed: string[] }> {
  let form = given;
  const resolved = await resolveForm(db, form);
  const team = await hiringTeamOf(db, form, actor, 'edit');
  const errors = [...resolved.errors, ...team.errors];
  if (errors.length || !resolved.row) refuse(errors);
  let row = resolved.row;
  return db.transaction(async (tx) => {
    const state = await lockJobState(tx, id);
    if (!state) throw new NotFoundError('There is no such job.');
    if (!isEditable(state.status)) throw notEditable(state.status);
    const current = (await findJobsByIds(tx, [id], { publicOnly: false }))[0]!;
    // The form shows a closing day; the same day left as it was keeps the exact moment stored (an import may give any time).
    if (closingDateText(current.closesAt) === closingDateText(form.input.closesAt)) {
      form = { ...form, input: { ...form.input, closesAt: current.closesAt } };
      row = { ...row, input: form.input };
    }
    const before = snapshotOfJob(current, state.anonymizedScreening, await findHiringTeam(tx, id));
    const after = snapshotOfForm(form, team.members);
    const diff = changes(before, after);
    if (diff.keys.length === 0) return { changed: [] };

    if (diff.keys.includes('closesAt') && form.input.closesAt && form.input.closesAt.getTime() <= Date.now()) {
      refuse([{ field: 'closesAt', message: 'The closing date must be in the future' }]);
    }
    const questionErrors = await checkQuestionChanges(tx, id, form);
    if (questionErrors.length) refuse(questionErrors);

    const rowChanged = diff.keys.some((k) => (ROW_KEYS as readonly string[]).includes(k));
    if (rowChanged) await updateJobInPlace(tx, id, row);
    else if (diff.keys.includes('principles')) await replaceJobPrinciples(tx, id, row.principleIds);
    if (diff.keys.includes('questions')) {
      await saveQuestions(
        tx,
        id,
        form.input.questions.map((q, n) => ({ id: form.questionIds[n] ?? null, label: q.label, kind: q.kind as QuestionKind, required: q.required, options: q.options })),
        form.removals.map((r) => r.id),
      );
    }
    // Principles and questions show on the public page: its last change moves with them.
    if (!rowChanged && (diff.keys.includes('principles') || diff.keys.includes('questions'))) await touchJob(tx, id);
    if (diff.keys.includes('hiringTeam')) await replaceHiringTeam(tx, id, team.members);
    if (state.status === 'open' && diff.keys.includes('title')) await adjustTitleWords(tx, { add: [after.title], remove: [before.title] });

    await insertJobEvent(tx, { jobId: id, actorId: actor.id, action: 'edited', fromStatus: state.status, toStatus: state.status, comment: `Changed: ${diff.keys.map((k) => CHANGE_LABELS[k]).join(', ')}` });
    await recordStaffAudit(tx, { actorId: actor.id, action: 'job.edited', subjectType: 'job', subjectId: id, before: diff.before, after: diff.after });
    return { changed: diff.keys };
  });
}

/** Questions with answers stay: their ids are kept, they are not removed and their kind does not change. */
async function checkQuestionChanges(tx: Db, jobId: number, form: JobFormData): Promise<FormError[]> {
  const existing = await findQuestionsWithAnswers(tx, jobId);
  const errors: FormError[] = [];
  const kept = new Set(form.questionIds.filter((q): q is number => q !== null));
  for (const [n, questionId] of form.questionIds.entries()) {
    if (questionId === null) continue;
    const found = existing.find((q) => q.id === questionId);
    const row = form.questionRows[n]!;
    if (!found) errors.push({ field: `q${row}-label`, message: `Question ${row} is no longer part of this job: leave the row empty and add it as a new question` });
    else if (found.answers > 0 && found.kind !== form.input.questions[n]!.kind) {
      errors.push({ field: `q${row}-kind`, message: `Question ${row} already has ${found.answers} answer(s), so its kind of answer cannot change` });
    }
  }
  for (const question of existing) {
    if (kept.has(question.id) || question.answers === 0) continue;
    const removal = form.removals.find((r) => r.id === question.id);
    errors.push({
      field: removal ? `q${removal.row}-remove` : '',
      message: `The question “${question.label}” already has ${question.answers} answer(s) and cannot be removed`,
    });
  }
  return errors;
}

function notEditable(status: JobStatus): AppError {
  return new ConflictError(
    status === 'pending_approval'
      ? 'This job is waiting for approval and cannot be edited. Ask its hiring manager to send it back first.'
      : `This job is ${JOB_STATUS_LABELS[status].toLowerCase()} and can no longer be edited.`,
  );
}

/** Throws the 409 of an edit page for a job that cannot be edited, after checking it exists. */
export async function ensureEditable({ db, id }: { db: Db; id: number }): Promise<void> {
  const state = await findJobState(db, id);
  if (!state) throw new NotFoundError('There is no such job.');
  if (!isEditable(state.status)) throw notEditable(state.status);
}

/** The policy action each lifecycle action needs, besides seeing the job. */
export function actionPolicy(action: JobAction): JobScopedAction {
  if (action === 'approve' || action === 'send_back') return 'job.approve';
  if (action === 'submit') return 'job.submit';
  return 'job.status';
}

/** The lifecycle actions `actor` may take on a job in `status`, given their place on its team. */
export function allowedActions(actor: Actor, teamRole: TeamRole | null, actions: JobAction[]): JobAction[] {
  return actions.filter((action) => can(actor, actionPolicy(action), { teamRole }));
}

export const JOB_EVENT_OF: Record<JobAction, string> = {
  submit: 'submitted',
  approve: 'approved',
  send_back: 'sent_back',
  hold: 'held',
  resume: 'resumed',
  close_filled: 'closed_filled',
  cancel: 'cancelled',
};

/**
 * Moves a job along its lifecycle: the actor's policy for this action (403), the state machine
 * (409 when the job's status does not allow it, 400 when a comment is needed), then in one
 * transaction the status, a history step, an audit event and the notifications it causes.
 * Emails go after the commit.
 */
export async function transitionStaffJob({
  db,
  mail,
  actor,
  teamRole,
  id,
  action: rawAction,
  comment: rawComment,
  publicUrl,
  organization,
}: {
  db: Db;
  mail: Mail;
  actor: Actor & { name: string };
  teamRole: TeamRole | null;
  id: number;
  action: string;
  comment: string;
  publicUrl: string;
  organization: string;
}): Promise<{ action: JobAction; to: JobStatus }> {
  const action = JOB_ACTIONS.find((a) => a === rawAction);
  if (!action) throw new ValidationError('Choose one of the actions the page offers.', [{ field: '', message: 'Choose one of the actions the page offers.' }]);
  if (!can(actor, actionPolicy(action), { teamRole })) {
    throw new AppError(403, 'forbidden', 'Your place on this job’s hiring team does not allow this. Ask its hiring manager or an admin.');
  }
  const comment = rawComment.trim().slice(0, 2000);
  const emails: OutgoingMail[] = [];
  const result = await db.transaction(async (tx) => {
    const state = await lockJobState(tx, id);
    if (!state) throw new NotFoundError('There is no such job.');
    const outcome = transition(state.status, action, comment);
    if (!outcome.ok) {
      if (outcome.reason === 'comment_required') throw new ValidationError(outcome.message, [{ field: `comment-${action}`, message: outcome.message }]);
      throw new ConflictError(outcome.message);
    }
    const to = outcome.to;
    await setJobStatus(tx, id, to, { post: action === 'approve' });
    if (to === 'open' && state.status !== 'open') await adjustTitleWords(tx, { add: [state.title] });
    if (state.status === 'open' && to !== 'open') await adjustTitleWords(tx, { remove: [state.title] });
    await insertJobEvent(tx, { jobId: id, actorId: actor.id, action: JOB_EVENT_OF[action], fromStatus: state.status, toStatus: to, comment });
    await recordStaffAudit(tx, {
      actorId: actor.id,
      action: `job.${JOB_EVENT_OF[action]}`,
      subjectType: 'job',
      subjectId: id,
      before: { status: state.status },
      after: { status: to, ...(comment ? { comment } : {}) },
    });
    const href = `/staff/jobs/${id}`;
    if (action === 'submit') {
      const managers = (await findHiringTeam(tx, id)).filter((m) => m.teamRole === 'hiring_manager' && m.userId !== actor.id);
      await insertNotifications(
        tx,
        managers.map((m) => ({ userId: m.userId, kind: 'approval_waiting', text: `${actor.name} asks you to approve “${state.title}”.`, href })),
      );
      for (const m of managers) {
        emails.push(approvalWaitingMail({ to: m.email, title: state.title, submitter: actor.name, url: `${publicUrl}${href}`, organization }));
      }
    }
    if (action === 'send_back') {
      const submitter = await findLastSubmitter(tx, id);
      if (submitter !== undefined && submitter !== actor.id) {
        await insertNotifications(tx, [{ userId: submitter, kind: 'job_sent_back', text: `${actor.name} sent “${state.title}” back: ${comment}`, href }]);
      }
    }
    return { action, to };
  });
  for (const message of emails) await mail.send(message);
  return result;
}
