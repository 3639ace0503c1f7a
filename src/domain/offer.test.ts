import { describe, expect, it } from 'vitest';
import { headcountAfterAccept, OFFER_ACTIONS, OFFER_STATUSES, offerStep, termsEditable, type OfferAction, type OfferStatus } from './offer.ts';

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
