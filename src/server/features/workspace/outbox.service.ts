import type { BodyPart, MailMessageView, MailRowView, OutboxView } from '../../../web/staff/outbox.tsx';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { findMailMessage, hasMailAfter, listMailMessages, type MailListRow } from './outbox.repository.ts';

export const OUTBOX_PAGE_SIZE = 50;

/** Where a message is, in words. */
export function mailStatus(row: Pick<MailListRow, 'transport' | 'sentAt' | 'attempts'>): string {
  if (row.transport === 'outbox') return 'Kept in the outbox';
  if (row.sentAt) return 'Sent';
  return row.attempts > 0 ? 'Not delivered yet, retrying' : 'Queued';
}

function toRow(row: MailListRow): MailRowView {
  return { id: row.id, to: row.toAddress, subject: row.subject, kind: row.kind, status: mailStatus(row), sentAt: row.transport === 'smtp' ? row.sentAt : null, createdAt: row.createdAt };
}

/** One page of the outbox, newest first; `before`/`after` are message ids from the page links. */
export async function loadOutbox({ db, before, after, smtp }: { db: Db; before?: number | undefined; after?: number | undefined; smtp: boolean }): Promise<OutboxView> {
  let rows: MailListRow[];
  let newer: boolean;
  let older: boolean;
  if (after !== undefined) {
    const ascending = await listMailMessages(db, { afterId: after, limit: OUTBOX_PAGE_SIZE + 1 });
    newer = ascending.length > OUTBOX_PAGE_SIZE;
    rows = ascending.slice(0, OUTBOX_PAGE_SIZE).reverse();
    older = true;
  } else {
    const descending = await listMailMessages(db, { beforeId: before, limit: OUTBOX_PAGE_SIZE + 1 });
    older = descending.length > OUTBOX_PAGE_SIZE;
    rows = descending.slice(0, OUTBOX_PAGE_SIZE);
    newer = before !== undefined && (rows.length === 0 || (await hasMailAfter(db, rows[0]!.id)));
  }
  const first = rows[0];
  const last = rows.at(-1);
  return {
    messages: rows.map(toRow),
    smtp,
    newer: newer ? (first ? `/staff/outbox?after=${first.id}` : '/staff/outbox') : undefined,
    older: older && last ? `/staff/outbox?before=${last.id}` : undefined,
  };
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/g;
/** Punctuation that ends a sentence rather than a URL ("open https://x/y."). */
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * Splits a plain-text body into text and links. Only http(s) URLs on this site (the origin and
 * path of PUBLIC_URL) become links: an email can quote anything, and an admin reading the
 * outbox should not be one click away from a stranger's site.
 */
export function linkifyBody(text: string, publicUrl: string): BodyPart[] {
  const base = new URL(publicUrl);
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const parts: BodyPart[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const raw = match[0].replace(TRAILING, '');
    const start = match.index;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    const ours = url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === base.origin && `${url.pathname}/`.startsWith(basePath) && !url.username && !url.password;
    if (!ours) continue;
    if (start > at) parts.push({ text: text.slice(at, start) });
    parts.push({ text: raw, href: url!.href });
    at = start + raw.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** One message of the outbox with its text ready to show; 404 when there is none. */
export async function loadMailMessage({ db, id, publicUrl }: { db: Db; id: number; publicUrl: string }): Promise<MailMessageView> {
  const row = await findMailMessage(db, id);
  if (!row) throw new NotFoundError('There is no such email in the outbox.');
  return {
    ...toRow(row),
    body: linkifyBody(row.textBody, publicUrl),
    lastError: row.lastError,
    attempts: row.attempts,
    ical: row.ical ? { method: row.icalMethod ?? 'REQUEST', content: row.ical } : null,
    hasHtml: row.htmlBody !== null,
  };
}
