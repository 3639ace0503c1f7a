/**
 * Sealed feedback: what one reader may see of a loop's feedback. Interviewers judge
 * independently, so no member of a loop (its interviewers, bar raiser and hiring manager) reads
 * anyone else's evidence or vote before submitting their own. Pure: the server finds out who is
 * asking and where the loop stands; this module decides. See docs/feedback.md.
 *
 * The rule in words:
 * - A loop member who has submitted their own feedback (every interview of theirs in the loop
 *   that is not cancelled) sees everything submitted. Before that they see only who has
 *   submitted. A member with no interview of their own (a hiring manager who does not
 *   interview) has nothing to submit, so stays at "who has submitted" until the debrief opens.
 * - Recruiters and hiring managers on the job's team who are not in the loop, and admins, see
 *   only who has submitted until the debrief opens.
 * - Once the debrief opens, everyone allowed to read the loop's feedback sees all of it.
 * - Anyone else sees nothing (the page answers 403).
 * - Whatever the answer, the reader's own feedback is theirs to read (`mayRead`).
 * - Only submitted revisions are ever shown to others; a draft is its author's alone.
 */
import type { StaffRole, TeamRole } from './policy.ts';

/** How much of a loop's feedback a reader sees: everything, only who has submitted, or nothing. */
export type SealingView = 'full' | 'status' | 'none';

/** Who asks, and where the loop stands. */
export interface FeedbackReader {
  role: StaffRole;
  /** Their place on the job's hiring team, or null. */
  teamRole: TeamRole | null;
  /** One of the loop's interviewers (bar raiser included) or its hiring manager. */
  loopMember: boolean;
  /** They have submitted feedback for every interview of theirs in this loop (and have at least one). */
  submittedOwn: boolean;
  /** The loop's debrief has opened (or the loop is decided). */
  debriefOpen: boolean;
}

/** What `reader` may see of the loop's feedback. */
export function sealingView(reader: FeedbackReader): SealingView {
  if (reader.loopMember) return reader.submittedOwn || reader.debriefOpen ? 'full' : 'status';
  const overseer = reader.role === 'admin' || reader.teamRole === 'recruiter' || reader.teamRole === 'hiring_manager';
  if (!overseer) return 'none';
  return reader.debriefOpen ? 'full' : 'status';
}

/** Whether the reader may read one piece of feedback: their own always, anyone's submitted one under 'full'. */
export function mayRead(view: SealingView, readerId: number, feedback: { authorId: number; submitted: boolean }): boolean {
  if (feedback.authorId === readerId) return true;
  return view === 'full' && feedback.submitted;
}

/**
 * Whether a member has submitted their own feedback for the loop: each of their interviews that
 * is not cancelled has a submitted revision, and there is at least one such interview.
 */
export function hasSubmittedOwn(
  readerId: number,
  interviews: ReadonlyArray<{ interviewerId: number; status: string; submitted: boolean }>,
): boolean {
  const mine = interviews.filter((i) => i.interviewerId === readerId && i.status !== 'cancelled');
  return mine.length > 0 && mine.every((i) => i.submitted);
}

/** Whether the loop's debrief has opened: a debrief row exists, or the loop's status is past the interviews. */
export function debriefIsOpen(loop: { status: string; debriefOpenedAt: Date | null }): boolean {
  return loop.debriefOpenedAt !== null || loop.status === 'debrief' || loop.status === 'decided';
}
