/**
 * Interview feedback: the overall vote, the signal per principle, the evidence written as
 * situation / task / action / result, and what a submission needs. Pure; the server stores
 * drafts as typed and asks `checkSubmission` before it accepts a submit.
 */

/** The overall vote, most in favour first. */
export const VOTES = ['strongly_inclined', 'inclined', 'not_inclined', 'strongly_not_inclined'] as const;
export type Vote = (typeof VOTES)[number];

export const VOTE_LABELS: Record<Vote, string> = {
  strongly_inclined: 'Strongly inclined',
  inclined: 'Inclined',
  not_inclined: 'Not inclined',
  strongly_not_inclined: 'Strongly not inclined',
};

export const VOTE_HINTS: Record<Vote, string> = {
  strongly_inclined: 'Hire: the evidence clearly raises the bar, and you would argue for it.',
  inclined: 'Hire, with reservations you can name.',
  not_inclined: 'Do not hire, though some evidence was good.',
  strongly_not_inclined: 'Do not hire: the evidence clearly falls short, and you would argue against it.',
};

/** What the evidence for one principle showed. `not_assessed` is a signal too: the interview did not get to it. */
export const SIGNALS = ['strong', 'good', 'mixed', 'concerning', 'not_assessed'] as const;
export type Signal = (typeof SIGNALS)[number];

export const SIGNAL_LABELS: Record<Signal, string> = {
  strong: 'Strong',
  good: 'Good',
  mixed: 'Mixed',
  concerning: 'Concerning',
  not_assessed: 'Not assessed',
};

/** The four parts of a piece of evidence (the STAR method). */
export const STAR_PARTS = ['situation', 'task', 'action', 'result'] as const;
export type StarPart = (typeof STAR_PARTS)[number];

export const STAR_LABELS: Record<StarPart, string> = {
  situation: 'Situation',
  task: 'Task',
  action: 'Action',
  result: 'Result',
};

export const STAR_HINTS: Record<StarPart, string> = {
  situation: 'The context the candidate described: where, when, who was involved.',
  task: 'What they were responsible for, or the problem they faced.',
  action: 'What they did themselves (listen for “I”, not “we”).',
  result: 'What came of it, in numbers where they gave them, and what they learned.',
};

/** The most characters one part of the evidence holds. */
export const MAX_PART_LENGTH = 10_000;

/** The evidence for one assigned principle, as stored (feedback.evidence holds one per principle). */
export interface Evidence {
  principle: string;
  situation: string;
  task: string;
  action: string;
  result: string;
  signal: Signal | null;
}

/** Feedback as typed: the evidence per assigned principle, in the interview's order, and the vote. */
export interface FeedbackContent {
  evidence: Evidence[];
  vote: Vote | null;
}

export const isVote = (value: unknown): value is Vote => typeof value === 'string' && (VOTES as readonly string[]).includes(value);
export const isSignal = (value: unknown): value is Signal => typeof value === 'string' && (SIGNALS as readonly string[]).includes(value);

/** One problem with a submission: which principle and what is missing, or the vote. */
export type SubmissionProblem =
  | { kind: 'evidence'; principle: string; message: string }
  | { kind: 'signal'; principle: string; message: string }
  | { kind: 'too_long'; principle: string; part: StarPart; message: string }
  | { kind: 'vote'; message: string };

/**
 * Puts stored or typed evidence in the shape of the interview: one entry per assigned principle,
 * in the assigned order, blank where nothing was written. Entries for principles no longer
 * assigned are dropped; unknown signals become none.
 */
export function evidenceFor(assigned: readonly string[], given: unknown): Evidence[] {
  const list = Array.isArray(given) ? given : [];
  return assigned.map((principle) => {
    const found = list.find((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && (e as { principle?: unknown }).principle === principle);
    const text = (part: StarPart) => (found && typeof found[part] === 'string' ? (found[part] as string) : '');
    return {
      principle,
      situation: text('situation'),
      task: text('task'),
      action: text('action'),
      result: text('result'),
      signal: found && isSignal(found.signal) ? found.signal : null,
    };
  });
}

/** Problems that stop even a draft from being saved: a part longer than MAX_PART_LENGTH. */
export function checkDraft(content: FeedbackContent, names: Readonly<Record<string, string>> = {}): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  for (const e of content.evidence) {
    for (const part of STAR_PARTS) {
      if (e[part].length > MAX_PART_LENGTH) {
        problems.push({
          kind: 'too_long',
          principle: e.principle,
          part,
          message: `${names[e.principle] ?? e.principle}: keep the ${STAR_LABELS[part].toLowerCase()} under ${MAX_PART_LENGTH.toLocaleString('en-US')} characters`,
        });
      }
    }
  }
  return problems;
}

/**
 * What stops feedback from being submitted: every assigned principle needs at least one part of
 * evidence written and a signal, and the feedback needs a vote. `names` gives principle names
 * for the messages. An empty list means it may be submitted.
 */
export function checkSubmission(content: FeedbackContent, names: Readonly<Record<string, string>> = {}): SubmissionProblem[] {
  const problems = checkDraft(content, names);
  for (const e of content.evidence) {
    const name = names[e.principle] ?? e.principle;
    if (STAR_PARTS.every((part) => e[part].trim() === '')) {
      problems.push({ kind: 'evidence', principle: e.principle, message: `${name}: write the evidence in at least one of situation, task, action or result` });
    }
    if (e.signal === null) problems.push({ kind: 'signal', principle: e.principle, message: `${name}: choose a signal` });
  }
  if (content.vote === null) problems.push({ kind: 'vote', message: 'Choose your overall vote' });
  return problems;
}

/** Whether two versions of feedback say the same (to tell a working copy with changes from the submitted one). */
export function sameContent(a: FeedbackContent, b: FeedbackContent): boolean {
  if (a.vote !== b.vote || a.evidence.length !== b.evidence.length) return false;
  return a.evidence.every((e, i) => {
    const f = b.evidence[i]!;
    return e.principle === f.principle && e.signal === f.signal && STAR_PARTS.every((part) => e[part] === f[part]);
  });
}
