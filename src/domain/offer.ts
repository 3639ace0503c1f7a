import { levelLabel, PAY_UNIT_LABELS, type PayUnit } from '../shared/contracts/jobs.ts';

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

/** The statuses a candidate ever sees: an offer is theirs to read only once it was extended. */
export const CANDIDATE_VISIBLE_STATUSES = ['extended', 'accepted', 'declined', 'rescinded', 'expired'] as const satisfies readonly OfferStatus[];

/** Whether the candidate may see an offer in this status (drafts and offers waiting for approval never show). */
export function candidateSees(status: OfferStatus): boolean {
  return (CANDIDATE_VISIBLE_STATUSES as readonly OfferStatus[]).includes(status);
}

/**
 * Whether the candidate may see this offer: a status they may see, and extended to them at some
 * point. An approved offer rescinded before it was extended was never theirs to read.
 */
export function candidateSeesOffer(offer: { status: OfferStatus; extendedAt: Date | null }): boolean {
  return candidateSees(offer.status) && offer.extendedAt !== null;
}

/**
 * Whether the candidate may download the letter: while the offer stands (extended) and, as their
 * record, once accepted. A declined, rescinded or expired offer keeps no letter to download.
 */
export function candidateLetterAvailable(status: OfferStatus): boolean {
  return status === 'extended' || status === 'accepted';
}

/** An offer ends once answered, rescinded or expired; staff may then draft a new one for the same application. */
export function isFinal(status: OfferStatus): boolean {
  return status === 'accepted' || status === 'declined' || status === 'rescinded' || status === 'expired';
}

/**
 * Who approves an offer, in order: the job's chain when it has one, else its team's, else no one
 * (the offer is approved when submitted). Approvers who are not `eligible` (disabled accounts) are
 * left out, as is anyone named twice (their first place counts).
 */
export function approvalChainFor(options: { job: readonly number[] | null; team: readonly number[] | null; eligible?: (id: number) => boolean }): number[] {
  const chain = options.job && options.job.length > 0 ? options.job : (options.team ?? []);
  const eligible = options.eligible ?? (() => true);
  return [...new Set(chain)].filter(eligible);
}

/** The moment an offer answered "until" a day expires: the end of that day, UTC. */
export function expiryOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.000Z`);
}

/** A reminder goes to the candidate once, when less than this remains before the expiry. */
export const EXPIRY_REMINDER_MS = 48 * 3600 * 1000;

/** An amount as offers show it: "185,000 EUR", "42.50 USD" (digits grouped the same on every server). */
export function moneyText(amount: number, currency: string): string {
  const cents = Math.round(amount * 100) % 100 !== 0;
  const digits = new Intl.NumberFormat('en-US', { minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: 2 }).format(amount);
  return `${digits} ${currency}`;
}

/** "1 February 2027" from "2027-02-01". */
export function dateText(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? day : at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The terms an offer states, as the letter and the pages read them. */
export interface OfferTermsText {
  title: string;
  level: number;
  basePay: number;
  currency: string;
  payUnit: string;
  /** YYYY-MM-DD. */
  startDate: string;
  signOnBonus: number | null;
  equity: string | null;
}

/** The rows of the terms in the order every view lists them; a missing bonus or equity is left out. */
export function offerTermRows(terms: OfferTermsText): Array<[label: string, value: string]> {
  const unit = PAY_UNIT_LABELS[terms.payUnit as PayUnit] ?? terms.payUnit.toLowerCase();
  const rows: Array<[string, string]> = [
    ['Position', terms.title],
    ['Level', `${levelLabel(terms.level)} (level ${terms.level})`],
    ['Base pay', `${moneyText(terms.basePay, terms.currency)} ${unit}`],
    ['Start date', dateText(terms.startDate)],
  ];
  if (terms.signOnBonus !== null && terms.signOnBonus > 0) rows.push(['Sign-on bonus', moneyText(terms.signOnBonus, terms.currency)]);
  if (terms.equity) rows.push(['Equity', terms.equity]);
  return rows;
}
