/**
 * Who may do what, in one place. Every staff route, page, export and email asks `can` before it
 * acts or shows; nothing else grants access. Pure: the server looks up the actor and their
 * place on the job's hiring team, this module decides.
 *
 * The rules in words:
 * - Admins may do everything.
 * - Recruiters and hiring managers may create jobs; everything about a job is for its hiring
 *   team only (its hiring manager, recruiters and interviewers), and for admins.
 * - On a job's team, the hiring manager and recruiters run the job and its pipeline; only the
 *   hiring manager (or an admin) approves it; interviewers read the job and its applications
 *   and write notes, but move nothing.
 * - Users, settings, the audit log and the mail outbox are for admins; aggregate reports are for
 *   admins and recruiters.
 */
export const STAFF_ROLES = ['admin', 'recruiter', 'hiring_manager', 'interviewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  admin: 'Admin',
  recruiter: 'Recruiter',
  hiring_manager: 'Hiring manager',
  interviewer: 'Interviewer',
};

/** A place on a job's hiring team. */
export const TEAM_ROLES = ['hiring_manager', 'recruiter', 'interviewer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  hiring_manager: 'Hiring manager',
  recruiter: 'Recruiter',
  interviewer: 'Interviewer',
};

/** Which staff roles may take a place on a hiring team. */
export function mayJoinTeamAs(role: StaffRole, teamRole: TeamRole): boolean {
  if (role === 'admin') return true;
  if (teamRole === 'hiring_manager') return role === 'hiring_manager';
  if (teamRole === 'recruiter') return role === 'recruiter';
  return true;
}

/** Actions that concern no particular job. */
export const GLOBAL_ACTIONS = [
  'workspace.view',
  'job.create',
  'users.manage',
  'settings.manage',
  'audit.view',
  'outbox.view',
  'reports.view',
] as const;
export type GlobalAction = (typeof GLOBAL_ACTIONS)[number];

/** Actions on one job, or on an application, note or file of that job. */
export const JOB_SCOPED_ACTIONS = [
  'job.view',
  'job.edit',
  'job.submit',
  'job.approve',
  'job.status',
  'pipeline.view',
  'application.view',
  'application.file',
  'application.move',
  'application.reject',
  'application.note',
  'application.tag',
  'loop.view',
  'loop.plan',
  'loop.confirm',
  'offer.view',
  'offer.manage',
] as const;
export type JobScopedAction = (typeof JOB_SCOPED_ACTIONS)[number];

/** Actions on one interview: its kit and its feedback. */
export const INTERVIEW_ACTIONS = ['interview.kit', 'feedback.write'] as const;
export type InterviewAction = (typeof INTERVIEW_ACTIONS)[number];

/**
 * Reading a loop's feedback and its debrief: for the loop's members (its interviewers, bar
 * raiser and hiring manager), the job's hiring manager and recruiters, and admins; what each may
 * see is the sealing rule's to say. Acting in the debrief (voting, deciding, opening it early) is
 * for members only; which member may decide is the debrief rule's to say (src/domain/debrief.ts).
 */
export const LOOP_ACTIONS = ['feedback.read', 'debrief.view', 'debrief.act'] as const;
export type LoopAction = (typeof LOOP_ACTIONS)[number];

export type Action = GlobalAction | JobScopedAction | InterviewAction | LoopAction;

/** The one asking. */
export interface Actor {
  id: number;
  role: StaffRole;
}

/** The actor's place on the job's hiring team, or null when they are not on it. */
export interface JobTarget {
  teamRole: TeamRole | null;
}

/** An application's loop: the actor's place on the job's team, and whether they are a member of the loop. */
export interface LoopTarget extends JobTarget {
  loopMember: boolean;
}

/** An interview: the actor's place on its job's team, and whether the interview is theirs. */
export interface InterviewTarget extends JobTarget {
  isInterviewer: boolean;
}

const GLOBAL: Record<GlobalAction, readonly StaffRole[]> = {
  'workspace.view': STAFF_ROLES,
  'job.create': ['admin', 'recruiter', 'hiring_manager'],
  'users.manage': ['admin'],
  'settings.manage': ['admin'],
  'audit.view': ['admin'],
  'outbox.view': ['admin'],
  'reports.view': ['admin', 'recruiter'],
};

const ON_TEAM: Record<JobScopedAction, readonly TeamRole[]> = {
  'job.view': TEAM_ROLES,
  'job.edit': ['hiring_manager', 'recruiter'],
  'job.submit': ['hiring_manager', 'recruiter'],
  'job.approve': ['hiring_manager'],
  'job.status': ['hiring_manager', 'recruiter'],
  'pipeline.view': ['hiring_manager', 'recruiter'],
  'application.view': TEAM_ROLES,
  'application.file': TEAM_ROLES,
  'application.move': ['hiring_manager', 'recruiter'],
  'application.reject': ['hiring_manager', 'recruiter'],
  'application.note': TEAM_ROLES,
  'application.tag': ['hiring_manager', 'recruiter'],
  'loop.view': ['hiring_manager', 'recruiter'],
  'loop.plan': ['hiring_manager', 'recruiter'],
  // The pre-brief is the hiring manager's to confirm.
  'loop.confirm': ['hiring_manager'],
  'offer.view': ['hiring_manager', 'recruiter'],
  'offer.manage': ['hiring_manager', 'recruiter'],
};

export function isGlobalAction(action: Action): action is GlobalAction {
  return (GLOBAL_ACTIONS as readonly string[]).includes(action);
}

export function isLoopAction(action: Action): action is LoopAction {
  return (LOOP_ACTIONS as readonly string[]).includes(action);
}

export function isInterviewAction(action: Action): action is InterviewAction {
  return (INTERVIEW_ACTIONS as readonly string[]).includes(action);
}

/**
 * May `actor` do `action` (to the job `target`, for job-scoped actions; to the interview, for
 * interview actions)? Feedback is written only by the interviewer whose interview it is, admins
 * included; whose feedback may be read is the sealing rule's to say (src/domain/sealing.ts).
 */
export function can(actor: Actor, action: GlobalAction): boolean;
export function can(actor: Actor, action: JobScopedAction, target: JobTarget): boolean;
export function can(actor: Actor, action: InterviewAction, target: InterviewTarget): boolean;
export function can(actor: Actor, action: LoopAction, target: LoopTarget): boolean;
export function can(actor: Actor, action: Action, target?: JobTarget | InterviewTarget | LoopTarget): boolean {
  if (isLoopAction(action)) {
    const loop = target as LoopTarget | undefined;
    if (!loop) return false;
    // Voting, deciding and opening the debrief early are for the loop's own members.
    if (action === 'debrief.act') return loop.loopMember;
    return loop.loopMember || actor.role === 'admin' || loop.teamRole === 'hiring_manager' || loop.teamRole === 'recruiter';
  }
  if (isInterviewAction(action)) {
    const interview = target as InterviewTarget | undefined;
    if (!interview) return false;
    if (action === 'feedback.write') return interview.isInterviewer;
    return interview.isInterviewer || actor.role === 'admin' || interview.teamRole === 'hiring_manager' || interview.teamRole === 'recruiter';
  }
  if (actor.role === 'admin') return true;
  if (isGlobalAction(action)) return GLOBAL[action].includes(actor.role);
  const teamRole = target?.teamRole ?? null;
  if (teamRole === null) return false;
  return ON_TEAM[action as JobScopedAction].includes(teamRole);
}

/** Which jobs a list may show the actor: every job for admins, else the jobs whose team they are on. */
export function seesAllJobs(actor: Actor): boolean {
  return actor.role === 'admin';
}

/**
 * Anonymized screening: while an application of such a job is still being screened, staff see
 * no name, email, phone, links or school names.
 */
export function identityHidden(job: { anonymizedScreening: boolean }, stage: string): boolean {
  return job.anonymizedScreening && (stage === 'applied' || stage === 'screen');
}
