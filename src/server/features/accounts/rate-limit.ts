import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/** At most `limit` attempts per fixed window of `windowSeconds`. */
export interface Rule {
  limit: number;
  windowSeconds: number;
}

/** The limits of each account action, per client IP address and per email address typed. */
export interface AccountLimits {
  signIn: { ip: Rule; email: Rule };
  signUp: { ip: Rule; email: Rule };
  reset: { ip: Rule; email: Rule };
  link: { ip: Rule; email: Rule };
  /** Resending the verification email from /account, per person. */
  resend: { email: Rule };
}

const QUARTER_HOUR = 900;
const HOUR = 3600;

/**
 * Generous enough for a person who mistypes, small enough that guessing passwords or
 * flooding someone's inbox gets nowhere. A shared office IP gets more room than one address.
 */
export const DEFAULT_LIMITS: AccountLimits = {
  signIn: { ip: { limit: 50, windowSeconds: QUARTER_HOUR }, email: { limit: 10, windowSeconds: QUARTER_HOUR } },
  signUp: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 5, windowSeconds: HOUR } },
  reset: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 5, windowSeconds: HOUR } },
  link: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 5, windowSeconds: HOUR } },
  resend: { email: { limit: 5, windowSeconds: HOUR } },
};

/** A counter to bump: its key and rule. */
export interface Counter {
  key: string;
  rule: Rule;
}

/** Keys name the email by a short hash, so the table holds no addresses. */
export function emailKey(action: string, email: string): string {
  return `${action}:email:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22)}`;
}

export function ipKey(action: string, ip: string): string {
  return `${action}:ip:${ip}`;
}

/**
 * Counts one attempt on every counter (one statement each, atomic on every node, since the
 * window is computed from the database clock) and answers how many seconds to wait when any
 * counter is over its limit, or null when the attempt may go ahead.
 */
export async function hitRateLimits({ db, counters }: { db: Db; counters: Counter[] }): Promise<number | null> {
  let retryAfter: number | null = null;
  for (const { key, rule } of counters) {
    const w = rule.windowSeconds;
    const result = await db.execute<{ hits: number; retry_after: number }>(sql`
      insert into rate_limits (key, window_start, hits)
      values (${key}, to_timestamp(floor(extract(epoch from now()) / ${w}) * ${w}), 1)
      on conflict (key) do update set
        hits = case when rate_limits.window_start = excluded.window_start then rate_limits.hits + 1 else 1 end,
        window_start = excluded.window_start
      returning hits, greatest(1, ceil(extract(epoch from window_start) + ${w} - extract(epoch from now())))::int as retry_after`);
    const row = (result as unknown as { rows: Array<{ hits: number; retry_after: number }> }).rows[0]!;
    if (Number(row.hits) > rule.limit) retryAfter = Math.max(retryAfter ?? 0, Number(row.retry_after));
  }
  return retryAfter;
}

/** Forgets windows that ended long ago; any node may call it now and then. */
export async function pruneRateLimits({ db, olderThanSeconds = 86_400 }: { db: Db; olderThanSeconds?: number }): Promise<void> {
  await db.execute(sql`delete from rate_limits where window_start < now() - make_interval(secs => ${olderThanSeconds})`);
}
