import { isActive, type Stage } from './pipeline.ts';

/** What retention needs to know about one person. */
export interface RetentionFacts {
  /** Every application of the person; `updatedAt` is when a hired, rejected or withdrawn one closed. */
  applications: ReadonlyArray<{ stage: Stage; updatedAt: Date }>;
  /** The person agreed to stay in the talent pool on any application. */
  talentPoolConsent: boolean;
  /** Staff placed a legal hold on the person. */
  legalHold: boolean;
  /** Retention or an erasure request already anonymized the person. */
  anonymized: boolean;
}

/** Why a person is kept, in the order the rule checks. */
export type KeepReason = 'already_anonymized' | 'legal_hold' | 'active_application' | 'talent_pool' | 'no_applications' | 'recently_closed';

export type RetentionDecision = { action: 'keep'; reason: KeepReason } | { action: 'erase'; reason: 'retention_expired'; lastClosedAt: Date };

export const MIN_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Decides whether a person's data is kept or erased. Kept when already anonymized (nothing
 * left to erase), on legal hold, with any active application, with talent-pool consent, with
 * no application at all (an account alone is not an applicant's record), or when the last
 * application closed `days` days ago or less. Otherwise erased.
 */
export function decideRetention(facts: RetentionFacts, { now, days }: { now: Date; days: number }): RetentionDecision {
  if (facts.anonymized) return { action: 'keep', reason: 'already_anonymized' };
  if (facts.legalHold) return { action: 'keep', reason: 'legal_hold' };
  if (facts.applications.some((a) => isActive(a.stage))) return { action: 'keep', reason: 'active_application' };
  if (facts.talentPoolConsent) return { action: 'keep', reason: 'talent_pool' };
  if (facts.applications.length === 0) return { action: 'keep', reason: 'no_applications' };
  const lastClosedAt = new Date(Math.max(...facts.applications.map((a) => a.updatedAt.getTime())));
  if (now.getTime() - lastClosedAt.getTime() <= days * DAY_MS) return { action: 'keep', reason: 'recently_closed' };
  return { action: 'erase', reason: 'retention_expired', lastClosedAt };
}

/** The newest moment an application may have closed for its person to be erased at `now`. */
export function retentionCutoff({ now, days }: { now: Date; days: number }): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
