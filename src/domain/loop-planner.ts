/**
 * The loop planner: who assesses which principles in one candidate's interview loop, and who
 * is the bar raiser. Pure: the server gathers the job, the hiring team, the chosen interviewers
 * and the reporting lines; this module proposes a plan (`planLoop`) and judges a plan the hiring
 * manager adjusted by hand (`checkPlan`) before they confirm it as the pre-brief.
 *
 * The planner never drops anyone and never refuses: what it cannot resolve it names as a
 * violation, in plain words, and the hiring manager decides. See docs/loops.md for the rules.
 */

/** One interviewer chosen for the loop. */
export interface LoopInterviewer {
  id: number;
  /** Shown in violation messages. */
  name: string;
  /** The job level they hold (1–8, as in LEVELS), compared with the job's level. */
  level: number;
  /** Their manager, or null at the top of the organization. */
  managerId: number | null;
  /** Certified to act as bar raiser. */
  barRaiser: boolean;
}

/** One reporting line: a member of staff and their manager. */
export interface ReportingLine {
  id: number;
  managerId: number | null;
}

export interface PlannerInput {
  job: {
    level: number;
    /** The principles the job emphasizes (slugs), most emphasized first. */
    principles: readonly string[];
  };
  /** Every principle of the content pack, in pack order: names for messages, and fillers. */
  catalogue: ReadonlyArray<{ slug: string; name: string }>;
  hiringManagerId: number;
  /** The job's hiring team (hiring manager, recruiters, interviewers), by staff id. */
  hiringTeamIds: readonly number[];
  /** The chosen interviewers, in the order the loop runs. A repeated id counts once. */
  interviewers: readonly LoopInterviewer[];
  /**
   * Reporting lines of other staff, at least the hiring manager's and those above them. An
   * interviewer's own `managerId` takes precedence over a line given here for the same id.
   * Lines may form cycles (bad data); every walk stops at a person it has already seen.
   */
  staff: readonly ReportingLine[];
  /** Principles this candidate's earlier interviews already assessed: they count as covered. */
  alreadyCovered: readonly string[];
  /** The hiring manager asked for principles to be assessed more than once. */
  allowDuplicates?: boolean;
  /** The bar raiser the hiring manager would like; used when they are eligible. */
  barRaiserId?: number | null;
}

export const LOOP_ROLES = ['bar_raiser', 'hiring_manager', 'interviewer'] as const;
export type LoopRole = (typeof LOOP_ROLES)[number];

/** One interviewer's part in the loop. */
export interface Assignment {
  interviewerId: number;
  role: LoopRole;
  /** Principle slugs, in the order the interview takes them. */
  principles: string[];
}

export const VIOLATION_CODES = [
  'interviewer_mismatch',
  'unknown_principle',
  'uncovered_principle',
  'duplicate_principle',
  'too_few_principles',
  'too_many_principles',
  'below_level',
  'future_direct_report',
  'no_bar_raiser',
  'several_bar_raisers',
  'bar_raiser_not_certified',
  'bar_raiser_conflict',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

/** A rule the plan breaks, with the people and principles concerned (possibly none). */
export interface Violation {
  code: ViolationCode;
  /** One plain-English sentence naming who and what. */
  message: string;
  interviewerIds: number[];
  principles: string[];
}

export interface LoopPlan {
  /** One per interviewer, in the order of `input.interviewers`. */
  assignments: Assignment[];
  /** Exactly what `checkPlan(input, plan)` reports for these assignments. */
  violations: Violation[];
}

/** Each interview assesses this many principles. */
export const MIN_PRINCIPLES = 2;
export const MAX_PRINCIPLES = 3;

/** Why someone may not be the bar raiser, in the order the rule checks. */
export type BarRaiserConflict = 'hiring_manager' | 'hiring_team' | 'manages_hiring_manager' | 'reports_to_hiring_manager';

const CONFLICT_WORDS: Record<BarRaiserConflict, string> = {
  hiring_manager: 'they are the hiring manager',
  hiring_team: 'they are on the hiring team',
  manages_hiring_manager: 'they are above the hiring manager in the reporting chain',
  reports_to_hiring_manager: 'they report to the hiring manager',
};

/** The walk up from `id`: their manager, their manager's manager, … stopping at a repeat. */
function chainAbove(managers: ReadonlyMap<number, number | null>, id: number): number[] {
  const seen = new Set<number>([id]);
  const chain: number[] = [];
  let next = managers.get(id) ?? null;
  while (next !== null && !seen.has(next)) {
    seen.add(next);
    chain.push(next);
    next = managers.get(next) ?? null;
  }
  return chain;
}

function managerMap(input: PlannerInput): Map<number, number | null> {
  const managers = new Map<number, number | null>();
  for (const line of input.staff) managers.set(line.id, line.managerId);
  for (const person of input.interviewers) managers.set(person.id, person.managerId);
  return managers;
}

function uniqueInterviewers(input: PlannerInput): LoopInterviewer[] {
  const byId = new Map<number, LoopInterviewer>();
  for (const person of input.interviewers) if (!byId.has(person.id)) byId.set(person.id, person);
  return [...byId.values()];
}

/**
 * Why `id` may not be the bar raiser, or null when nothing stands in the way (certification
 * aside). The hiring manager's reporting chain counts both ways: those above the hiring manager
 * (who judge the hiring manager) and those below (whom the hiring manager judges) are neither
 * independent of the hire.
 */
export function barRaiserConflict(input: PlannerInput, id: number): BarRaiserConflict | null {
  return conflictWith(input, managerMap(input), id);
}

function conflictWith(input: PlannerInput, managers: ReadonlyMap<number, number | null>, id: number): BarRaiserConflict | null {
  if (id === input.hiringManagerId) return 'hiring_manager';
  if (input.hiringTeamIds.includes(id)) return 'hiring_team';
  if (chainAbove(managers, input.hiringManagerId).includes(id)) return 'manages_hiring_manager';
  if (chainAbove(managers, id).includes(input.hiringManagerId)) return 'reports_to_hiring_manager';
  return null;
}

/**
 * A future direct report: an interviewer who reports directly to the hiring manager and holds a
 * lower level than the job. The hire joins the hiring manager's team above them, so they may
 * well end up reporting to the person they are judging.
 */
export function isFutureDirectReport(input: PlannerInput, person: LoopInterviewer): boolean {
  return person.id !== input.hiringManagerId && person.managerId === input.hiringManagerId && person.level < input.job.level;
}

/** The certified interviewers without a conflict, in the planner's order of preference. */
export function eligibleBarRaisers(input: PlannerInput): LoopInterviewer[] {
  const managers = managerMap(input);
  return uniqueInterviewers(input)
    .filter((p) => p.barRaiser && conflictWith(input, managers, p.id) === null)
    .sort((a, b) => b.level - a.level || a.id - b.id);
}

/**
 * The bar raiser the planner picks: the preferred one when certified, free of conflicts and at
 * or above the job's level; otherwise the eligible interviewer with the highest level, the
 * lowest id among equals; null when no one is eligible.
 */
export function chooseBarRaiser(input: PlannerInput): number | null {
  const eligible = eligibleBarRaisers(input);
  const preferred = eligible.find((p) => p.id === input.barRaiserId);
  if (preferred && preferred.level >= input.job.level) return preferred.id;
  return eligible[0]?.id ?? null;
}

/**
 * Proposes a plan. Principles are dealt in this order, each interviewer taking the next two or
 * three in turn: the emphasized principles not yet covered (most emphasized first), then the
 * emphasized ones covered earlier, then the pack's other principles not covered earlier, then
 * the rest. Everyone gets three while uncovered principles remain; otherwise everyone gets two
 * or three, as evenly as possible, earlier interviewers taking the third. Without enough
 * distinct principles, interviewers keep fewer rather than share one (unless duplicates are
 * allowed, when the list starts over). The violations are `checkPlan`'s.
 */
export function planLoop(input: PlannerInput): LoopPlan {
  const people = uniqueInterviewers(input);
  const known = new Set(input.catalogue.map((p) => p.slug));
  const covered = new Set(input.alreadyCovered);
  const emphasized = [...new Set(input.job.principles)].filter((slug) => known.has(slug));
  const emphasizedSet = new Set(emphasized);
  const others = input.catalogue.map((p) => p.slug).filter((slug) => !emphasizedSet.has(slug));
  const required = emphasized.filter((slug) => !covered.has(slug));
  const pool = [
    ...required,
    ...emphasized.filter((slug) => covered.has(slug)),
    ...others.filter((slug) => !covered.has(slug)),
    ...others.filter((slug) => covered.has(slug)),
  ];

  const n = people.length;
  const wanted = Math.min(MAX_PRINCIPLES * n, Math.max(required.length, MIN_PRINCIPLES * n));
  const total = input.allowDuplicates ? wanted : Math.min(wanted, pool.length);
  const base = n === 0 ? 0 : Math.floor(total / n);
  const extra = total - base * n;
  const barRaiserId = chooseBarRaiser(input);

  let next = 0;
  const assignments = people.map((person, index): Assignment => {
    // With duplicates allowed the pool repeats; a chunk no longer than the pool holds no repeat.
    const count = Math.min(base + (index < extra ? 1 : 0), pool.length);
    const principles: string[] = [];
    for (let k = 0; k < count; k++, next++) principles.push(pool[next % pool.length]!);
    const role: LoopRole = person.id === barRaiserId ? 'bar_raiser' : person.id === input.hiringManagerId ? 'hiring_manager' : 'interviewer';
    return { interviewerId: person.id, role, principles };
  });
  return { assignments, violations: checkPlan(input, { assignments }) };
}

/**
 * Every rule `assignments` breaks, in a fixed order: the plan's people, unknown principles,
 * coverage, duplicates, counts, levels, then the bar raiser. An empty list means the hiring
 * manager may confirm the pre-brief as it stands.
 */
export function checkPlan(input: PlannerInput, plan: { assignments: readonly Assignment[] }): Violation[] {
  const violations: Violation[] = [];
  const add = (code: ViolationCode, message: string, interviewerIds: number[] = [], principles: string[] = []) =>
    violations.push({ code, message, interviewerIds, principles });

  const people = uniqueInterviewers(input);
  const byId = new Map(people.map((p) => [p.id, p]));
  const managers = managerMap(input);
  const principleName = new Map(input.catalogue.map((p) => [p.slug, p.name]));
  const name = (id: number) => byId.get(id)?.name ?? `staff member #${id}`;
  const names = (ids: readonly number[]) => listOf(ids.map(name));
  const title = (slug: string) => `“${principleName.get(slug) ?? slug}”`;

  // The plan's people: one assignment per chosen interviewer, the hiring manager's role theirs only.
  const assigned = new Map<number, Assignment>();
  for (const a of plan.assignments) {
    if (!byId.has(a.interviewerId)) {
      add('interviewer_mismatch', `${name(a.interviewerId)} is not one of this loop's interviewers.`, [a.interviewerId]);
    } else if (assigned.has(a.interviewerId)) {
      add('interviewer_mismatch', `${name(a.interviewerId)} appears more than once in the plan.`, [a.interviewerId]);
    } else {
      assigned.set(a.interviewerId, a);
      if (a.role === 'hiring_manager' && a.interviewerId !== input.hiringManagerId) {
        add('interviewer_mismatch', `${name(a.interviewerId)} is marked as the hiring manager but is not.`, [a.interviewerId]);
      }
      if (a.role === 'interviewer' && a.interviewerId === input.hiringManagerId) {
        add('interviewer_mismatch', `${name(a.interviewerId)} is the hiring manager and should be marked so.`, [a.interviewerId]);
      }
    }
  }
  const valid = people.filter((p) => assigned.has(p.id)).map((p) => assigned.get(p.id)!);

  // Who holds each principle, in plan order (an id twice when someone holds it twice).
  const holders = new Map<string, number[]>();
  for (const a of valid) for (const slug of a.principles) holders.set(slug, [...(holders.get(slug) ?? []), a.interviewerId]);

  const unknown = [...new Set([...input.job.principles, ...holders.keys()])].filter((slug) => !principleName.has(slug));
  for (const slug of unknown) {
    const ids = [...new Set(holders.get(slug) ?? [])];
    const where = [input.job.principles.includes(slug) ? 'the job emphasizes it' : '', ids.length ? `assigned to ${names(ids)}` : '']
      .filter(Boolean)
      .join('; ');
    add('unknown_principle', `“${slug}” is not a principle of the content pack (${where}).`, ids, [slug]);
  }

  const covered = new Set(input.alreadyCovered);
  for (const slug of new Set(input.job.principles)) {
    if (principleName.has(slug) && !covered.has(slug) && !holders.has(slug)) {
      add('uncovered_principle', `No one assesses ${title(slug)}, which the job emphasizes.`, [], [slug]);
    }
  }

  for (const [slug, ids] of holders) {
    if (!principleName.has(slug) || ids.length < 2) continue;
    const distinct = [...new Set(ids)];
    const twice = distinct.filter((id) => ids.indexOf(id) !== ids.lastIndexOf(id));
    if (twice.length > 0) {
      add('duplicate_principle', `${names(twice)} ${twice.length > 1 ? 'have' : 'has'} ${title(slug)} twice in one interview.`, twice, [slug]);
    }
    if (distinct.length > 1 && !input.allowDuplicates) {
      add('duplicate_principle', `${title(slug)} is assessed by ${names(distinct)}; each principle should be assessed once.`, distinct, [slug]);
    }
  }

  for (const person of people) {
    const count = assigned.get(person.id)?.principles.length ?? 0;
    if (count < MIN_PRINCIPLES) {
      const has = count === 0 ? 'no principle' : 'only one principle';
      add('too_few_principles', `${person.name} has ${has} to assess; each interview takes ${MIN_PRINCIPLES} or ${MAX_PRINCIPLES}.`, [person.id]);
    } else if (count > MAX_PRINCIPLES) {
      add('too_many_principles', `${person.name} has ${count} principles to assess; each interview takes ${MIN_PRINCIPLES} or ${MAX_PRINCIPLES}.`, [person.id]);
    }
  }

  for (const person of people) {
    if (person.level >= input.job.level) continue;
    const role = assigned.get(person.id)?.role === 'bar_raiser' ? 'is the bar raiser but holds' : 'holds';
    if (isFutureDirectReport(input, person)) {
      add(
        'future_direct_report',
        `${person.name} reports to the hiring manager at level ${person.level}, below the job's level ${input.job.level}: they may end up reporting to the candidate.`,
        [person.id],
      );
    } else {
      add('below_level', `${person.name} ${role} level ${person.level}, below the job's level ${input.job.level}.`, [person.id]);
    }
  }

  const barRaisers = valid.filter((a) => a.role === 'bar_raiser').map((a) => a.interviewerId);
  if (barRaisers.length === 0) {
    const eligible = eligibleBarRaisers(input);
    const certified = people.filter((p) => p.barRaiser);
    const why =
      eligible.length > 0
        ? `choose one of ${names(eligible.map((p) => p.id))}`
        : certified.length > 0
          ? `every certified interviewer (${names(certified.map((p) => p.id))}) is the hiring manager, on the hiring team or in the hiring manager's reporting chain`
          : 'none of the interviewers is a certified bar raiser';
    add('no_bar_raiser', `The loop has no bar raiser: ${why}.`, eligible.map((p) => p.id));
  } else if (barRaisers.length > 1) {
    add('several_bar_raisers', `The loop has ${barRaisers.length} bar raisers (${names(barRaisers)}); it needs exactly one.`, barRaisers);
  }
  for (const id of barRaisers) {
    if (!byId.get(id)!.barRaiser) add('bar_raiser_not_certified', `${name(id)} is not a certified bar raiser.`, [id]);
    const conflict = conflictWith(input, managers, id);
    if (conflict) add('bar_raiser_conflict', `${name(id)} cannot be the bar raiser: ${CONFLICT_WORDS[conflict]}.`, [id]);
  }
  return violations;
}

/** "A", "A and B", "A, B and C". */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
