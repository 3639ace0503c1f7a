import type { GlobalAction, InterviewAction, JobScopedAction, LoopAction, StaffRole, TeamRole } from '../../src/domain/policy.ts';

/*
 * The expected answers of the policy, written out by hand rather than derived from the module,
 * so a change to the rules fails the unit tests and the HTTP authorization matrix until this
 * table is changed on purpose.
 */

export const GLOBAL_EXPECTED: Record<GlobalAction, StaffRole[]> = {
  'workspace.view': ['admin', 'recruiter', 'hiring_manager', 'interviewer'],
  'job.create': ['admin', 'recruiter', 'hiring_manager'],
  'users.manage': ['admin'],
  'settings.manage': ['admin'],
  'audit.view': ['admin'],
  'outbox.view': ['admin'],
  'reports.view': ['admin', 'recruiter'],
};

const HM: TeamRole = 'hiring_manager';
const REC: TeamRole = 'recruiter';
const INT: TeamRole = 'interviewer';

/** Who on a job's hiring team may do each job action (admins may always; no one off the team may). */
export const JOB_EXPECTED: Record<JobScopedAction, TeamRole[]> = {
  'job.view': [HM, REC, INT],
  'job.edit': [HM, REC],
  'job.submit': [HM, REC],
  'job.approve': [HM],
  'job.status': [HM, REC],
  'pipeline.view': [HM, REC],
  'application.view': [HM, REC, INT],
  'application.file': [HM, REC, INT],
  'application.move': [HM, REC],
  'application.reject': [HM, REC],
  'application.note': [HM, REC, INT],
  'application.tag': [HM, REC],
  'loop.view': [HM, REC],
  'loop.plan': [HM, REC],
  'loop.confirm': [HM],
  'offer.view': [HM, REC],
  'offer.manage': [HM, REC],
};

/** Interview actions: whether each is allowed, given the reader's role, seat and whether the interview is theirs. */
export function interviewExpected(action: InterviewAction, role: StaffRole, teamRole: TeamRole | null, isInterviewer: boolean): boolean {
  if (action === 'feedback.write') return isInterviewer;
  return isInterviewer || role === 'admin' || teamRole === HM || teamRole === REC;
}

/** Loop actions: whether each is allowed, given the reader's role, seat and membership of the loop. */
export function loopExpected(action: LoopAction, role: StaffRole, teamRole: TeamRole | null, loopMember: boolean): boolean {
  if (action === 'debrief.act') return loopMember;
  return loopMember || role === 'admin' || teamRole === HM || teamRole === REC;
}
