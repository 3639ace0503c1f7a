import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  barRaiserConflict,
  checkPlan,
  chooseBarRaiser,
  planLoop,
  type Assignment,
  type LoopInterviewer,
  type PlannerInput,
  type ViolationCode,
} from './loop-planner.ts';

const catalogue = ['ownership', 'customers', 'dive-deep', 'bias-for-action', 'frugality', 'learn', 'hire-develop', 'deliver'].map((slug) => ({
  slug,
  name: slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
}));

// The hiring manager (1) reports to 2, who reports to 3. 4 reports to 1; 5, 6, 7, 8 sit elsewhere.
const person = (id: number, overrides: Partial<LoopInterviewer> = {}): LoopInterviewer => ({
  id,
  name: `Person ${id}`,
  level: 6,
  managerId: 9,
  barRaiser: false,
  ...overrides,
});
const staff = [
  { id: 1, managerId: 2 },
  { id: 2, managerId: 3 },
  { id: 3, managerId: null },
  { id: 9, managerId: 3 },
];
const input = (overrides: Partial<PlannerInput> = {}): PlannerInput => ({
  job: { level: 5, principles: ['customers', 'ownership', 'dive-deep', 'deliver'] },
  catalogue,
  hiringManagerId: 1,
  hiringTeamIds: [1, 10],
  interviewers: [person(1, { managerId: 2, level: 7 }), person(5, { barRaiser: true }), person(6), person(7)],
  staff,
  alreadyCovered: [],
  ...overrides,
});
const codes = (plan: { violations: { code: ViolationCode }[] }) => plan.violations.map((v) => v.code);
const principlesOf = (assignments: Assignment[]) => assignments.flatMap((a) => a.principles);

describe('planLoop', () => {
  it('deals the emphasized principles first, two or three to each interviewer, and finds no fault', () => {
    const plan = planLoop(input());
    expect(plan.assignments).toEqual([
      { interviewerId: 1, role: 'hiring_manager', principles: ['customers', 'ownership'] },
      { interviewerId: 5, role: 'bar_raiser', principles: ['dive-deep', 'deliver'] },
      { interviewerId: 6, role: 'interviewer', principles: ['bias-for-action', 'frugality'] },
      { interviewerId: 7, role: 'interviewer', principles: ['learn', 'hire-develop'] },
    ]);
    expect(plan.violations).toEqual([]);
  });

  it('gives everyone three and names what is left when the job emphasizes more than the loop can hold', () => {
    const plan = planLoop(input({ interviewers: [person(5, { barRaiser: true }), person(6)], job: { level: 5, principles: catalogue.map((p) => p.slug) } }));
    expect(plan.assignments.map((a) => a.principles.length)).toEqual([3, 3]);
    expect(plan.violations.filter((v) => v.code === 'uncovered_principle').map((v) => v.principles)).toEqual([['hire-develop'], ['deliver']]);
    expect(plan.violations[0]!.message).toBe('No one assesses “Hire develop”, which the job emphasizes.');
  });

  it('does not ask again for principles earlier interviews covered, and gives them out only when there is room', () => {
    const plan = planLoop(
      input({
        interviewers: [person(5, { barRaiser: true }), person(6)],
        job: { level: 5, principles: ['customers', 'ownership', 'dive-deep', 'deliver', 'learn', 'frugality'] },
        alreadyCovered: ['customers', 'ownership'],
      }),
    );
    expect(plan.assignments.map((a) => a.principles)).toEqual([
      ['dive-deep', 'deliver'],
      ['learn', 'frugality'],
    ]);
    expect(plan.violations).toEqual([]);

    const roomy = planLoop(input({ interviewers: [person(5, { barRaiser: true }), person(6)], job: { level: 5, principles: ['customers', 'dive-deep'] }, alreadyCovered: ['customers'] }));
    expect(roomy.assignments.map((a) => a.principles)).toEqual([
      ['dive-deep', 'customers'],
      ['ownership', 'bias-for-action'],
    ]);
  });

  it('leaves interviewers short rather than repeat a principle, and says who is short', () => {
    const small = catalogue.slice(0, 3);
    const plan = planLoop(input({ catalogue: small, job: { level: 5, principles: ['customers'] }, interviewers: [person(5, { barRaiser: true }), person(6)] }));
    expect(plan.assignments.map((a) => a.principles)).toEqual([['customers', 'ownership'], ['dive-deep']]);
    expect(plan.violations).toEqual([
      { code: 'too_few_principles', message: 'Person 6 has only one principle to assess; each interview takes 2 or 3.', interviewerIds: [6], principles: [] },
    ]);
  });

  it('repeats principles to give everyone two when the hiring manager allows duplicates', () => {
    const small = catalogue.slice(0, 3);
    const plan = planLoop(input({ catalogue: small, job: { level: 5, principles: ['customers'] }, interviewers: [person(5, { barRaiser: true }), person(6)], allowDuplicates: true }));
    expect(plan.assignments.map((a) => a.principles)).toEqual([
      ['customers', 'ownership'],
      ['dive-deep', 'customers'],
    ]);
    expect(plan.violations).toEqual([]);
  });

  it('takes the preferred bar raiser when they are eligible, else the most senior eligible one, lowest id among equals', () => {
    const people = [person(5, { barRaiser: true, level: 6 }), person(6, { barRaiser: true, level: 7 }), person(7, { barRaiser: true, level: 7 }), person(8)];
    expect(chooseBarRaiser(input({ interviewers: people }))).toBe(6);
    expect(chooseBarRaiser(input({ interviewers: people, barRaiserId: 5 }))).toBe(5);
    expect(chooseBarRaiser(input({ interviewers: people, barRaiserId: 8 }))).toBe(6);
    expect(chooseBarRaiser(input({ interviewers: [person(5, { barRaiser: true, level: 4 }), ...people.slice(1)], barRaiserId: 5 }))).toBe(6);
  });

  it('never makes the hiring manager, the hiring team or the hiring manager’s chain the bar raiser', () => {
    const conflicted = [
      person(1, { managerId: 2, barRaiser: true, level: 8 }),
      person(10, { barRaiser: true, level: 8 }),
      person(2, { managerId: 3, barRaiser: true, level: 8 }),
      person(3, { managerId: null, barRaiser: true, level: 8 }),
      person(4, { managerId: 1, barRaiser: true, level: 8 }),
      person(11, { managerId: 4, barRaiser: true, level: 8 }),
    ];
    const plan = planLoop(input({ interviewers: conflicted }));
    expect(plan.assignments.some((a) => a.role === 'bar_raiser')).toBe(false);
    expect(plan.violations.find((v) => v.code === 'no_bar_raiser')?.message).toBe(
      "The loop has no bar raiser: every certified interviewer (Person 1, Person 10, Person 2, Person 3, Person 4 and Person 11) is the hiring manager, on the hiring team or in the hiring manager's reporting chain.",
    );
    const reasons = conflicted.map((p) => barRaiserConflict(input({ interviewers: conflicted }), p.id));
    expect(reasons).toEqual(['hiring_manager', 'hiring_team', 'manages_hiring_manager', 'manages_hiring_manager', 'reports_to_hiring_manager', 'reports_to_hiring_manager']);
  });

  it('says when no interviewer is certified at all', () => {
    const plan = planLoop(input({ interviewers: [person(5), person(6)] }));
    expect(plan.violations.at(-1)).toEqual({ code: 'no_bar_raiser', message: 'The loop has no bar raiser: none of the interviewers is a certified bar raiser.', interviewerIds: [], principles: [] });
  });

  it('names interviewers below the job’s level, and calls a lower-level direct report of the hiring manager a future direct report', () => {
    const plan = planLoop(input({ interviewers: [person(5, { barRaiser: true, level: 4 }), person(6, { level: 3 }), person(4, { managerId: 1, level: 4 }), person(7, { managerId: 1, level: 5 })] }));
    expect(plan.violations.map((v) => [v.code, v.interviewerIds, v.message])).toEqual([
      ['below_level', [5], "Person 5 is the bar raiser but holds level 4, below the job's level 5."],
      ['below_level', [6], "Person 6 holds level 3, below the job's level 5."],
      ['future_direct_report', [4], "Person 4 reports to the hiring manager at level 4, below the job's level 5: they may end up reporting to the candidate."],
    ]);
  });

  it('stops walking reporting chains that loop back on themselves', () => {
    const cyclic = [
      { id: 1, managerId: 2 },
      { id: 2, managerId: 3 },
      { id: 3, managerId: 1 },
      { id: 20, managerId: 20 },
    ];
    const people = [person(20, { managerId: 20, barRaiser: true }), person(21, { managerId: 22, barRaiser: true, level: 8 }), person(22, { managerId: 21 })];
    const plan = planLoop(input({ staff: cyclic, interviewers: people }));
    expect(plan.assignments.find((a) => a.role === 'bar_raiser')?.interviewerId).toBe(21);
    expect(barRaiserConflict(input({ staff: cyclic, interviewers: [person(3, { managerId: 1, barRaiser: true })] }), 3)).toBe('manages_hiring_manager');
  });

  it('counts a repeated interviewer once', () => {
    const plan = planLoop(input({ interviewers: [person(5, { barRaiser: true }), person(5, { barRaiser: true }), person(6)] }));
    expect(plan.assignments.map((a) => a.interviewerId)).toEqual([5, 6]);
  });

  it('plans an empty loop as all faults: everything uncovered and no bar raiser', () => {
    expect(codes(planLoop(input({ interviewers: [] })))).toEqual(['uncovered_principle', 'uncovered_principle', 'uncovered_principle', 'uncovered_principle', 'no_bar_raiser']);
  });

  it('reports a principle the job emphasizes that the content pack lacks, and does not assign it', () => {
    const plan = planLoop(input({ job: { level: 5, principles: ['customers', 'vanished'] } }));
    expect(principlesOf(plan.assignments)).not.toContain('vanished');
    expect(plan.violations).toEqual([
      { code: 'unknown_principle', message: '“vanished” is not a principle of the content pack (the job emphasizes it).', interviewerIds: [], principles: ['vanished'] },
    ]);
  });
});

describe('checkPlan, on a plan the hiring manager adjusted', () => {
  const base = input();
  const planned = planLoop(base).assignments;
  const edit = (index: number, change: Partial<Assignment>) => planned.map((a, i) => (i === index ? { ...a, ...change } : a));

  it('accepts the planner’s plan as it is', () => {
    expect(checkPlan(base, { assignments: planned })).toEqual([]);
  });

  it('names a principle moved away so that no one covers it', () => {
    const v = checkPlan(base, { assignments: edit(0, { principles: ['ownership', 'learn'] }) });
    expect(v.map((x) => [x.code, x.principles])).toEqual([
      ['uncovered_principle', ['customers']],
      ['duplicate_principle', ['learn']],
    ]);
    expect(v[1]!.message).toBe('“Learn” is assessed by Person 1 and Person 7; each principle should be assessed once.');
  });

  it('allows two interviewers on one principle when the hiring manager asks, but never twice in one interview', () => {
    const twice = edit(0, { principles: ['customers', 'ownership', 'learn'] });
    expect(checkPlan({ ...base, allowDuplicates: true }, { assignments: twice })).toEqual([]);
    const same = edit(0, { principles: ['customers', 'customers', 'ownership'] });
    expect(checkPlan({ ...base, allowDuplicates: true }, { assignments: same })).toEqual([
      { code: 'duplicate_principle', message: 'Person 1 has “Customers” twice in one interview.', interviewerIds: [1], principles: ['customers'] },
    ]);
  });

  it('counts principles per interview: fewer than two or more than three is named', () => {
    expect(codes({ violations: checkPlan(base, { assignments: edit(2, { principles: ['bias-for-action'] }) }) })).toEqual(['too_few_principles']);
    expect(codes({ violations: checkPlan(base, { assignments: edit(2, { principles: ['bias-for-action', 'frugality', 'ownership', 'learn'] }) }) })).toEqual([
      'duplicate_principle',
      'duplicate_principle',
      'too_many_principles',
    ]);
    const missing = planned.filter((a) => a.interviewerId !== 6);
    expect(checkPlan(base, { assignments: missing })).toEqual([
      { code: 'too_few_principles', message: 'Person 6 has no principle to assess; each interview takes 2 or 3.', interviewerIds: [6], principles: [] },
    ]);
  });

  it('names a principle that is not in the content pack', () => {
    expect(checkPlan(base, { assignments: edit(3, { principles: ['learn', 'telepathy'] }) })).toEqual([
      { code: 'unknown_principle', message: '“telepathy” is not a principle of the content pack (assigned to Person 7).', interviewerIds: [7], principles: ['telepathy'] },
    ]);
  });

  it('refuses strangers, repeated entries and a hiring-manager role in the wrong hands', () => {
    const v = checkPlan(base, {
      assignments: [...edit(2, { role: 'hiring_manager' }), { interviewerId: 99, role: 'interviewer', principles: ['learn', 'deliver'] }, planned[3]!],
    });
    expect(v.map((x) => x.message)).toEqual([
      'Person 6 is marked as the hiring manager but is not.',
      "staff member #99 is not one of this loop's interviewers.",
      'Person 7 appears more than once in the plan.',
    ]);
    expect(checkPlan(base, { assignments: edit(0, { role: 'interviewer' }) }).map((x) => x.code)).toEqual(['interviewer_mismatch']);
  });

  it('names several bar raisers, an uncertified one and a conflicted one', () => {
    const v = checkPlan(base, { assignments: edit(0, { role: 'bar_raiser' }).map((a) => (a.interviewerId === 6 ? { ...a, role: 'bar_raiser' as const } : a)) });
    expect(v.map((x) => [x.code, x.interviewerIds])).toEqual([
      ['several_bar_raisers', [1, 5, 6]],
      ['bar_raiser_not_certified', [1]],
      ['bar_raiser_conflict', [1]],
      ['bar_raiser_not_certified', [6]],
    ]);
    expect(v[2]!.message).toBe('Person 1 cannot be the bar raiser: they are the hiring manager.');
  });

  it('names the eligible bar raisers when none is chosen', () => {
    const v = checkPlan(base, { assignments: edit(1, { role: 'interviewer' }) });
    expect(v).toEqual([{ code: 'no_bar_raiser', message: 'The loop has no bar raiser: choose one of Person 5.', interviewerIds: [5], principles: [] }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random organizations: staff 1..S with arbitrary managers (self-loops and cycles
// included), a hiring manager among them, a random hiring team, random interviewers in random
// order, a pack of K principles, a job emphasizing a random ordered subset (sometimes with a
// slug the pack lacks), and random earlier coverage.

const organization = fc.integer({ min: 1, max: 12 }).chain((size) => {
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const id = fc.integer({ min: 1, max: size });
  return fc.integer({ min: 0, max: 14 }).chain((packSize) => {
    const slugs = Array.from({ length: packSize }, (_, i) => `p${i + 1}`);
    return fc
      .record({
        managers: fc.array(fc.option(id, { nil: null }), { minLength: size, maxLength: size }),
        levels: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: size, maxLength: size }),
        certified: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
        hiringManagerId: id,
        team: fc.subarray(ids),
        chosen: fc.shuffledSubarray(ids),
        emphasized: fc.shuffledSubarray([...slugs, 'ghost']),
        covered: fc.subarray([...slugs, 'ghost']),
        level: fc.integer({ min: 1, max: 8 }),
        allowDuplicates: fc.boolean(),
        preferred: fc.option(id, { nil: null }),
      })
      .map(
        (r): PlannerInput => ({
          job: { level: r.level, principles: r.emphasized },
          catalogue: slugs.map((slug) => ({ slug, name: slug.toUpperCase() })),
          hiringManagerId: r.hiringManagerId,
          hiringTeamIds: r.team,
          interviewers: r.chosen.map((i) => ({ id: i, name: `N${i}`, level: r.levels[i - 1]!, managerId: r.managers[i - 1]!, barRaiser: r.certified[i - 1]! })),
          staff: ids.map((i) => ({ id: i, managerId: r.managers[i - 1]! })),
          alreadyCovered: r.covered,
          allowDuplicates: r.allowDuplicates,
          barRaiserId: r.preferred,
        }),
      );
  });
});

/** An independent reading of the conflict rule: bounded walks instead of a visited set. */
function conflicted(input: PlannerInput, id: number): boolean {
  const manager = new Map(input.staff.map((s) => [s.id, s.managerId]));
  const steps = input.staff.length + 1;
  const above = (from: number, target: number) => {
    let at: number | null | undefined = manager.get(from);
    for (let i = 0; i < steps && at != null; i++, at = manager.get(at)) if (at === target) return true;
    return false;
  };
  return id === input.hiringManagerId || input.hiringTeamIds.includes(id) || above(input.hiringManagerId, id) || above(id, input.hiringManagerId);
}

describe('planLoop, for any organization, job and loop', () => {
  it('covers every emphasized principle not covered before, or names it uncovered', () => {
    fc.assert(
      fc.property(organization, (i) => {
        const plan = planLoop(i);
        const assigned = new Set(principlesOf(plan.assignments));
        const uncovered = new Set(plan.violations.filter((v) => v.code === 'uncovered_principle').flatMap((v) => v.principles));
        const known = new Set(i.catalogue.map((p) => p.slug));
        for (const slug of i.job.principles) {
          if (!known.has(slug) || i.alreadyCovered.includes(slug)) continue;
          expect(assigned.has(slug) !== uncovered.has(slug)).toBe(true);
        }
        // Uncovered principles remain only when every interviewer already has three.
        if (uncovered.size > 0) expect(plan.assignments.every((a) => a.principles.length === 3)).toBe(true);
      }),
    );
  });

  it('assigns only principles of the pack, and none twice unless duplicates are allowed', () => {
    fc.assert(
      fc.property(organization, (i) => {
        const plan = planLoop(i);
        const all = principlesOf(plan.assignments);
        expect(all.every((slug) => i.catalogue.some((p) => p.slug === slug))).toBe(true);
        if (!i.allowDuplicates) expect(new Set(all).size).toBe(all.length);
        for (const a of plan.assignments) expect(new Set(a.principles).size).toBe(a.principles.length);
        expect(codes(plan)).not.toContain('duplicate_principle');
      }),
    );
  });

  it('gives every interviewer two or three principles, or names them; short only when the pack is too small', () => {
    fc.assert(
      fc.property(organization, (i) => {
        const plan = planLoop(i);
        const named = new Set(plan.violations.filter((v) => v.code === 'too_few_principles' || v.code === 'too_many_principles').flatMap((v) => v.interviewerIds));
        for (const a of plan.assignments) {
          const ok = a.principles.length >= 2 && a.principles.length <= 3;
          expect(ok || named.has(a.interviewerId)).toBe(true);
          expect(a.principles.length).toBeLessThanOrEqual(3);
        }
        const distinct = i.catalogue.length;
        const enough = i.allowDuplicates ? distinct >= 2 : distinct >= 2 * plan.assignments.length;
        if (enough) expect(named.size).toBe(0);
      }),
    );
  });

  it('plans each chosen interviewer once, in the order given', () => {
    fc.assert(
      fc.property(organization, (i) => {
        expect(planLoop(i).assignments.map((a) => a.interviewerId)).toEqual(i.interviewers.map((p) => p.id));
      }),
    );
  });

  it('chooses at most one bar raiser, certified and without conflict, and exactly one whenever someone qualifies', () => {
    fc.assert(
      fc.property(organization, (i) => {
        const plan = planLoop(i);
        const chosen = plan.assignments.filter((a) => a.role === 'bar_raiser');
        expect(chosen.length).toBeLessThanOrEqual(1);
        for (const a of chosen) {
          const p = i.interviewers.find((x) => x.id === a.interviewerId)!;
          expect(p.barRaiser).toBe(true);
          expect(conflicted(i, p.id)).toBe(false);
        }
        const qualifies = i.interviewers.some((p) => p.barRaiser && !conflicted(i, p.id));
        expect(chosen.length).toBe(qualifies ? 1 : 0);
        expect(codes(plan).includes('no_bar_raiser')).toBe(!qualifies);
        for (const code of ['several_bar_raisers', 'bar_raiser_conflict', 'bar_raiser_not_certified'] as const) expect(codes(plan)).not.toContain(code);
      }),
      { numRuns: 500 },
    );
  });

  it('names every interviewer below the job’s level, once', () => {
    fc.assert(
      fc.property(organization, (i) => {
        const plan = planLoop(i);
        const named = plan.violations.filter((v) => v.code === 'below_level' || v.code === 'future_direct_report').flatMap((v) => v.interviewerIds);
        const below = i.interviewers.filter((p) => p.level < i.job.level).map((p) => p.id);
        expect(named).toEqual(below);
        const future = plan.violations.filter((v) => v.code === 'future_direct_report').flatMap((v) => v.interviewerIds);
        expect(future).toEqual(i.interviewers.filter((p) => p.level < i.job.level && p.managerId === i.hiringManagerId && p.id !== i.hiringManagerId).map((p) => p.id));
      }),
    );
  });

  it('reports through checkPlan exactly the violations planLoop reports', () => {
    fc.assert(
      fc.property(organization, (i) => {
        const plan = planLoop(i);
        expect(checkPlan(i, { assignments: plan.assignments })).toEqual(plan.violations);
      }),
    );
  });

  it('answers the same input the same way', () => {
    fc.assert(
      fc.property(organization, (i) => {
        expect(planLoop(structuredClone(i))).toEqual(planLoop(i));
      }),
    );
  });

  it('finds a bar-raiser conflict by the same rule as the independent reading, however tangled the chains', () => {
    fc.assert(
      fc.property(organization, fc.integer({ min: 1, max: 12 }), (i, id) => {
        expect(barRaiserConflict(i, id) !== null).toBe(conflicted(i, id));
      }),
    );
  });

  it('finds every violation of a randomly edited plan that an independent count finds', () => {
    const edited = organization.chain((i) => {
      const slugs = [...i.catalogue.map((p) => p.slug), 'ghost'];
      const assignment = (p: LoopInterviewer) =>
        fc.record({
          interviewerId: fc.constant(p.id),
          role: fc.constantFrom('bar_raiser' as const, p.id === i.hiringManagerId ? ('hiring_manager' as const) : ('interviewer' as const)),
          principles: fc.array(fc.constantFrom(...slugs), { maxLength: 4 }),
        });
      return fc.tuple(fc.constant(i), fc.tuple(...i.interviewers.map(assignment)));
    });
    fc.assert(
      fc.property(edited, ([i, assignments]) => {
        const v = checkPlan(i, { assignments });
        const has = (code: ViolationCode, id: number) => v.some((x) => x.code === code && x.interviewerIds.includes(id));
        for (const a of assignments) {
          const n = a.principles.length;
          expect(has('too_few_principles', a.interviewerId)).toBe(n < 2);
          expect(has('too_many_principles', a.interviewerId)).toBe(n > 3);
          expect(has('bar_raiser_conflict', a.interviewerId)).toBe(a.role === 'bar_raiser' && conflicted(i, a.interviewerId));
        }
        const barRaisers = assignments.filter((a) => a.role === 'bar_raiser').length;
        expect(v.some((x) => x.code === 'no_bar_raiser')).toBe(barRaisers === 0);
        expect(v.some((x) => x.code === 'several_bar_raisers')).toBe(barRaisers > 1);
        const all = assignments.flatMap((a) => a.principles);
        const repeated = new Set(all.filter((s, k) => all.indexOf(s) !== k && s !== 'ghost'));
        const reported = new Set(v.filter((x) => x.code === 'duplicate_principle').flatMap((x) => x.principles));
        if (!i.allowDuplicates) expect(reported).toEqual(repeated);
        expect(v.some((x) => x.code === 'unknown_principle')).toBe(all.includes('ghost') || i.job.principles.includes('ghost'));
      }),
    );
  });
});
