/**
 * The debrief of a loop and the bar raiser's decision. Pure: the server gathers who is in the
 * loop, who has submitted and what was decided; these functions say what may happen next.
 *
 * - The debrief opens when every interview's feedback is in, or earlier when the bar raiser
 *   opens it with a written reason.
 * - Each member records a final vote; a final vote that differs from the vote in their
 *   feedback needs a reason.
 * - Only the bar raiser records the decision: hire (with a level), no hire, or recycle (another
 *   job or level, with a note). A decision is final: nobody, the bar raiser included, changes it
 *   afterwards, so a bar raiser's no hire can never be overridden.
 */
import { VOTE_LABELS, type Vote } from './feedback.ts';

export const DECISIONS = ['hire', 'no_hire', 'recycle'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECISION_LABELS: Record<Decision, string> = {
  hire: 'Hire',
  no_hire: 'No hire',
  recycle: 'Recycle (consider for another job or level)',
};

export type Refusal = { ok: false; code: string; message: string };
export type Allowed = { ok: true };

const refuse = (code: string, message: string): Refusal => ({ ok: false, code, message });
const OK: Allowed = { ok: true };

/** May the debrief open now? */
export function mayOpenDebrief(options: {
  /** How many interviews the loop has (cancelled ones excluded) and how many have submitted feedback. */
  interviews: number;
  submitted: number;
  /** The one asking is the loop's bar raiser. */
  byBarRaiser: boolean;
  /** Why it opens before every feedback is in (only the bar raiser may do that). */
  earlyReason?: string;
  alreadyOpen: boolean;
}): Allowed | Refusal {
  if (options.alreadyOpen) return refuse('already_open', 'The debrief is already open.');
  if (options.interviews === 0) return refuse('no_interviews', 'This loop has no interviews yet.');
  if (options.submitted >= options.interviews) return OK;
  if (!options.byBarRaiser) {
    return refuse('feedback_missing', `The debrief opens when every feedback is in (${options.submitted} of ${options.interviews}); only the bar raiser can open it earlier.`);
  }
  if (!options.earlyReason?.trim()) return refuse('reason_required', 'Say why the debrief opens before every feedback is in.');
  return OK;
}

/** May a member record this final vote? */
export function checkFinalVote(options: { isMember: boolean; debriefOpen: boolean; decided: boolean; firstVote: Vote | null; finalVote: Vote; reason?: string }): Allowed | Refusal {
  if (!options.isMember) return refuse('not_a_member', 'Only the members of the loop vote in its debrief.');
  if (!options.debriefOpen) return refuse('debrief_closed', 'The debrief is not open yet.');
  if (options.decided) return refuse('decided', 'The decision is made; votes can no longer change.');
  if (options.firstVote !== null && options.firstVote !== options.finalVote && !options.reason?.trim()) {
    return refuse('reason_required', `Your final vote differs from your feedback (${VOTE_LABELS[options.firstVote].toLowerCase()}): say why it changed.`);
  }
  return OK;
}

export interface DecisionInput {
  decision: Decision;
  /** For hire: the level to hire at. */
  level?: number;
  /** For recycle: the job to consider the candidate for, and why. */
  recycleJobId?: number;
  note?: string;
  memo: string;
}

/** May this decision be recorded? Only by the bar raiser, once, with a memo. */
export function checkDecision(options: { byBarRaiser: boolean; debriefOpen: boolean; existing: Decision | null; input: DecisionInput }): Allowed | Refusal {
  const { input } = options;
  if (options.existing === 'no_hire') return refuse('vetoed', 'The bar raiser decided no hire. That decision stands and cannot be overridden.');
  if (options.existing !== null) return refuse('decided', 'The decision is already recorded and is final.');
  if (!options.byBarRaiser) return refuse('not_bar_raiser', 'Only the bar raiser records the decision.');
  if (!options.debriefOpen) return refuse('debrief_closed', 'The debrief is not open yet.');
  const [problem] = decisionInputProblems(input);
  return problem ? refuse(problem.code, problem.message) : OK;
}

/** A part of the decision form that is missing, named so a form can point at it. */
export interface DecisionProblem {
  code: 'memo_required' | 'level_required' | 'job_required' | 'note_required';
  field: 'memo' | 'level' | 'recycleJobId' | 'note';
  message: string;
}

/**
 * Everything the decision's input still lacks, in the order checkDecision reports it: the memo,
 * the level of a hire, the job and note of a recycle. Empty when the input is complete; a form
 * shows them all at once, while checkDecision answers with the first.
 */
export function decisionInputProblems(input: DecisionInput): DecisionProblem[] {
  const problems: DecisionProblem[] = [];
  if (!input.memo.trim()) problems.push({ code: 'memo_required', field: 'memo', message: 'Write the decision memo: the evidence the decision rests on.' });
  if (input.decision === 'hire' && (input.level === undefined || !Number.isInteger(input.level) || input.level < 1 || input.level > 8)) {
    problems.push({ code: 'level_required', field: 'level', message: 'Choose the level to hire at.' });
  }
  if (input.decision === 'recycle') {
    if (input.recycleJobId === undefined) problems.push({ code: 'job_required', field: 'recycleJobId', message: 'Choose the job to consider the candidate for.' });
    if (!input.note?.trim()) problems.push({ code: 'note_required', field: 'note', message: 'Add a note on why the candidate fits the other job or level.' });
  }
  return problems;
}

/** Where the decision sends the application. */
export function stageAfterDecision(decision: Decision): 'offer' | 'rejected' | 'recycled' {
  if (decision === 'hire') return 'offer';
  if (decision === 'no_hire') return 'rejected';
  return 'recycled';
}

/** Seconds from the end of the last interview to the decision, or null when no interview has ended. */
export function secondsToDecision(interviewEnds: readonly Date[], decidedAt: Date): number | null {
  if (interviewEnds.length === 0) return null;
  const last = Math.max(...interviewEnds.map((d) => d.getTime()));
  return Math.max(0, Math.round((decidedAt.getTime() - last) / 1000));
}
