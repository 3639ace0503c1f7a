import { describe, expect, it } from 'vitest';
import {
  approvalChainFor,
  candidateLetterAvailable,
  candidateSees,
  candidateSeesOffer,
  expiryOfDay,
  headcountAfterAccept,
  dateText,
  isFinal,
  moneyText,
  OFFER_ACTIONS,
  OFFER_STATUSES,
  offerStep,
  offerTermRows,
  termsEditable,
  type OfferAction,
  type OfferStatus,
} from './offer.ts';

const now = new Date('2026-11-25T12:00:00Z');
const later = new Date('2026-12-05T12:00:00Z');
const earlier = new Date('2026-11-20T12:00:00Z');

/** Which actions each status allows, written out by hand. */
const ALLOWED: Record<OfferStatus, OfferAction[]> = {
  draft: ['submit'],
  pending_approval: ['approve', 'reject'],
  approved: ['extend', 'rescind'],
  extended: ['accept', 'decline', 'rescind', 'expire'],
  accepted: [],
  declined: [],
  rescinded: [],
  expired: [],
};

describe('the offer state machine', () => {
  for (const status of OFFER_STATUSES) {
    for (const action of OFFER_ACTIONS) {
      const allowed = ALLOWED[status].includes(action);
      it(`${allowed ? 'may' : 'refuses to'} ${action} an offer that is ${status}`, () => {
        const result = offerStep({ status, action, approvals: [{ approverId: 7, status: 'pending' }], actorId: 7, reason: 'r', now, expiresAt: action === 'expire' ? earlier : later });
        if (allowed) expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, code: 'not_allowed' });
      });
    }
  }

  it('walks the approval chain in order, then is approved', () => {
    const chain = [
      { approverId: 1, status: 'pending' as const },
      { approverId: 2, status: 'pending' as const },
    ];
    const submitted = offerStep({ status: 'draft', action: 'submit', approvals: chain, now, expiresAt: null });
    expect(submitted).toMatchObject({ ok: true, to: 'pending_approval' });
    expect(offerStep({ status: 'pending_approval', action: 'approve', approvals: chain, actorId: 2, now, expiresAt: null })).toMatchObject({ ok: false, code: 'not_your_turn' });
    const first = offerStep({ status: 'pending_approval', action: 'approve', approvals: chain, actorId: 1, now, expiresAt: null });
    expect(first).toMatchObject({ ok: true, to: 'pending_approval' });
    const second = offerStep({ status: 'pending_approval', action: 'approve', approvals: first.ok ? first.approvals : [], actorId: 2, now, expiresAt: null });
    expect(second).toMatchObject({ ok: true, to: 'approved' });
  });

  it('goes back to draft when an approver rejects, with a comment', () => {
    const chain = [{ approverId: 1, status: 'pending' as const }];
    expect(offerStep({ status: 'pending_approval', action: 'reject', approvals: chain, actorId: 1, now, expiresAt: null })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(offerStep({ status: 'pending_approval', action: 'reject', approvals: chain, actorId: 1, reason: 'Base above band', now, expiresAt: null })).toMatchObject({ ok: true, to: 'draft' });
  });

  it('is approved at once when there is no approval chain', () => {
    expect(offerStep({ status: 'draft', action: 'submit', approvals: [], now, expiresAt: null })).toMatchObject({ ok: true, to: 'approved' });
  });

  it('is extended only with a future expiry, and answered only before it', () => {
    expect(offerStep({ status: 'approved', action: 'extend', approvals: [], now, expiresAt: earlier })).toMatchObject({ ok: false, code: 'expiry_required' });
    expect(offerStep({ status: 'extended', action: 'accept', approvals: [], now, expiresAt: earlier })).toMatchObject({ ok: false, code: 'expired' });
    expect(offerStep({ status: 'extended', action: 'decline', approvals: [], now, expiresAt: later })).toMatchObject({ ok: true, to: 'declined' });
    expect(offerStep({ status: 'extended', action: 'expire', approvals: [], now, expiresAt: later })).toMatchObject({ ok: false, code: 'not_expired' });
  });

  it('needs a reason to rescind', () => {
    expect(offerStep({ status: 'extended', action: 'rescind', approvals: [], now, expiresAt: later })).toMatchObject({ ok: false, code: 'reason_required' });
  });

  it('lets terms change only in draft, and closes the job when the last seat is filled', () => {
    expect(OFFER_STATUSES.filter(termsEditable)).toEqual(['draft']);
    expect(headcountAfterAccept(2)).toEqual({ headcount: 1, closeAsFilled: false });
    expect(headcountAfterAccept(1)).toEqual({ headcount: 0, closeAsFilled: true });
  });
});

describe('what the candidate sees of an offer', () => {
  it('shows an offer only once it was extended, and its letter only while it stands or once accepted', () => {
    expect(OFFER_STATUSES.filter(candidateSees)).toEqual(['extended', 'accepted', 'declined', 'rescinded', 'expired']);
    expect(OFFER_STATUSES.filter(candidateLetterAvailable)).toEqual(['extended', 'accepted']);
    expect(OFFER_STATUSES.filter(isFinal)).toEqual(['accepted', 'declined', 'rescinded', 'expired']);
  });

  it('never shows an offer that was not extended, even once rescinded', () => {
    const at = new Date('2030-01-01T00:00:00Z');
    expect(OFFER_STATUSES.filter((status) => candidateSeesOffer({ status, extendedAt: at }))).toEqual(['extended', 'accepted', 'declined', 'rescinded', 'expired']);
    expect(OFFER_STATUSES.filter((status) => candidateSeesOffer({ status, extendedAt: null }))).toEqual([]);
  });
});

describe('the approval chain of an offer', () => {
  it('takes the job’s chain over its team’s, and none when neither has one', () => {
    expect(approvalChainFor({ job: [3, 1], team: [7] })).toEqual([3, 1]);
    expect(approvalChainFor({ job: [], team: [7, 8] })).toEqual([7, 8]);
    expect(approvalChainFor({ job: null, team: [7, 8] })).toEqual([7, 8]);
    expect(approvalChainFor({ job: null, team: null })).toEqual([]);
  });

  it('leaves out approvers who may no longer act, and anyone named twice', () => {
    expect(approvalChainFor({ job: [3, 4, 3, 5], team: null, eligible: (id) => id !== 4 })).toEqual([3, 5]);
  });

  it('lets an offer be answered until the end of its last day, UTC', () => {
    const expiry = expiryOfDay('2026-12-05');
    expect(offerStep({ status: 'extended', action: 'accept', approvals: [], now: new Date('2026-12-05T23:59:00Z'), expiresAt: expiry })).toMatchObject({ ok: true });
    expect(offerStep({ status: 'extended', action: 'accept', approvals: [], now: new Date('2026-12-06T00:00:00Z'), expiresAt: expiry })).toMatchObject({ ok: false, code: 'expired' });
  });
});

describe('how terms read', () => {
  it('groups digits and shows cents only when there are some', () => {
    expect(moneyText(185000, 'EUR')).toBe('185,000 EUR');
    expect(moneyText(42.5, 'USD')).toBe('42.50 USD');
    expect(dateText('2027-02-01')).toBe('1 February 2027');
  });
});

describe('the rows of an offer’s terms', () => {
  it('lists the terms in order and leaves out a missing bonus or equity', () => {
    const terms = { title: 'Engineer', level: 5, basePay: 185000, currency: 'EUR', payUnit: 'YEAR', startDate: '2027-02-01', signOnBonus: null, equity: null };
    expect(offerTermRows(terms)).toEqual([
      ['Position', 'Engineer'],
      ['Level', 'Senior (level 5)'],
      ['Base pay', '185,000 EUR per year'],
      ['Start date', '1 February 2027'],
    ]);
    expect(offerTermRows({ ...terms, signOnBonus: 20000, equity: '1,000 units' }).slice(4)).toEqual([
      ['Sign-on bonus', '20,000 EUR'],
      ['Equity', '1,000 units'],
    ]);
  });
});
