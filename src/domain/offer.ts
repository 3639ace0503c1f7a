/**
 * The life of an offer. Pure: the server stores what these functions allow.
 *
 * draft → submit → pending approval → every approver approves, in order → approved → extend →
 * extended → the candidate accepts or declines (with an optional reason) before it expires.
 * An approver who rejects sends it back to draft with a comment. Staff may rescind an approved
 * or extended offer with a reason. Terms change only in draft.
 */
export const OFFER_STATUSES = ['draft', 'pending_approval', 'approved', 'extended', 'accepted', 'declined', 'rescinded', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const OFFER_STATUS_LABELS: Record<OfferStatus, string> = {
  draft: 'Draft',
  pending_approval: 'Waiting for approval',
  approved: 'Approved',
  extended: 'Extended to the candidate',
  accepted: 'Accepted',
  declined: 'Declined',
  rescinded: 'Rescinded',
  expired: 'Expired',
};

export const OFFER_ACTIONS = ['submit', 'approve', 'reject', 'extend', 'accept', 'decline', 'rescind', 'expire'] as const;
export type OfferAction = (typeof OFFER_ACTIONS)[number];

const TABLE: Record<OfferAction, { from: readonly OfferStatus[]; needsReason: boolean }> = {
  submit: { from: ['draft'], needsReason: false },
  approve: { from: ['pending_approval'], needsReason: false },
  reject: { from: ['pending_approval'], needsReason: true },
  extend: { from: ['approved'], needsReason: false },
  accept: { from: ['extended'], needsReason: false },
  decline: { from: ['extended'], needsReason: false },
  rescind: { from: ['approved', 'extended'], needsReason: true },
  expire: { from: ['extended'], needsReason: false },
};

export interface Approval {
  approverId: number;
  status: 'pending' | 'approved' | 'rejected';
}

export type OfferStep = { ok: true; to: OfferStatus; approvals: Approval[] } | { ok: false; code: string; message: string };

/**
 * What `action` does to an offer in `status` with its approval chain. `actorId` is the one acting
 * (for approve/reject it must be the next pending approver); `now` and `expiresAt` decide whether
 * an extended offer may still be answered.
 */
export function offerStep(options: {
  status: OfferStatus;
  action: OfferAction;
  approvals: readonly Approval[];
  actorId?: number;
  reason?: string;
  now: Date;
  expiresAt: Date | null;
}): OfferStep {
  const { status, action } = options;
  const rule = TABLE[action];
  if (!rule.from.includes(status)) return { ok: false, code: 'not_allowed', message: `An offer that is ${OFFER_STATUS_LABELS[status].toLowerCase()} cannot be changed that way.` };
  if (rule.needsReason && !options.reason?.trim()) return { ok: false, code: 'reason_required', message: 'Give a reason.' };
  const approvals = options.approvals.map((a) => ({ ...a }));
  switch (action) {
    case 'submit':
      if (approvals.length === 0) return { ok: true, to: 'approved', approvals };
      return { ok: true, to: 'pending_approval', approvals: approvals.map((a) => ({ ...a, status: 'pending' as const })) };
    case 'approve':
    case 'reject': {
      const next = approvals.find((a) => a.status === 'pending');
      if (!next || next.approverId !== options.actorId) return { ok: false, code: 'not_your_turn', message: 'This offer is waiting for another approver.' };
      next.status = action === 'approve' ? 'approved' : 'rejected';
      if (action === 'reject') return { ok: true, to: 'draft', approvals };
      return { ok: true, to: approvals.every((a) => a.status === 'approved') ? 'approved' : 'pending_approval', approvals };
    }
    case 'extend':
      if (!options.expiresAt || options.expiresAt.getTime() <= options.now.getTime()) return { ok: false, code: 'expiry_required', message: 'Set an expiry date in the future.' };
      return { ok: true, to: 'extended', approvals };
    case 'accept':
    case 'decline':
      if (options.expiresAt && options.expiresAt.getTime() <= options.now.getTime()) return { ok: false, code: 'expired', message: 'This offer has expired. Contact the recruiter if you are still interested.' };
      return { ok: true, to: action === 'accept' ? 'accepted' : 'declined', approvals };
    case 'expire':
      if (!options.expiresAt || options.expiresAt.getTime() > options.now.getTime()) return { ok: false, code: 'not_expired', message: 'The offer has not expired yet.' };
      return { ok: true, to: 'expired', approvals };
    case 'rescind':
      return { ok: true, to: 'rescinded', approvals };
  }
}

/** Terms change only while the offer is a draft. */
export function termsEditable(status: OfferStatus): boolean {
  return status === 'draft';
}

/** After an accepted offer: one fewer open seat, and the job closes as filled at zero. */
export function headcountAfterAccept(headcount: number): { headcount: number; closeAsFilled: boolean } {
  const left = Math.max(0, headcount - 1);
  return { headcount: left, closeAsFilled: left === 0 };
}
