import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateSelfId, DECLINE, MIN_GROUP_SIZE, readSelfId, SELF_ID_QUESTIONS, selfIdField } from './self-identification.ts';

const rows = (spec: Record<string, number>, key = 'gender') =>
  Object.entries(spec).flatMap(([value, n]) => Array.from({ length: n }, () => ({ [key]: value })));

describe('self-identification', () => {
  it('keeps only the answers given, and refuses one that is not an option', () => {
    expect(readSelfId({ [selfIdField('gender')]: ['woman'], [selfIdField('disability')]: [''] })).toEqual({ answers: { gender: 'woman' }, errors: [] });
    const refused = readSelfId({ [selfIdField('veteran')]: ['maybe'] });
    expect(refused.answers).toEqual({});
    expect(refused.errors).toEqual([{ field: 'selfId_veteran', message: expect.stringContaining('Choose one of the answers') }]);
  });

  it('offers "prefer not to say" on every question', () => {
    for (const q of SELF_ID_QUESTIONS) expect(q.options.map((o) => o.value)).toContain(DECLINE);
  });

  it('shows nothing for a question fewer than the minimum answered', () => {
    const [gender] = aggregateSelfId(rows({ woman: 2, man: 2 }));
    expect(gender!.answered).toBeNull();
    expect(gender!.groups.every((g) => g.count === null)).toBe(true);
  });

  it('shows large groups and zeros, and hides small ones', () => {
    const [gender] = aggregateSelfId(rows({ woman: 7, man: 9, non_binary: 2, another: 1 }));
    expect(Object.fromEntries(gender!.groups.map((g) => [g.value, g.count]))).toEqual({ woman: 7, man: 9, non_binary: null, another: null, prefer_not_to_say: 0 });
    expect(gender!.answered).toBe(19);
  });

  it('hides a second group when one hidden group could be found by subtraction', () => {
    const [gender] = aggregateSelfId(rows({ woman: 7, man: 9, non_binary: 1 }));
    expect(Object.fromEntries(gender!.groups.map((g) => [g.value, g.count]))).toEqual({ woman: null, man: 9, non_binary: null, another: 0, prefer_not_to_say: 0 });
  });

  it('never shows a group under the minimum, and never lets the total and the shown groups pin down exactly one hidden group', () => {
    const values = SELF_ID_QUESTIONS[0]!.options.map((o) => o.value);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...values), { maxLength: 80 }), (answers) => {
        const [gender] = aggregateSelfId(answers.map((gender) => ({ gender })));
        for (const g of gender!.groups) if (g.count !== null) expect(g.count === 0 || g.count >= MIN_GROUP_SIZE).toBe(true);
        if (gender!.answered !== null) {
          const hidden = gender!.groups.filter((g) => g.count === null);
          expect(hidden.length).not.toBe(1);
        }
      }),
    );
  });
});
