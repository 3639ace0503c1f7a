import { describe, expect, it } from 'vitest';
import { GLOBAL_EXPECTED, interviewExpected, JOB_EXPECTED, loopExpected } from '../../test/support/policy-expectations.ts';
import {
  can,
  GLOBAL_ACTIONS,
  identityHidden,
  JOB_SCOPED_ACTIONS,
  mayJoinTeamAs,
  STAFF_ROLES,
  type TeamRole,
} from './policy.ts';

const HM: TeamRole = 'hiring_manager';
const REC: TeamRole = 'recruiter';
const INT: TeamRole = 'interviewer';

describe('the policy', () => {
  for (const role of STAFF_ROLES) {
    for (const action of GLOBAL_ACTIONS) {
      const expected = GLOBAL_EXPECTED[action].includes(role);
      it(`${expected ? 'lets' : 'stops'} a ${role} ${expected ? 'do' : 'from doing'} ${action}`, () => {
        expect(can({ id: 1, role }, action)).toBe(expected);
      });
    }
  }

  for (const role of STAFF_ROLES) {
    for (const teamRole of [HM, REC, INT, null]) {
      for (const action of JOB_SCOPED_ACTIONS) {
        const expected = role === 'admin' || (teamRole !== null && JOB_EXPECTED[action].includes(teamRole));
        it(`${expected ? 'lets' : 'stops'} a ${role} who is ${teamRole ?? 'not on the team'} ${expected ? 'do' : 'from doing'} ${action}`, () => {
          expect(can({ id: 1, role }, action, { teamRole })).toBe(expected);
        });
      }
    }
  }

  for (const role of STAFF_ROLES) {
    for (const teamRole of [HM, REC, INT, null]) {
      for (const isInterviewer of [true, false]) {
        const who = `a ${role} who is ${teamRole ?? 'not on the team'}${isInterviewer ? ' and holds the interview' : ''}`;
        it(`lets ${who} write feedback only when the interview is theirs`, () => {
          expect(can({ id: 1, role }, 'feedback.write', { teamRole, isInterviewer })).toBe(interviewExpected('feedback.write', role, teamRole, isInterviewer));
        });
        const kit = interviewExpected('interview.kit', role, teamRole, isInterviewer);
        it(`${kit ? 'shows' : 'hides'} the interview kit to ${who}`, () => {
          expect(can({ id: 1, role }, 'interview.kit', { teamRole, isInterviewer })).toBe(kit);
        });
      }
    }
  }

  for (const role of STAFF_ROLES) {
    for (const teamRole of [HM, REC, INT, null]) {
      for (const loopMember of [true, false]) {
        const expected = loopExpected('feedback.read', role, teamRole, loopMember);
        const who = `a ${role} who is ${teamRole ?? 'not on the team'}${loopMember ? ' and in the loop' : ''}`;
        it(`${expected ? 'lets' : 'stops'} ${who} ${expected ? 'open' : 'from opening'} the loop's feedback and debrief (sealing decides what shows)`, () => {
          expect(can({ id: 1, role }, 'feedback.read', { teamRole, loopMember })).toBe(expected);
          expect(can({ id: 1, role }, 'debrief.view', { teamRole, loopMember })).toBe(expected);
        });
        it(`${loopMember ? 'lets' : 'stops'} ${who} ${loopMember ? 'act' : 'from acting'} in the debrief`, () => {
          expect(can({ id: 1, role }, 'debrief.act', { teamRole, loopMember })).toBe(loopExpected('debrief.act', role, teamRole, loopMember));
        });
      }
    }
  }

  it('puts only hiring managers (or admins) in the hiring manager seat and only recruiters in the recruiter seat', () => {
    expect(mayJoinTeamAs('hiring_manager', 'hiring_manager')).toBe(true);
    expect(mayJoinTeamAs('recruiter', 'hiring_manager')).toBe(false);
    expect(mayJoinTeamAs('interviewer', 'recruiter')).toBe(false);
    expect(mayJoinTeamAs('admin', 'recruiter')).toBe(true);
    for (const role of STAFF_ROLES) expect(mayJoinTeamAs(role, 'interviewer')).toBe(true);
  });

  it('hides identity in anonymized screening only until the application passes screening', () => {
    const job = { anonymizedScreening: true };
    expect(identityHidden(job, 'applied')).toBe(true);
    expect(identityHidden(job, 'screen')).toBe(true);
    expect(identityHidden(job, 'phone_interview')).toBe(false);
    expect(identityHidden({ anonymizedScreening: false }, 'applied')).toBe(false);
  });
});
