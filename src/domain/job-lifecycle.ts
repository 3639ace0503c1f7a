import type { JobStatus } from '../shared/contracts/jobs.ts';

/**
 * The life of a job: draft → pending approval → open ⇄ on hold → closed (filled or cancelled).
 * An approver sends a job back to draft with a comment; a closed job stays closed. Pure: the
 * server asks `transition` and stores what it answers; anything else is refused.
 */
export const JOB_ACTIONS = ['submit', 'approve', 'send_back', 'hold', 'resume', 'close_filled', 'cancel'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

const TABLE: Record<JobAction, { from: readonly JobStatus[]; to: JobStatus; needsComment: boolean }> = {
  submit: { from: ['draft'], to: 'pending_approval', needsComment: false },
  approve: { from: ['pending_approval'], to: 'open', needsComment: false },
  send_back: { from: ['pending_approval'], to: 'draft', needsComment: true },
  hold: { from: ['open'], to: 'on_hold', needsComment: false },
  resume: { from: ['on_hold'], to: 'open', needsComment: false },
  close_filled: { from: ['open', 'on_hold'], to: 'closed_filled', needsComment: false },
  cancel: { from: ['draft', 'pending_approval', 'open', 'on_hold'], to: 'closed_cancelled', needsComment: true },
};

export const JOB_ACTION_LABELS: Record<JobAction, string> = {
  submit: 'Submit for approval',
  approve: 'Approve and publish',
  send_back: 'Send back',
  hold: 'Put on hold',
  resume: 'Reopen',
  close_filled: 'Close as filled',
  cancel: 'Cancel',
};

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  draft: 'Draft',
  pending_approval: 'Pending approval',
  open: 'Open',
  on_hold: 'On hold',
  closed_filled: 'Closed (filled)',
  closed_cancelled: 'Closed (cancelled)',
};

export type TransitionResult =
  | { ok: true; to: JobStatus }
  | { ok: false; reason: 'not_allowed' | 'comment_required'; message: string };

/** What `action` does to a job in `from`, given the comment typed with it. */
export function transition(from: JobStatus, action: JobAction, comment = ''): TransitionResult {
  const rule = TABLE[action];
  if (!rule.from.includes(from)) {
    return {
      ok: false,
      reason: 'not_allowed',
      message: `A job that is ${JOB_STATUS_LABELS[from].toLowerCase()} cannot be changed by “${JOB_ACTION_LABELS[action]}”.`,
    };
  }
  if (rule.needsComment && comment.trim() === '') {
    return { ok: false, reason: 'comment_required', message: `“${JOB_ACTION_LABELS[action]}” needs a comment saying why.` };
  }
  return { ok: true, to: rule.to };
}

/** The actions open to a job in `status`, in the order a page offers them. */
export function actionsFrom(status: JobStatus): JobAction[] {
  return JOB_ACTIONS.filter((action) => TABLE[action].from.includes(status));
}

/** Drafts, open and held jobs can be edited; a job waiting for approval is frozen, a closed one is history. */
export function isEditable(status: JobStatus): boolean {
  return status === 'draft' || status === 'open' || status === 'on_hold';
}

/** A job takes applications and shows publicly only while open. */
export function isPublished(status: JobStatus): boolean {
  return status === 'open';
}

export function isClosed(status: JobStatus): boolean {
  return status === 'closed_filled' || status === 'closed_cancelled';
}
