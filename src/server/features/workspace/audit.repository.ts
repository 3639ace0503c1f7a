import { and, asc, desc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEvents, staffUsers } from '../../db/schema/index.ts';

// Reads of the audit log. The log is append-only: this file, like every file of the
// workspace, only ever selects from audit_events (a test checks that).

/** What the audit page and its export filter on; every field is optional. */
export interface AuditFilters {
  actorType?: string | undefined;
  actorId?: number | undefined;
  /** Actions starting with this, e.g. "job." or "application.moved". */
  actionPrefix?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  /** Events at or after this moment… */
  from?: Date | undefined;
  /** …and strictly before this one. */
  until?: Date | undefined;
}

/** A LIKE pattern matching values that start with `prefix` taken literally (its % and _ are not wildcards). */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matching(filters: AuditFilters): SQL[] {
  const where: SQL[] = [];
  if (filters.actorType) where.push(eq(auditEvents.actorType, filters.actorType));
  if (filters.actorId !== undefined) where.push(eq(auditEvents.actorId, filters.actorId));
  if (filters.actionPrefix) where.push(sql`${auditEvents.action} like ${startsWith(filters.actionPrefix)}`);
  if (filters.subjectType) where.push(eq(auditEvents.subjectType, filters.subjectType));
  if (filters.subjectId) where.push(eq(auditEvents.subjectId, filters.subjectId));
  if (filters.from) where.push(gte(auditEvents.at, filters.from));
  if (filters.until) where.push(lt(auditEvents.at, filters.until));
  return where;
}

const columns = {
  id: auditEvents.id,
  at: auditEvents.at,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  actorName: staffUsers.name,
  action: auditEvents.action,
  subjectType: auditEvents.subjectType,
  subjectId: auditEvents.subjectId,
  before: auditEvents.before,
  after: auditEvents.after,
};

export type AuditRow = {
  id: number;
  at: Date;
  actorType: string;
  actorId: number | null;
  /** The staff member's name when a member of staff acted. */
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  before: unknown;
  after: unknown;
};

/**
 * Audit events matching `filters`, read by id (the order they were appended): the newest
 * `limit` with an id below `beforeId`, or, with `afterId`, the oldest `limit` above it.
 */
export async function listAuditEvents(
  db: Db,
  filters: AuditFilters,
  page: { beforeId?: number | undefined; afterId?: number | undefined; limit: number },
): Promise<AuditRow[]> {
  const where = matching(filters);
  if (page.beforeId !== undefined) where.push(lt(auditEvents.id, page.beforeId));
  if (page.afterId !== undefined) where.push(gt(auditEvents.id, page.afterId));
  const rows = await db
    .select(columns)
    .from(auditEvents)
    .leftJoin(staffUsers, and(eq(auditEvents.actorType, 'staff'), eq(staffUsers.id, auditEvents.actorId)))
    .where(and(...where))
    .orderBy(page.afterId !== undefined ? asc(auditEvents.id) : desc(auditEvents.id))
    .limit(page.limit);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Whether any event matching `filters` has an id above `id` (is there a newer page?). */
export async function hasAuditEventAfter(db: Db, filters: AuditFilters, id: number): Promise<boolean> {
  const rows = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(...matching(filters), gt(auditEvents.id, id)))
    .limit(1);
  return rows.length > 0;
}

/** Names of staff members by id, for the filter summary. */
export async function findStaffNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every member of staff by name, for the actor filter's suggestions. */
export async function listStaffNames(db: Db): Promise<Array<{ id: number; name: string }>> {
  return db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).orderBy(staffUsers.name, staffUsers.id).limit(2000);
}
