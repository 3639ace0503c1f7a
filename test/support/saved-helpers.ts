import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditEvents, people } from '../../src/server/db/schema/index.ts';
import { FormClient } from './account-client.ts';
import type { RecordingMail } from './recording-mail.ts';
import type { TestApp } from './test-app.ts';

let n = 0;
/** A fresh address per call, so tests never share an account or a rate-limit counter. */
export const address = (name = 'person') => `${name}.${++n}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery staple';

/** Signs up and follows the verification link: a confirmed, signed-in browser. */
export async function verifiedAccount(t: TestApp & { mail: RecordingMail }, email = address()): Promise<{ browser: FormClient; email: string; personId: number }> {
  const browser = new FormClient(t.app);
  expect((await browser.submit('/account/sign-up', { email, password: PASSWORD })).statusCode).toBe(303);
  const link = t.mail.linkPath(email, 'verify_email');
  await browser.get(link);
  const verified = await browser.post('/account/verify', { token: new URL(link, 'http://x').searchParams.get('token')! });
  expect(verified.headers.location).toBe('/account?notice=verified');
  const [row] = await t.database.db.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = lower(${email})`);
  return { browser, email, personId: row!.id };
}

/** The audit actions about a person, oldest first. */
export async function auditActions(t: TestApp, personId: number): Promise<string[]> {
  const rows = await t.database.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.subjectId, String(personId))).orderBy(auditEvents.id);
  return rows.map((r) => r.action);
}
