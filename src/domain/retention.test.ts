import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXITS, isActive, STAGES, type Stage } from './pipeline.ts';
import { decideRetention, retentionCutoff, type RetentionFacts } from './retention.ts';

const now = new Date('2025-06-01T12:00:00Z');
const days = 365;
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const person = (overrides: Partial<RetentionFacts> = {}): RetentionFacts => ({
  applications: [{ stage: 'rejected', updatedAt: daysAgo(400) }],
  talentPoolConsent: false,
  legalHold: false,
  anonymized: false,
  ...overrides,
});
const decide = (facts: RetentionFacts) => decideRetention(facts, { now, days });

const ALL_STAGES: Stage[] = [...STAGES, ...EXITS];
const CLOSED: Stage[] = ALL_STAGES.filter((s) => !isActive(s));
const ACTIVE: Stage[] = ALL_STAGES.filter(isActive);

describe('decideRetention', () => {
  it.each(CLOSED)('erases a person whose only application closed as %s more than the period ago', (stage) => {
    expect(decide(person({ applications: [{ stage, updatedAt: daysAgo(366) }] }))).toEqual({
      action: 'erase',
      reason: 'retention_expired',
      lastClosedAt: daysAgo(366),
    });
  });

  it.each(ACTIVE)('keeps a person with an application still at %s, however old', (stage) => {
    const facts = person({ applications: [{ stage, updatedAt: daysAgo(5000) }, { stage: 'rejected', updatedAt: daysAgo(5000) }] });
    expect(decide(facts)).toEqual({ action: 'keep', reason: 'active_application' });
  });

  it('keeps a person who consented to the talent pool', () => {
    expect(decide(person({ talentPoolConsent: true }))).toEqual({ action: 'keep', reason: 'talent_pool' });
  });

  it('keeps a person on legal hold, even with a talent-pool consent and active applications', () => {
    const facts = person({ legalHold: true, talentPoolConsent: true, applications: [{ stage: 'screen', updatedAt: daysAgo(2) }] });
    expect(decide(facts)).toEqual({ action: 'keep', reason: 'legal_hold' });
  });

  it('leaves an anonymized person alone, whatever else is true', () => {
    expect(decide(person({ anonymized: true, legalHold: true }))).toEqual({ action: 'keep', reason: 'already_anonymized' });
  });

  it('keeps a person with an account and no applications', () => {
    expect(decide(person({ applications: [] }))).toEqual({ action: 'keep', reason: 'no_applications' });
  });

  it('measures from the last application to close, not the first', () => {
    const facts = person({ applications: [{ stage: 'rejected', updatedAt: daysAgo(900) }, { stage: 'withdrawn', updatedAt: daysAgo(30) }] });
    expect(decide(facts)).toEqual({ action: 'keep', reason: 'recently_closed' });
  });

  it('keeps a person whose application closed exactly the period ago, and erases one a millisecond older', () => {
    const exactly = daysAgo(days);
    expect(decide(person({ applications: [{ stage: 'hired', updatedAt: exactly }] })).action).toBe('keep');
    const older = new Date(exactly.getTime() - 1);
    expect(decide(person({ applications: [{ stage: 'hired', updatedAt: older }] })).action).toBe('erase');
  });

  it('gives the cutoff the database compares with: now minus the period', () => {
    expect(retentionCutoff({ now, days: 30 })).toEqual(daysAgo(30));
  });
});

describe('decideRetention, for any person', () => {
  const application = fc.record({
    stage: fc.constantFrom(...ALL_STAGES),
    updatedAt: fc.integer({ min: 0, max: 3000 }).map((n) => daysAgo(n / 2)),
  });
  const facts = fc.record({
    applications: fc.array(application, { maxLength: 6 }),
    talentPoolConsent: fc.boolean(),
    legalHold: fc.boolean(),
    anonymized: fc.boolean(),
  });
  const period = fc.integer({ min: 30, max: 3650 });

  it('erases exactly when nothing protects the person and every application closed more than the period ago', () => {
    fc.assert(
      fc.property(facts, period, (f, d) => {
        const expected =
          !f.anonymized &&
          !f.legalHold &&
          !f.talentPoolConsent &&
          f.applications.length > 0 &&
          f.applications.every((a) => !isActive(a.stage) && now.getTime() - a.updatedAt.getTime() > d * 86_400_000);
        expect(decideRetention(f, { now, days: d }).action === 'erase').toBe(expected);
      }),
    );
  });

  it('never erases a person on legal hold, with an active application or with talent-pool consent', () => {
    fc.assert(
      fc.property(facts, period, (f, d) => {
        const protectedPerson = f.legalHold || f.talentPoolConsent || f.applications.some((a) => isActive(a.stage));
        fc.pre(protectedPerson);
        expect(decideRetention(f, { now, days: d }).action).toBe('keep');
      }),
    );
  });

  it('erases no one more when the period grows (a longer period only keeps more)', () => {
    fc.assert(
      fc.property(facts, period, period, (f, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        if (decideRetention(f, { now, days: long }).action === 'erase') expect(decideRetention(f, { now, days: short }).action).toBe('erase');
      }),
    );
  });

  it('does not depend on the order of the applications', () => {
    fc.assert(
      fc.property(facts, period, (f, d) => {
        const reversed = { ...f, applications: [...f.applications].reverse() };
        expect(decideRetention(reversed, { now, days: d })).toEqual(decideRetention(f, { now, days: d }));
      }),
    );
  });
});
