import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  checkSubmission,
  evidenceFor,
  MAX_PART_LENGTH,
  sameContent,
  SIGNAL_LABELS,
  SIGNALS,
  VOTE_LABELS,
  VOTES,
  type Evidence,
  type FeedbackContent,
} from './feedback.ts';

const blank = (principle: string): Evidence => ({ principle, situation: '', task: '', action: '', result: '', signal: null });
const names = { ownership: 'Ownership', 'dive-deep': 'Dive Deep' };

describe('the scales', () => {
  it('votes on four points, most in favour first, with the words people use', () => {
    expect(VOTES.map((v) => VOTE_LABELS[v])).toEqual(['Strongly inclined', 'Inclined', 'Not inclined', 'Strongly not inclined']);
  });

  it('has a signal per principle from strong to concerning, and "not assessed"', () => {
    expect(SIGNALS.map((s) => SIGNAL_LABELS[s])).toEqual(['Strong', 'Good', 'Mixed', 'Concerning', 'Not assessed']);
  });
});

describe('evidenceFor', () => {
  it('gives one entry per assigned principle in the assigned order, keeping what was written', () => {
    const stored = [
      { principle: 'dive-deep', situation: 'S', task: '', action: 'A', result: '', signal: 'good' },
      { principle: 'ownership', situation: '', task: 'T', action: '', result: 'R', signal: 'nonsense' },
      { principle: 'frugality', situation: 'no longer assigned', task: '', action: '', result: '', signal: 'strong' },
    ];
    expect(evidenceFor(['ownership', 'dive-deep', 'bias-for-action'], stored)).toEqual([
      { principle: 'ownership', situation: '', task: 'T', action: '', result: 'R', signal: null },
      { principle: 'dive-deep', situation: 'S', task: '', action: 'A', result: '', signal: 'good' },
      blank('bias-for-action'),
    ]);
  });

  it('treats anything that is not a list as nothing written', () => {
    expect(evidenceFor(['ownership'], null)).toEqual([blank('ownership')]);
    expect(evidenceFor(['ownership'], { ownership: 'x' })).toEqual([blank('ownership')]);
  });
});

describe('checkSubmission', () => {
  const complete: FeedbackContent = {
    evidence: [
      { ...blank('ownership'), action: 'Took over the failing migration', signal: 'strong' },
      { ...blank('dive-deep'), result: 'Found the root cause', signal: 'not_assessed' },
    ],
    vote: 'inclined',
  };

  it('accepts one part of evidence and a signal per principle, and a vote', () => {
    expect(checkSubmission(complete, names)).toEqual([]);
  });

  it('names each principle without evidence or signal, and a missing vote', () => {
    const content: FeedbackContent = { evidence: [{ ...blank('ownership'), situation: '   ', signal: 'good' }, blank('dive-deep')], vote: null };
    expect(checkSubmission(content, names)).toEqual([
      { kind: 'evidence', principle: 'ownership', message: 'Ownership: write the evidence in at least one of situation, task, action or result' },
      { kind: 'evidence', principle: 'dive-deep', message: 'Dive Deep: write the evidence in at least one of situation, task, action or result' },
      { kind: 'signal', principle: 'dive-deep', message: 'Dive Deep: choose a signal' },
      { kind: 'vote', message: 'Choose your overall vote' },
    ]);
  });

  it('refuses a part longer than the limit, for drafts too', () => {
    const long: FeedbackContent = { ...complete, evidence: [{ ...complete.evidence[0]!, task: 'x'.repeat(MAX_PART_LENGTH + 1) }, complete.evidence[1]!] };
    expect(checkDraft(long, names)).toEqual([{ kind: 'too_long', principle: 'ownership', part: 'task', message: 'Ownership: keep the task under 10,000 characters' }]);
    expect(checkSubmission(long, names)).toHaveLength(1);
    expect(checkDraft({ ...complete, evidence: [{ ...complete.evidence[0]!, task: 'x'.repeat(MAX_PART_LENGTH) }] })).toEqual([]);
  });
});

describe('sameContent', () => {
  const a: FeedbackContent = { evidence: [{ ...blank('ownership'), task: 'T', signal: 'good' }], vote: 'inclined' };

  it('is true for equal feedback and false when a part, signal or vote differs', () => {
    expect(sameContent(a, structuredClone(a))).toBe(true);
    expect(sameContent(a, { ...a, vote: 'not_inclined' })).toBe(false);
    expect(sameContent(a, { ...a, evidence: [{ ...a.evidence[0]!, task: 'T2' }] })).toBe(false);
    expect(sameContent(a, { ...a, evidence: [{ ...a.evidence[0]!, signal: 'mixed' }] })).toBe(false);
    expect(sameContent(a, { ...a, evidence: [] })).toBe(false);
  });
});
