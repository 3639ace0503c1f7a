/**
 * Voluntary self-identification: questions a candidate may answer, never has to, that are kept
 * apart from the application (no person, no application, only the job and the day) and shown
 * to staff only as counts of groups at least MIN_GROUP_SIZE large. Pure rules.
 */
export interface SelfIdQuestion {
  key: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
}

/** The settings key of the admin's switch; the questions are off unless it holds true. */
export const SELF_ID_SETTING = 'self_identification.enabled';

/** The answer everyone may give to every question. */
export const DECLINE = 'prefer_not_to_say';

export const SELF_ID_QUESTIONS: readonly SelfIdQuestion[] = [
  {
    key: 'gender',
    label: 'How do you describe your gender?',
    options: [
      { value: 'woman', label: 'Woman' },
      { value: 'man', label: 'Man' },
      { value: 'non_binary', label: 'Non-binary' },
      { value: 'another', label: 'Another way' },
      { value: DECLINE, label: 'I prefer not to say' },
    ],
  },
  {
    key: 'disability',
    label: 'Do you have a disability or long-term condition?',
    options: [
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No' },
      { value: DECLINE, label: 'I prefer not to say' },
    ],
  },
  {
    key: 'veteran',
    label: 'Have you served in the armed forces?',
    options: [
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No' },
      { value: DECLINE, label: 'I prefer not to say' },
    ],
  },
];

/** Groups smaller than this are never shown, so no answer can be traced to one person. */
export const MIN_GROUP_SIZE = 5;

/** The form field of a question. */
export const selfIdField = (key: string) => `selfId_${key}`;

/**
 * Reads the answers from posted fields: unanswered questions are left out; an answer that is not
 * one of the question's options is an error for that field.
 */
export function readSelfId(fields: Record<string, string[] | undefined>): { answers: Record<string, string>; errors: Array<{ field: string; message: string }> } {
  const answers: Record<string, string> = {};
  const errors: Array<{ field: string; message: string }> = [];
  for (const question of SELF_ID_QUESTIONS) {
    const given = fields[selfIdField(question.key)]?.[0];
    if (given === undefined || given === '') continue;
    if (question.options.some((o) => o.value === given)) answers[question.key] = given;
    else errors.push({ field: selfIdField(question.key), message: `Choose one of the answers to “${question.label}”, or leave it blank` });
  }
  return { answers, errors };
}

export interface AggregateGroup {
  value: string;
  label: string;
  /** null when the group is too small to show (or would reveal one that is). */
  count: number | null;
}

export interface AggregateQuestion {
  key: string;
  label: string;
  /** How many answered the question, or null when even that would reveal a small group. */
  answered: number | null;
  groups: AggregateGroup[];
}

/**
 * Counts per question and answer, suppressing every group under `minGroup`. When exactly one
 * group is hidden, the total and the others would give it away by subtraction, so the smallest
 * other group is hidden too; when fewer than `minGroup` answered at all, nothing is shown.
 */
export function aggregateSelfId(rows: ReadonlyArray<Record<string, string>>, minGroup = MIN_GROUP_SIZE): AggregateQuestion[] {
  return SELF_ID_QUESTIONS.map((question) => {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const value = row[question.key];
      if (value !== undefined && question.options.some((o) => o.value === value)) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const answered = [...counts.values()].reduce((a, b) => a + b, 0);
    const groups: AggregateGroup[] = question.options.map((o) => ({ value: o.value, label: o.label, count: counts.get(o.value) ?? 0 }));
    if (answered < minGroup) {
      return { key: question.key, label: question.label, answered: null, groups: groups.map((g) => ({ ...g, count: null })) };
    }
    // A group of zero reveals no one; a group of 1..minGroup-1 would.
    const small = (g: AggregateGroup) => g.count !== null && g.count > 0 && g.count < minGroup;
    for (const g of groups) if (small(g)) g.count = null;
    const hidden = groups.filter((g) => g.count === null);
    if (hidden.length === 1) {
      const next = groups.filter((g) => g.count !== null && g.count > 0).sort((a, b) => a.count! - b.count! || a.value.localeCompare(b.value))[0];
      if (next) next.count = null;
    }
    return { key: question.key, label: question.label, answered, groups };
  });
}
