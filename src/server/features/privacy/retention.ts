import type { FastifyBaseLogger } from 'fastify';
import { decideRetention, retentionCutoff, type KeepReason } from '../../../domain/retention.ts';
import type { Db } from '../../db/client.ts';
import type { FileStore } from '../../files/file-store.ts';
import { sweepWorkOptions, type Queue, type SweepPolling } from '../../queue.ts';
import { findRetentionCandidates } from './privacy.repository.ts';
import { erasePerson } from './privacy.service.ts';

export interface RetentionOptions {
  db: Db;
  files: FileStore;
  /** The retention period: people whose last application closed more than this many days ago are erased. */
  days: number;
  now?: Date;
  /** Decide and count, change nothing. */
  dryRun?: boolean;
  log?: FastifyBaseLogger;
}

export interface RetentionReport {
  dryRun: boolean;
  days: number;
  cutoff: Date;
  /** People whose applications all closed before the cutoff: the only ones the rule could erase. */
  examined: number;
  /** Erased, or in a dry run, to be erased. */
  erased: number;
  /** Their person ids, in a dry run only (a real run leaves no trail of who was erased beyond the audit events). */
  erasedIds?: number[];
  /** Kept, by reason. */
  kept: Partial<Record<KeepReason, number>>;
  /** Resume files removed from the file store. */
  files: number;
}

/**
 * The retention sweep: erases every person the retention rule says to (see
 * src/domain/retention.ts), one erasure transaction per person, so a failure stops the
 * sweep without undoing those already done and the next run picks up the rest.
 */
export async function runRetention({ db, files, days, now = new Date(), dryRun = false, log }: RetentionOptions): Promise<RetentionReport> {
  const cutoff = retentionCutoff({ now, days });
  const candidates = await findRetentionCandidates(db, cutoff);
  const report: RetentionReport = { dryRun, days, cutoff, examined: candidates.length, erased: 0, kept: {}, files: 0, ...(dryRun ? { erasedIds: [] } : {}) };
  for (const { personId, facts } of candidates) {
    const decision = decideRetention(facts, { now, days });
    if (decision.action === 'keep') {
      report.kept[decision.reason] = (report.kept[decision.reason] ?? 0) + 1;
      continue;
    }
    if (dryRun) {
      report.erasedIds!.push(personId);
      report.erased += 1;
      continue;
    }
    const result = await erasePerson({ db, files, personId, reason: 'retention', ...(log ? { log } : {}) });
    if (result.erased) {
      report.erased += 1;
      report.files += result.files;
    }
  }
  return report;
}

/** The pg-boss queue the daily sweep runs on. */
export const RETENTION_QUEUE = 'privacy-retention';

/**
 * Schedules the retention sweep daily at 03:15 UTC and works it on this node. pg-boss
 * creates one job per occurrence however many nodes schedule it, and the singleton queue
 * lets only one sweep run at a time.
 */
export async function registerRetentionWorker(
  queue: Queue,
  deps: { db: Db; files: FileStore; days: number; log?: FastifyBaseLogger; cron?: string } & SweepPolling,
): Promise<void> {
  await queue.createQueue(RETENTION_QUEUE, { policy: 'singleton' });
  await queue.schedule(RETENTION_QUEUE, deps.cron ?? '15 3 * * *', null, { tz: 'UTC' });
  await queue.work(RETENTION_QUEUE, sweepWorkOptions(deps), async () => {
    const report = await runRetention({ db: deps.db, files: deps.files, days: deps.days, ...(deps.log ? { log: deps.log } : {}) });
    deps.log?.info({ retention: { ...report, cutoff: report.cutoff.toISOString() } }, 'retention sweep done');
  });
}
