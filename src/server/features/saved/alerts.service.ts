import { createHmac, timingSafeEqual } from 'node:crypto';
import { searchParamsSchema, searchQueryString, type JobSummary, type SearchParams } from '../../../shared/contracts/search.ts';
import { describeSearch } from '../../../web/saved/describe.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import { sweepWorkOptions, type Queue, type SweepPolling } from '../../queue.ts';
import { insertAudit } from '../accounts/accounts.repository.ts';
import type { JobSearch } from '../jobs/search.service.ts';
import type { Mail } from '../mail/mail.types.ts';
import { alertDigestMail } from './alerts.emails.ts';
import { claimAlert, deleteAlert as deleteAlertRow, findAlert, findAlerts, findDueAlerts, insertAlert, type AlertRow } from './saved.repository.ts';

export const ALERT_FREQUENCIES = ['daily', 'weekly'] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

/** How many alerts one person may keep: enough for anyone, too few to turn the digests into a flood. */
export const MAX_ALERTS = 20;
/** Jobs in one digest at most; the email links to the rest. */
export const DIGEST_JOBS = 20;

const DAY_MS = 24 * 3600 * 1000;

/** A query string (with or without "?") as the object a parsed URL query is: repeated keys become arrays. */
function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const before = out[key];
    out[key] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return out;
}

/**
 * The search an alert follows, from a parsed URL query or a stored query string: its params and
 * its normalized query string (no "?", page or sort), or null when it is no valid search.
 */
export function alertSearch(query: Record<string, unknown> | string): { params: SearchParams; query: string } | null {
  const parsed = searchParamsSchema.safeParse(typeof query === 'string' ? queryObject(query) : query);
  if (!parsed.success) return null;
  const params: SearchParams = { ...parsed.data, page: 1, sort: undefined };
  return { params, query: searchQueryString(params).replace(/^\?/, '') };
}

/** An alert as its list shows it. */
export interface AlertView {
  id: number;
  query: string;
  frequency: AlertFrequency;
  description: string;
  createdAt: Date;
}

const toView = (row: AlertRow, teamName: (slug: string) => string | undefined): AlertView => ({
  id: row.id,
  query: row.query,
  frequency: row.frequency as AlertFrequency,
  description: describeSearch(alertSearch(row.query)?.params ?? {}, teamName),
  createdAt: row.createdAt,
});

/**
 * Creates an alert for a search. The same search at the same frequency is kept once: asking
 * again answers the alert that exists.
 */
export async function createAlert({
  db,
  personId,
  query,
  frequency,
}: {
  db: Db;
  personId: number;
  query: string;
  frequency: string;
}): Promise<{ id: number; created: boolean }> {
  const search = alertSearch(query);
  if (!search) throw new ValidationError('This search cannot be followed: open it again from the jobs page.');
  if (!ALERT_FREQUENCIES.includes(frequency as AlertFrequency)) {
    throw new ValidationError('Choose how often to get the email.', [{ field: 'frequency', message: 'Choose daily or weekly.' }]);
  }
  const existing = await findAlerts(db, personId);
  const same = existing.find((a) => a.query === search.query && a.frequency === frequency);
  if (same) return { id: same.id, created: false };
  if (existing.length >= MAX_ALERTS) {
    throw new AppError(409, 'too_many_alerts', `You have ${MAX_ALERTS} alerts, the most one account can have. Delete one to add another.`);
  }
  return db.transaction(async (tx) => {
    const row = await insertAlert(tx, { personId, query: search.query, frequency });
    await insertAudit(tx, { action: 'job_alert.created', personId, actor: 'candidate', after: { alertId: row.id, query: row.query, frequency } });
    return { id: row.id, created: true };
  });
}

/** Deletes one of this person's alerts; a 404 for anyone else's or one that is gone. */
export async function deleteAlert({ db, personId, alertId }: { db: Db; personId: number; alertId: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await deleteAlertRow(tx, alertId, personId);
    if (!row) throw new NotFoundError('This alert does not exist. It may have been deleted already.');
    await insertAudit(tx, { action: 'job_alert.deleted', personId, actor: 'candidate', before: { alertId, query: row.query, frequency: row.frequency } });
  });
}

export async function listAlerts({ db, personId, teamName }: { db: Db; personId: number; teamName: (slug: string) => string | undefined }): Promise<AlertView[]> {
  return (await findAlerts(db, personId)).map((row) => toView(row, teamName));
}

// ── One-click unsubscribe ─────────────────────────────────────────────────

/**
 * The signature of an unsubscribe link: HMAC-SHA256 of the alert id with the session secret,
 * base64url. The message is prefixed, so it can never equal another use of the same secret.
 */
export function alertSignature(secret: string, alertId: number): string {
  return createHmac('sha256', secret).update(`alert-unsubscribe\0${alertId}`).digest('base64url');
}

/** The link in every digest that stops it, without signing in. */
export function unsubscribeUrl({ publicUrl, secret, alertId }: { publicUrl: string; secret: string; alertId: number }): string {
  return `${publicUrl}/alerts/unsubscribe?alert=${alertId}&sig=${alertSignature(secret, alertId)}`;
}

/** The alert a signed link names; a 400 for a wrong signature, undefined when the alert is gone. */
export async function findSignedAlert({
  db,
  secret,
  alertId,
  sig,
  teamName,
}: {
  db: Db;
  secret: string;
  alertId: unknown;
  sig: unknown;
  teamName: (slug: string) => string | undefined;
}): Promise<{ id: number; view: AlertView | undefined }> {
  const id = checkSignature(secret, alertId, sig);
  const row = await findAlert(db, id);
  return { id, view: row ? toView(row, teamName) : undefined };
}

/** Deletes the alert a signed link names; false when it was gone already. */
export async function unsubscribeAlert({ db, secret, alertId, sig }: { db: Db; secret: string; alertId: unknown; sig: unknown }): Promise<boolean> {
  const id = checkSignature(secret, alertId, sig);
  return db.transaction(async (tx) => {
    const row = await deleteAlertRow(tx, id, null);
    if (!row) return false;
    await insertAudit(tx, { action: 'job_alert.unsubscribed', personId: row.personId, actor: 'anonymous', before: { alertId: id, query: row.query, frequency: row.frequency } });
    return true;
  });
}

function checkSignature(secret: string, alertId: unknown, sig: unknown): number {
  const id = typeof alertId === 'string' && /^[1-9]\d{0,9}$/.test(alertId) ? Number(alertId) : NaN;
  const given = Buffer.from(typeof sig === 'string' ? sig : '');
  const expected = Number.isSafeInteger(id) && id <= 2_147_483_647 ? Buffer.from(alertSignature(secret, id)) : undefined;
  if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new AppError(400, 'invalid_link', 'This unsubscribe link is not complete or has been changed. Use the link from the email as it is, or sign in to manage your alerts.');
  }
  return id;
}

// ── Digests ───────────────────────────────────────────────────────────────

/** What sending digests needs, wired by hand in main.ts. */
export interface DigestDeps {
  db: Db;
  mail: Mail;
  search: JobSearch;
  publicUrl: string;
  /** Signs the unsubscribe links (config.sessionSecret). */
  secret: string;
  /** The organization's name, for the email; the content pack's when wired. */
  organization?: () => string;
  teamName?: (slug: string) => string | undefined;
}

/**
 * The start of the period a run at `now` belongs to: the UTC day for daily alerts, the ISO week
 * (from Monday 00:00 UTC) for weekly ones. An alert sent since then is not due, so a second run
 * in the same period sends nothing again.
 */
export function periodStart(frequency: AlertFrequency, now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (frequency === 'daily') return day;
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}

/**
 * Sends each due alert of a frequency one email with the jobs its search found posted after the
 * alert's last digest and no later than `now` (newest first, at most DIGEST_JOBS), then moves
 * the alert on to `now`. Windows never overlap, so no job is sent twice; no new jobs, no email.
 * Each alert is claimed by one conditional update before its email is sent, so two runs at
 * once (or a retried run) cannot both send it.
 */
export async function sendAlertDigests({
  frequency,
  now,
  ...deps
}: DigestDeps & { frequency: AlertFrequency; now: Date }): Promise<{ due: number; sent: number }> {
  const teamName = deps.teamName ?? (() => undefined);
  const organization = deps.organization?.() ?? 'Day One';
  const since = periodStart(frequency, now);
  const due = await findDueAlerts(deps.db, frequency, since);
  let sent = 0;
  const failures: unknown[] = [];
  for (const alert of due) {
    try {
      if (await sendDigest(deps, { ...alert, frequency, since, now, organization, teamName })) sent += 1;
    } catch (error) {
      // The other alerts still get theirs; the run fails at the end, so the queue retries it,
      // and the retry finds only the alerts that were not sent.
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} of ${due.length} ${frequency} alert digests failed`);
  return { due: due.length, sent };
}

/** One alert's digest: search, claim, send. True when an email went out. */
async function sendDigest(
  { db, mail, search, publicUrl, secret }: DigestDeps,
  alert: Awaited<ReturnType<typeof findDueAlerts>>[number] & {
    frequency: AlertFrequency;
    since: Date;
    now: Date;
    organization: string;
    teamName: (slug: string) => string | undefined;
  },
): Promise<boolean> {
  const followed = alertSearch(alert.query);
  const found = followed ? await newJobs(search, followed.params, alert.lastSentAt, alert.now) : { jobs: [], more: false };
  // Claimed after the search (which only reads), so a failed search leaves the alert due for the retry.
  if (!(await claimAlert(db, alert.id, alert.since, alert.now))) return false;
  if (!followed || found.jobs.length === 0) return false;
  await mail.send(
    alertDigestMail({
      to: alert.email,
      organization: alert.organization,
      description: describeSearch(followed.params, alert.teamName),
      frequency: alert.frequency,
      jobs: found.jobs,
      more: found.more,
      searchUrl: `${publicUrl}/jobs${searchQueryString({ ...followed.params, sort: 'newest' })}`,
      unsubscribeUrl: unsubscribeUrl({ publicUrl, secret, alertId: alert.id }),
      alertsUrl: `${publicUrl}/account/alerts`,
    }),
  );
  return true;
}

/** The search's jobs posted in (after, until], newest first, at most DIGEST_JOBS, and whether there are more. */
async function newJobs(search: JobSearch, params: SearchParams, after: Date, until: Date): Promise<{ jobs: JobSummary[]; more: boolean }> {
  // "Posted within N days" narrows the search to the window (on the database's clock, so a day to
  // spare); the exact bounds are applied here.
  const days = Math.min(365, Math.max(1, Math.ceil((Math.max(until.getTime(), Date.now()) - after.getTime()) / DAY_MS) + 1));
  const result = await search.search({ ...params, posted: days, sort: 'newest', page: 1 }, { pageSize: DIGEST_JOBS + 1, facets: false });
  const fresh = result.jobs.filter((job) => {
    const posted = new Date(job.postedAt).getTime();
    return posted > after.getTime() && posted <= until.getTime();
  });
  return { jobs: fresh.slice(0, DIGEST_JOBS), more: fresh.length > DIGEST_JOBS };
}

/** Cron expressions (UTC) of the digest runs: every day at 07:00, and Mondays at 07:00. */
export const DIGEST_SCHEDULES: Record<AlertFrequency, string> = { daily: '0 7 * * *', weekly: '0 7 * * 1' };

/**
 * Creates the digest queues and schedules their runs in pg-boss, and works them on this node.
 * pg-boss sends one job per scheduled time for all nodes together; a run missed while every
 * node was down is sent once when one starts. Answers a function that stops this node's workers.
 */
export async function registerAlertWorkers(queue: Queue, deps: DigestDeps & SweepPolling): Promise<() => Promise<void>> {
  const names: string[] = [];
  for (const frequency of ALERT_FREQUENCIES) {
    const name = `alerts.digest.${frequency}`;
    await queue.createQueue(name);
    await queue.schedule(name, DIGEST_SCHEDULES[frequency], null, { tz: 'UTC', missed: 'once' });
    await queue.work(name, sweepWorkOptions(deps), async () => {
      await sendAlertDigests({ ...deps, frequency, now: new Date() });
    });
    names.push(name);
  }
  /** Stops this node's digest workers; the schedules stay, for the other nodes. */
  return async () => {
    for (const name of names) await queue.offWork(name);
  };
}
