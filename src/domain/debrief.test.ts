import { describe, expect, it } from 'vitest';
import { checkDecision, checkFinalVote, decisionInputProblems, DECISIONS, mayOpenDebrief, secondsToDecision, stageAfterDecision, type Decision } from './debrief.ts';

describe('opening the debrief', () => {
  it('opens when every feedback is in, for anyone in the loop', () => {
    expect(mayOpenDebrief({ interviews: 5, submitted: 5, byBarRaiser: false, alreadyOpen: false })).toEqual({ ok: true });
  });

  it('lets only the bar raiser open it early, and only with a reason', () => {
    expect(mayOpenDebrief({ interviews: 5, submitted: 3, byBarRaiser: false, alreadyOpen: false })).toMatchObject({ ok: false, code: 'feedback_missing' });
    expect(mayOpenDebrief({ interviews: 5, submitted: 3, byBarRaiser: true, earlyReason: '  ', alreadyOpen: false })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(mayOpenDebrief({ interviews: 5, submitted: 3, byBarRaiser: true, earlyReason: 'Two interviewers are away for a week', alreadyOpen: false })).toEqual({ ok: true });
  });

  it('does not open twice, or for a loop without interviews', () => {
    expect(mayOpenDebrief({ interviews: 5, submitted: 5, byBarRaiser: true, alreadyOpen: true })).toMatchObject({ ok: false, code: 'already_open' });
    expect(mayOpenDebrief({ interviews: 0, submitted: 0, byBarRaiser: true, earlyReason: 'x', alreadyOpen: false })).toMatchObject({ ok: false, code: 'no_interviews' });
  });
});

describe('final votes', () => {
  const base = { isMember: true, debriefOpen: true, decided: false, firstVote: 'inclined' as const };
  it('takes a vote that matches the feedback without a reason', () => {
    expect(checkFinalVote({ ...base, finalVote: 'inclined' })).toEqual({ ok: true });
  });
  it('needs a reason for a vote that changed', () => {
    expect(checkFinalVote({ ...base, finalVote: 'not_inclined' })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(checkFinalVote({ ...base, finalVote: 'not_inclined', reason: 'The bar raiser’s evidence on ownership convinced me' })).toEqual({ ok: true });
  });
  it('refuses non-members, a closed debrief and a decided one', () => {
    expect(checkFinalVote({ ...base, isMember: false, finalVote: 'inclined' })).toMatchObject({ code: 'not_a_member' });
    expect(checkFinalVote({ ...base, debriefOpen: false, finalVote: 'inclined' })).toMatchObject({ code: 'debrief_closed' });
    expect(checkFinalVote({ ...base, decided: true, finalVote: 'inclined' })).toMatchObject({ code: 'decided' });
  });
});

describe('the decision', () => {
  const hire = { decision: 'hire' as const, level: 5, memo: 'Strong evidence on four of five principles.' };
  it('is the bar raiser’s alone', () => {
    expect(checkDecision({ byBarRaiser: false, debriefOpen: true, existing: null, input: hire })).toMatchObject({ ok: false, code: 'not_bar_raiser' });
    expect(checkDecision({ byBarRaiser: true, debriefOpen: true, existing: null, input: hire })).toEqual({ ok: true });
  });

  it('keeps a no hire against everyone, the bar raiser included', () => {
    for (const decision of DECISIONS) {
      for (const byBarRaiser of [true, false]) {
        const input = { decision, level: 5, recycleJobId: 1, note: 'n', memo: 'm' };
        expect(checkDecision({ byBarRaiser, debriefOpen: true, existing: 'no_hire', input })).toMatchObject({ ok: false, code: 'vetoed' });
      }
    }
  });

  it('is final once recorded', () => {
    for (const existing of ['hire', 'recycle'] as Decision[]) {
      expect(checkDecision({ byBarRaiser: true, debriefOpen: true, existing, input: { decision: 'no_hire', memo: 'm' } })).toMatchObject({ ok: false, code: 'decided' });
    }
  });

  it('needs a memo, a level to hire at, and a job and note to recycle', () => {
    expect(checkDecision({ byBarRaiser: true, debriefOpen: true, existing: null, input: { ...hire, memo: ' ' } })).toMatchObject({ code: 'memo_required' });
    expect(checkDecision({ byBarRaiser: true, debriefOpen: true, existing: null, input: { decision: 'hire', memo: 'm' } })).toMatchObject({ code: 'level_required' });
    expect(checkDecision({ byBarRaiser: true, debriefOpen: true, existing: null, input: { decision: 'recycle', memo: 'm', note: 'x' } })).toMatchObject({ code: 'job_required' });
    expect(checkDecision({ byBarRaiser: true, debriefOpen: true, existing: null, input: { decision: 'recycle', memo: 'm', recycleJobId: 3 } })).toMatchObject({ code: 'note_required' });
    expect(checkDecision({ byBarRaiser: true, debriefOpen: false, existing: null, input: hire })).toMatchObject({ code: 'debrief_closed' });
  });

  it('lists every missing part of the decision at once, for the form, in the order checkDecision reports them', () => {
    expect(decisionInputProblems({ decision: 'recycle', memo: ' ' }).map((p) => [p.code, p.field])).toEqual([
      ['memo_required', 'memo'],
      ['job_required', 'recycleJobId'],
      ['note_required', 'note'],
    ]);
    expect(decisionInputProblems({ decision: 'hire', level: 9, memo: 'm' }).map((p) => p.code)).toEqual(['level_required']);
    expect(decisionInputProblems({ decision: 'hire', level: 2.5, memo: 'm' }).map((p) => p.code)).toEqual(['level_required']);
    expect(decisionInputProblems({ decision: 'no_hire', memo: 'Weak evidence on ownership.' })).toEqual([]);
    // A no hire needs nothing but the memo: a level or job sent along is not asked for.
    expect(decisionInputProblems({ decision: 'no_hire', memo: 'm', level: 0 })).toEqual([]);
  });

  it('sends a hire to the offer stage, a no hire to rejected, a recycle to a new application', () => {
    expect(stageAfterDecision('hire')).toBe('offer');
    expect(stageAfterDecision('no_hire')).toBe('rejected');
    expect(stageAfterDecision('recycle')).toBe('recycled');
  });

  it('measures from the end of the last interview', () => {
    const ends = [new Date('2026-11-20T15:00:00Z'), new Date('2026-11-20T17:30:00Z')];
    expect(secondsToDecision(ends, new Date('2026-11-21T17:30:00Z'))).toBe(86_400);
    expect(secondsToDecision([], new Date())).toBeNull();
  });
});
