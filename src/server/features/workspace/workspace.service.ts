import { can, identityHidden, seesAllJobs, type TeamRole } from '../../../domain/policy.ts';
import { JOB_STATUS_LABELS } from '../../../domain/job-lifecycle.ts';
import type { JobStatus } from '../../../shared/contracts/jobs.ts';
import type { ActivityItem, HomeView, NotificationView, WaitingGroup } from '../../../web/staff/home.tsx';
import type { NotificationsView } from '../../../web/staff/notifications.tsx';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import type { StaffUser } from '../staff/staff.scope.ts';
import { countUnreadNotifications } from '../staff/staff.repository.ts';
import {
  countApplicationsInStages,
  countNotifications,
  listNotifications,
  listPendingJobs,
  listRecentApplicationEvents,
  listRecentJobEvents,
  markAllNotificationsRead,
  markNotificationRead,
} from './workspace.repository.ts';

/**
 * One group of "Waiting for you" on the home page. Each source looks at one kind of work
 * (approvals, screening; interviews and feedback due when they exist) and answers a group,
 * or null when that kind of work can never be the user's (an interviewer approves nothing).
 * More sources are passed to `workspaceExtension({ waiting })`; they run after the built-in ones.
 */
export type WaitingSource = (options: { db: Db; user: StaffUser; now: Date }) => Promise<WaitingGroup | null>;

/** Stages in which an application waits to be screened. */
export const SCREENING_STAGES = ['applied', 'screen'] as const;
const ACTIVITY_LIMIT = 20;
const HOME_NOTIFICATIONS = 5;
export const NOTIFICATIONS_PER_PAGE = 50;

const day = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Jobs pending approval that the user may approve: every one for admins, else those they are hiring manager of. */
export const approvalsWaiting: WaitingSource = async ({ db, user }) => {
  const rows = await listPendingJobs(db, { userId: user.id, all: seesAllJobs(user) });
  const mine = rows.filter((row) => can(user, 'job.approve', { teamRole: (row.teamRole as TeamRole | null) ?? null }));
  if (mine.length === 0 && user.role !== 'admin' && user.role !== 'hiring_manager') return null;
  return {
    key: 'approvals',
    title: 'Jobs to approve',
    empty: 'No job is waiting for your approval.',
    items: mine.map((row) => ({ title: row.title, href: `/staff/jobs/${row.id}`, detail: `${row.requisitionId} · waiting since ${day(row.updatedAt)}` })),
  };
};

/** Applications still to screen on the jobs the user runs (hiring manager or recruiter), per job and stage. */
export const screeningWaiting: WaitingSource = async ({ db, user }) => {
  const rows = await countApplicationsInStages(db, { userId: user.id, teamRoles: ['hiring_manager', 'recruiter'], stages: SCREENING_STAGES });
  const perJob = new Map<number, { title: string; counts: Map<string, number> }>();
  for (const row of rows) {
    if (!can(user, 'pipeline.view', { teamRole: row.teamRole as TeamRole })) continue;
    const job = perJob.get(row.jobId) ?? { title: row.title, counts: new Map<string, number>() };
    job.counts.set(row.stage, (job.counts.get(row.stage) ?? 0) + row.n);
    perJob.set(row.jobId, job);
  }
  if (perJob.size === 0 && user.role === 'interviewer') return null;
  const label = (stage: string, n: number) => (stage === 'applied' ? `${n} applied, not yet screened` : `${n} in screening`);
  return {
    key: 'screening',
    title: 'Applications to screen',
    empty: 'No application on your jobs is waiting to be screened.',
    items: [...perJob].map(([jobId, job]) => {
      const links = SCREENING_STAGES.filter((s) => job.counts.has(s)).map((s) => ({ href: `/staff/jobs/${jobId}/board?stage=${s}`, label: label(s, job.counts.get(s)!) }));
      return { title: job.title, href: links[0]!.href, links };
    }),
  };
};

/** The sources every home page asks, in the order the page shows them. */
export const BUILT_IN_WAITING: readonly WaitingSource[] = [approvalsWaiting, screeningWaiting];

/** Everything the home page shows the user. */
export async function loadHome({ db, user, now = new Date(), waiting = [] }: { db: Db; user: StaffUser; now?: Date; waiting?: readonly WaitingSource[] }): Promise<HomeView> {
  const all = seesAllJobs(user);
  const [groups, jobRows, applicationRows, unread, newest] = await Promise.all([
    Promise.all([...BUILT_IN_WAITING, ...waiting].map((source) => source({ db, user, now }))),
    listRecentJobEvents(db, { userId: user.id, all, limit: ACTIVITY_LIMIT }),
    listRecentApplicationEvents(db, { userId: user.id, all, limit: ACTIVITY_LIMIT }),
    countUnreadNotifications(db, user.id),
    listNotifications(db, { userId: user.id, limit: HOME_NOTIFICATIONS, offset: 0 }),
  ]);
  const activity = [...jobRows.map(describeJobEvent), ...applicationRows.map(describeApplicationEvent)]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, ACTIVITY_LIMIT);
  return {
    waiting: groups.filter((g): g is WaitingGroup => g !== null),
    activity,
    notifications: { unread, newest: newest.map(toNotificationView) },
  };
}

const statusLabel = (status: string | null) => (status && status in JOB_STATUS_LABELS ? JOB_STATUS_LABELS[status as JobStatus].toLowerCase() : (status ?? '').replace(/_/g, ' '));

/** A job's lifecycle event in plain words. */
export function describeJobEvent(row: Awaited<ReturnType<typeof listRecentJobEvents>>[number]): ActivityItem {
  const link = { href: `/staff/jobs/${row.jobId}`, text: row.jobTitle };
  const base = { at: row.at, actor: row.actorName ?? 'Someone no longer on the staff', link, ...(row.comment ? { note: row.comment } : {}) };
  switch (row.action) {
    case 'created':
      return { ...base, text: 'created the job', after: row.toStatus && row.toStatus !== 'draft' ? ` (${statusLabel(row.toStatus)})` : ' as a draft' };
    case 'edited':
      return { ...base, text: 'edited', after: '' };
    case 'submitted':
      return { ...base, text: 'submitted', after: ' for approval' };
    case 'approved':
      return { ...base, text: 'approved and published', after: '' };
    case 'sent_back':
      return { ...base, text: 'sent', after: ' back to draft' };
    case 'held':
      return { ...base, text: 'put', after: ' on hold' };
    case 'resumed':
      return { ...base, text: 'reopened', after: '' };
    case 'closed':
    case 'closed_filled':
    case 'close_filled':
      return { ...base, text: 'closed', after: ' as filled' };
    case 'cancelled':
    case 'cancel':
      return { ...base, text: 'cancelled', after: '' };
    default:
      if (row.toStatus && row.fromStatus !== row.toStatus) {
        return { ...base, text: 'changed', after: ` from ${statusLabel(row.fromStatus) || 'nothing'} to ${statusLabel(row.toStatus)}` };
      }
      return { ...base, text: `${row.action.replace(/_/g, ' ')}:`, after: '' };
  }
}

/** The words for a pipeline stage ("phone_interview" → "phone interview"). */
export const stageWords = (stage: string | null) => (stage ?? '').replace(/_/g, ' ');

/** An application's timeline event in plain words; the candidate's name stays hidden during anonymized screening. */
export function describeApplicationEvent(row: Awaited<ReturnType<typeof listRecentApplicationEvents>>[number]): ActivityItem {
  const hidden = identityHidden({ anonymizedScreening: row.anonymizedScreening }, row.stage) || row.personName.trim() === '';
  const candidate = hidden ? 'A candidate' : row.personName;
  const actor = row.actorType === 'staff' ? (row.staffName ?? 'Someone no longer on the staff') : row.actorType === 'candidate' ? candidate : 'The system';
  const link = { href: `/staff/applications/${row.applicationId}`, text: row.jobTitle };
  const whose = row.actorType === 'candidate' ? 'their application for' : hidden ? 'an application for' : `${candidate}’s application for`;
  const base = { at: row.at, actor, link, ...(row.detail ? { note: row.detail } : {}) };
  switch (row.kind) {
    case 'applied':
      return { ...base, text: row.actorType === 'candidate' ? 'applied for' : `added ${hidden ? 'a candidate' : candidate} to`, after: '' };
    case 'confirmed':
      return { ...base, text: `confirmed ${whose}`, after: '' };
    case 'withdrawn':
      return { ...base, text: row.actorType === 'candidate' ? 'withdrew their application for' : `withdrew ${whose}`, after: '' };
    case 'rejected':
      return { ...base, text: `rejected ${whose}`, after: row.fromStage ? ` at ${stageWords(row.fromStage)}` : '' };
    default:
      if (row.toStage && row.fromStage !== row.toStage) {
        return { ...base, text: `moved ${whose}`, after: row.fromStage ? ` from ${stageWords(row.fromStage)} to ${stageWords(row.toStage)}` : ` to ${stageWords(row.toStage)}` };
      }
      return { ...base, text: `${row.kind.replace(/_/g, ' ')} on ${whose}`, after: '' };
  }
}

function toNotificationView(row: Awaited<ReturnType<typeof listNotifications>>[number]): NotificationView {
  // A notification's link is written by the app; anything but a workspace path is shown as the notifications page.
  const href = row.href.startsWith('/staff') && !row.href.startsWith('//') ? row.href : '/staff/notifications';
  return { id: row.id, text: row.text, href, read: row.readAt !== null, createdAt: row.createdAt };
}

/** A page of the user's notifications, newest first. */
export async function loadNotifications({ db, user, page }: { db: Db; user: StaffUser; page: number }): Promise<NotificationsView> {
  const offset = (page - 1) * NOTIFICATIONS_PER_PAGE;
  const [rows, total, unread] = await Promise.all([
    listNotifications(db, { userId: user.id, limit: NOTIFICATIONS_PER_PAGE, offset }),
    countNotifications(db, user.id),
    countUnreadNotifications(db, user.id),
  ]);
  return {
    items: rows.map(toNotificationView),
    unread,
    newer: page > 1 ? `/staff/notifications${page === 2 ? '' : `?page=${page - 1}`}` : undefined,
    older: offset + rows.length < total ? `/staff/notifications?page=${page + 1}` : undefined,
  };
}

/**
 * Marks the user's notification `id` read, or all of them when no id is given. Another
 * user's notification is answered as missing, so ids cannot be probed.
 */
export async function markNotificationsRead({ db, user, id }: { db: Db; user: StaffUser; id?: number | undefined }): Promise<void> {
  if (id === undefined) {
    await markAllNotificationsRead(db, user.id);
    return;
  }
  if (!(await markNotificationRead(db, user.id, id))) throw new NotFoundError('There is no such notification.');
}
