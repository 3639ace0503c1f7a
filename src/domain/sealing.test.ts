import { describe, expect, it } from 'vitest';
import { can, STAFF_ROLES, TEAM_ROLES, type TeamRole } from './policy.ts';
import { debriefIsOpen, hasSubmittedOwn, mayRead, sealingView, type FeedbackReader, type SealingView } from './sealing.ts';

const reader = (r: Partial<FeedbackReader> = {}): FeedbackReader => ({
  role: 'interviewer',
  teamRole: null,
  loopMember: false,
  submittedOwn: false,
  debriefOpen: false,
  ...r,
});

describe('sealingView', () => {
  // Hand-written: who, and what they see before the debrief and after it opens.
  const table: Array<[string, Partial<FeedbackReader>, SealingView, SealingView]> = [
    ['an interviewer of the loop who has not submitted', { loopMember: true, teamRole: 'interviewer' }, 'status', 'full'],
    ['an interviewer of the loop who has submitted', { loopMember: true, teamRole: 'interviewer', submittedOwn: true }, 'full', 'full'],
    ['a bar raiser (not on the team) who has not submitted', { loopMember: true }, 'status', 'full'],
    ['a bar raiser who has submitted', { loopMember: true, submittedOwn: true }, 'full', 'full'],
    ['the loop’s hiring manager before their own feedback', { role: 'hiring_manager', teamRole: 'hiring_manager', loopMember: true }, 'status', 'full'],
    ['the loop’s hiring manager after their own feedback', { role: 'hiring_manager', teamRole: 'hiring_manager', loopMember: true, submittedOwn: true }, 'full', 'full'],
    ['an admin in the loop who has not submitted', { role: 'admin', loopMember: true }, 'status', 'full'],
    ['a recruiter on the job outside the loop', { role: 'recruiter', teamRole: 'recruiter' }, 'status', 'full'],
    ['a hiring manager on the job outside the loop', { role: 'hiring_manager', teamRole: 'hiring_manager' }, 'status', 'full'],
    ['an admin outside the loop', { role: 'admin' }, 'status', 'full'],
    ['an interviewer on the job’s team but not in the loop', { teamRole: 'interviewer' }, 'none', 'none'],
    ['an interviewer of another job', {}, 'none', 'none'],
    ['a recruiter who is not on the job', { role: 'recruiter' }, 'none', 'none'],
  ];

  for (const [who, r, before, after] of table) {
    it(`gives ${who} “${before}” before the debrief and “${after}” once it opens`, () => {
      expect(sealingView(reader(r))).toBe(before);
      expect(sealingView(reader({ ...r, debriefOpen: true }))).toBe(after);
    });
  }

  const everyReader: FeedbackReader[] = STAFF_ROLES.flatMap((role) =>
    [...TEAM_ROLES, null].flatMap((teamRole: TeamRole | null) =>
      [true, false].flatMap((loopMember) =>
        [true, false].flatMap((submittedOwn) => [true, false].map((debriefOpen) => ({ role, teamRole, loopMember, submittedOwn, debriefOpen }))),
      ),
    ),
  );

  it('never lets a loop member see everything before their own feedback is in, until the debrief opens', () => {
    for (const r of everyReader.filter((r) => r.loopMember && !r.submittedOwn && !r.debriefOpen)) expect(sealingView(r)).toBe('status');
  });

  it('never shows feedback to anyone before the debrief unless they are a member who has submitted', () => {
    for (const r of everyReader.filter((r) => !r.debriefOpen && !(r.loopMember && r.submittedOwn))) expect(sealingView(r)).not.toBe('full');
  });

  it('answers "none" exactly when the policy refuses feedback.read', () => {
    for (const r of everyReader) {
      const allowed = can({ id: 1, role: r.role }, 'feedback.read', { teamRole: r.teamRole, loopMember: r.loopMember });
      expect(sealingView(r) === 'none').toBe(!allowed);
    }
  });
});

describe('mayRead', () => {
  it('always lets readers read their own feedback, even a draft and even when sealed', () => {
    for (const view of ['none', 'status', 'full'] as const) {
      expect(mayRead(view, 7, { authorId: 7, submitted: false })).toBe(true);
      expect(mayRead(view, 7, { authorId: 7, submitted: true })).toBe(true);
    }
  });

  it('shows another member’s feedback only when it is submitted and the view is full', () => {
    expect(mayRead('full', 7, { authorId: 8, submitted: true })).toBe(true);
    expect(mayRead('full', 7, { authorId: 8, submitted: false })).toBe(false);
    expect(mayRead('status', 7, { authorId: 8, submitted: true })).toBe(false);
    expect(mayRead('none', 7, { authorId: 8, submitted: true })).toBe(false);
  });
});

describe('hasSubmittedOwn', () => {
  it('needs every interview of the reader that is not cancelled to be submitted', () => {
    const interviews = [
      { interviewerId: 1, status: 'scheduled', submitted: true },
      { interviewerId: 1, status: 'unscheduled', submitted: false },
      { interviewerId: 2, status: 'scheduled', submitted: true },
    ];
    expect(hasSubmittedOwn(1, interviews)).toBe(false);
    expect(hasSubmittedOwn(2, interviews)).toBe(true);
    expect(hasSubmittedOwn(1, [...interviews.slice(0, 1), { interviewerId: 1, status: 'cancelled', submitted: false }])).toBe(true);
  });

  it('is false for a member with no interview of their own, or only cancelled ones', () => {
    expect(hasSubmittedOwn(3, [{ interviewerId: 1, status: 'scheduled', submitted: true }])).toBe(false);
    expect(hasSubmittedOwn(3, [{ interviewerId: 3, status: 'cancelled', submitted: true }])).toBe(false);
  });
});

describe('debriefIsOpen', () => {
  it('is open with a debrief row, or when the loop is in debrief or decided', () => {
    expect(debriefIsOpen({ status: 'confirmed', debriefOpenedAt: null })).toBe(false);
    expect(debriefIsOpen({ status: 'planning', debriefOpenedAt: null })).toBe(false);
    expect(debriefIsOpen({ status: 'confirmed', debriefOpenedAt: new Date() })).toBe(true);
    expect(debriefIsOpen({ status: 'debrief', debriefOpenedAt: null })).toBe(true);
    expect(debriefIsOpen({ status: 'decided', debriefOpenedAt: null })).toBe(true);
  });
});
