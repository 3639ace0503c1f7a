import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';
import { DEFAULT_TEMPLATES, type EmailTemplate, type TemplateKey } from '../../../domain/templates.ts';

/** A workspace setting's stored value, or undefined when it was never set. */
export async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return row?.value as T | undefined;
}

/** Stores a setting's value; returns the value it had before (for the audit event). */
export async function putSetting(tx: Db, key: string, value: unknown): Promise<unknown> {
  const before = await getSetting(tx, key);
  await tx
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
  return before;
}

/** An email template as the admin last saved it, else the default. */
export async function getEmailTemplate(db: Db, key: TemplateKey): Promise<EmailTemplate> {
  return (await getSetting<EmailTemplate>(db, `email_template.${key}`)) ?? DEFAULT_TEMPLATES[key];
}
