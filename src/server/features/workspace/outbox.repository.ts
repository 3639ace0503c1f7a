import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { mailMessages } from '../../db/schema/index.ts';

const listColumns = {
  id: mailMessages.id,
  kind: mailMessages.kind,
  toAddress: mailMessages.toAddress,
  subject: mailMessages.subject,
  transport: mailMessages.transport,
  attempts: mailMessages.attempts,
  lastError: mailMessages.lastError,
  sentAt: mailMessages.sentAt,
  createdAt: mailMessages.createdAt,
};

export type MailListRow = Awaited<ReturnType<typeof listMailMessages>>[number];

/** Messages by id (the order they were stored): the newest `limit` below `beforeId`, or with `afterId` the oldest above it. */
export async function listMailMessages(db: Db, page: { beforeId?: number | undefined; afterId?: number | undefined; limit: number }) {
  return db
    .select(listColumns)
    .from(mailMessages)
    .where(and(page.beforeId !== undefined ? lt(mailMessages.id, page.beforeId) : undefined, page.afterId !== undefined ? gt(mailMessages.id, page.afterId) : undefined))
    .orderBy(page.afterId !== undefined ? asc(mailMessages.id) : desc(mailMessages.id))
    .limit(page.limit);
}

/** Whether a message newer than `id` exists. */
export async function hasMailAfter(db: Db, id: number): Promise<boolean> {
  const rows = await db.select({ id: mailMessages.id }).from(mailMessages).where(gt(mailMessages.id, id)).limit(1);
  return rows.length > 0;
}

/** One message with its bodies, or undefined. */
export async function findMailMessage(db: Db, id: number) {
  const [row] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
  return row;
}
