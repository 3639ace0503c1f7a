import { z } from 'zod';
import type { FormError } from '../../../shared/contracts/account.ts';
import type { AuditEventView, AuditFilterValues, AuditView } from '../../../web/staff/audit.tsx';
import type { Db } from '../../db/client.ts';
import { csvLine } from './audit.csv.ts';
import { findStaffNames, hasAuditEventAfter, listAuditEvents, listStaffNames, type AuditFilters, type AuditRow } from './audit.repository.ts';

export const AUDIT_PAGE_SIZE = 50;
/** Rows read per query while exporting: memory stays flat however long the log is. */
const CSV_BATCH = 1000;

/** Who can appear as the actor of an audit event. */
export const ACTOR_TYPES = ['staff', 'candidate', 'system', 'anonymous'] as const;

const FILTER_FIELDS = ['actorType', 'actorId', 'action', 'subjectType', 'subjectId', 'from', 'to'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A YYYY-MM-DD day at midnight UTC, or undefined when it is not a real day. */
function parseDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const at = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text ? undefined : at;
}

const day = (message: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || parseDay(v) !== undefined, message);
const id = (message: string) => z.string().trim().regex(/^\d{0,15}$/, message);

/** The audit page's query string: filters (all optional) and where the page starts. */
export const auditQuerySchema = z
  .object({
    actorType: z.union([z.literal(''), z.enum(ACTOR_TYPES)], { error: 'Choose who acted from the list' }).default(''),
    actorId: id('Enter the actor’s id as a number, e.g. 12').default(''),
    action: z.string().trim().max(100, 'Enter at most 100 characters of the action').default(''),
    subjectType: z.string().trim().max(100, 'Enter at most 100 characters of the subject type').default(''),
    subjectId: z.string().trim().max(100, 'Enter at most 100 characters of the subject id').default(''),
    from: day('Enter the first day as a date, e.g. 2026-03-01').default(''),
    to: day('Enter the last day as a date, e.g. 2026-03-31').default(''),
    before: id('The page link is broken; start again from the first page').default(''),
    after: id('The page link is broken; start again from the first page').default(''),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The last day must not be before the first day', path: ['to'] });

/** The audit query as read from the URL: what was typed (kept for the form), the filters, the page, and any problems. */
export interface AuditQuery {
  values: AuditFilterValues;
  filters: AuditFilters;
  page: { beforeId?: number | undefined; afterId?: number | undefined };
  errors: FormError[];
}

/** Reads the audit page's query string; a repeated parameter counts once (its first value). */
export function parseAuditQuery(raw: unknown): AuditQuery {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[key] = first;
  }
  const typed = Object.fromEntries(FILTER_FIELDS.map((f) => [f, (query[f] ?? '').trim().slice(0, 200)])) as unknown as AuditFilterValues;
  const parsed = auditQuerySchema.safeParse(query);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ field: FILTER_FIELDS.includes(issue.path[0] as never) ? String(issue.path[0]) : '', message: issue.message }));
    return { values: typed, filters: {}, page: {}, errors };
  }
  const q = parsed.data;
  const from = q.from ? parseDay(q.from) : undefined;
  const to = q.to ? parseDay(q.to) : undefined;
  return {
    values: { actorType: q.actorType, actorId: q.actorId, action: q.action, subjectType: q.subjectType, subjectId: q.subjectId, from: q.from, to: q.to },
    filters: {
      actorType: q.actorType || undefined,
      actorId: q.actorId ? Number(q.actorId) : undefined,
      actionPrefix: q.action || undefined,
      subjectType: q.subjectType || undefined,
      subjectId: q.subjectId || undefined,
      from,
      // The last day counts whole: events until midnight after it.
      until: to ? new Date(to.getTime() + DAY_MS) : undefined,
    },
    page: { beforeId: q.before ? Number(q.before) : undefined, afterId: q.after ? Number(q.after) : undefined },
    errors: [],
  };
}

/** The query string of the audit page (or export) with these filter values and changes, empty values left out. */
export function auditHref(base: '/staff/audit' | '/staff/audit.csv', values: Partial<AuditFilterValues>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

const pretty = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value, null, 2));

/** Where a subject of the audit log can be opened in the workspace, when it has a page. */
function subjectPage(type: string, subjectId: string | null): string | undefined {
  if (!subjectId || !/^\d+$/.test(subjectId)) return undefined;
  if (type === 'job') return `/staff/jobs/${subjectId}`;
  if (type === 'application') return `/staff/applications/${subjectId}`;
  return undefined;
}

function actorLabel(row: Pick<AuditRow, 'actorType' | 'actorId' | 'actorName'>): string {
  if (row.actorType === 'staff') return row.actorName ? `${row.actorName} (staff #${row.actorId})` : `Staff #${row.actorId ?? '?'}`;
  if (row.actorType === 'candidate') return row.actorId === null ? 'A candidate' : `Candidate #${row.actorId}`;
  if (row.actorType === 'system') return 'The system';
  if (row.actorType === 'anonymous') return 'Someone signed out';
  return row.actorId === null ? row.actorType : `${row.actorType} #${row.actorId}`;
}

function toView(row: AuditRow, values: AuditFilterValues): AuditEventView {
  const actorFilter = row.actorId === null ? { actorType: row.actorType, actorId: '' } : { actorType: row.actorType, actorId: String(row.actorId) };
  return {
    id: row.id,
    at: row.at,
    actor: { label: actorLabel(row), filterHref: auditHref('/staff/audit', { ...values, ...actorFilter }) },
    action: row.action,
    subject: {
      label: row.subjectId ? `${row.subjectType} ${row.subjectId}` : row.subjectType,
      filterHref: auditHref('/staff/audit', { ...values, subjectType: row.subjectType, subjectId: row.subjectId ?? '' }),
      openHref: subjectPage(row.subjectType, row.subjectId),
    },
    before: pretty(row.before),
    after: pretty(row.after),
  };
}

/** Describes the filters in use, in words, with staff names in place of ids. */
async function describeFilters(db: Db, query: AuditQuery): Promise<string[]> {
  const f = query.filters;
  const words: string[] = [];
  if (f.actorType === 'staff' && f.actorId !== undefined) {
    const name = (await findStaffNames(db, [f.actorId])).get(f.actorId);
    words.push(name ? `by ${name} (staff #${f.actorId})` : `by staff #${f.actorId}, who is not on the staff list`);
  } else if (f.actorType || f.actorId !== undefined) {
    words.push(`by ${f.actorType ? `${f.actorType} actors` : 'any kind of actor'}${f.actorId !== undefined ? ` with id ${f.actorId}` : ''}`);
  }
  if (f.actionPrefix) words.push(`actions starting with “${f.actionPrefix}”`);
  if (f.subjectType || f.subjectId) words.push(`about ${f.subjectType || 'any subject'}${f.subjectId ? ` ${f.subjectId}` : ''}`);
  if (query.values.from) words.push(`from ${query.values.from}`);
  if (query.values.to) words.push(`until the end of ${query.values.to} (UTC)`);
  return words;
}

/** One page of the audit log, newest first, with links to the pages beside it. */
export async function loadAuditPage({ db, query }: { db: Db; query: AuditQuery }): Promise<Omit<AuditView, 'errors'>> {
  const staff = await listStaffNames(db);
  if (query.errors.length) return { values: query.values, events: [], summary: [], staff, csvHref: auditHref('/staff/audit.csv', {}) };
  const { filters, values, page } = query;
  let rows: AuditRow[];
  let newer: boolean;
  let older: boolean;
  if (page.afterId !== undefined) {
    // Reading towards newer events: fetch one more than a page to know whether even newer ones exist.
    const ascending = await listAuditEvents(db, filters, { afterId: page.afterId, limit: AUDIT_PAGE_SIZE + 1 });
    newer = ascending.length > AUDIT_PAGE_SIZE;
    rows = ascending.slice(0, AUDIT_PAGE_SIZE).reverse();
    older = true;
  } else {
    const descending = await listAuditEvents(db, filters, { beforeId: page.beforeId, limit: AUDIT_PAGE_SIZE + 1 });
    older = descending.length > AUDIT_PAGE_SIZE;
    rows = descending.slice(0, AUDIT_PAGE_SIZE);
    newer = page.beforeId !== undefined && (rows.length > 0 ? await hasAuditEventAfter(db, filters, rows[0]!.id) : true);
  }
  const first = rows[0];
  const last = rows.at(-1);
  return {
    values,
    events: rows.map((row) => toView(row, values)),
    summary: await describeFilters(db, query),
    staff,
    newer: newer ? (first ? auditHref('/staff/audit', values, { after: String(first.id) }) : auditHref('/staff/audit', values)) : undefined,
    older: older && last ? auditHref('/staff/audit', values, { before: String(last.id) }) : undefined,
    csvHref: auditHref('/staff/audit.csv', values),
  };
}

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor_type', 'actor_id', 'actor_name', 'action', 'subject_type', 'subject_id', 'before', 'after'] as const;

/**
 * The audit events matching `filters` as CSV text, newest first, produced in batches as the
 * reader takes them, so exporting a long log holds one batch in memory at a time.
 */
export async function* exportAuditCsv({ db, filters, batch = CSV_BATCH }: { db: Db; filters: AuditFilters; batch?: number }): AsyncGenerator<string> {
  yield csvLine(AUDIT_CSV_HEADER);
  let beforeId: number | undefined;
  for (;;) {
    const rows = await listAuditEvents(db, filters, { beforeId, limit: batch });
    if (rows.length === 0) return;
    yield rows
      .map((r) =>
        csvLine([
          r.id,
          r.at.toISOString(),
          r.actorType,
          r.actorId,
          r.actorName,
          r.action,
          r.subjectType,
          r.subjectId,
          r.before === null || r.before === undefined ? null : JSON.stringify(r.before),
          r.after === null || r.after === undefined ? null : JSON.stringify(r.after),
        ]),
      )
      .join('');
    if (rows.length < batch) return;
    beforeId = rows.at(-1)!.id;
  }
}
