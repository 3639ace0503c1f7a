import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsTestApp } from '../../../../test/support/account-client.ts';
import { verifiedAccount } from '../../../../test/support/saved-helpers.ts';
import { testEngine } from '../../../../test/support/test-db.ts';

let t: Awaited<ReturnType<typeof accountsTestApp>>;
beforeAll(async () => {
  t = await accountsTestApp();
});
afterAll(() => t.close());

describe(`erasing an account, on ${testEngine}`, () => {
  it('leaves no personal value in the audit trail, only that things happened', async () => {
    const { browser, personId } = await verifiedAccount(t);
    expect(
      (await browser.submit('/account/profile', { name: 'Zebulon Quixotic', phone: '+1 555 0199', location: 'Reykjavik', linkedin: '', github: '', portfolio: '' })).statusCode,
    ).toBe(303);
    const before = (await t.database.db.execute(sql`select count(*)::int as n from audit_events where (before::text || after::text) like '%Zebulon%'`)) as unknown as {
      rows: Array<{ n: number }>;
    };
    expect(before.rows[0]!.n).toBeGreaterThan(0);
    expect((await browser.submit('/account/data/delete', { confirm: 'DELETE' })).statusCode).toBe(303);
    const after = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where coalesce(before::text, '') || coalesce(after::text, '') ~ 'Zebulon|Reykjavik|0199'`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(after.rows[0]!.n).toBe(0);
    const actions = (await t.database.db.execute(sql`select action from audit_events where subject_id = ${String(personId)} order by id`)) as unknown as {
      rows: Array<{ action: string }>;
    };
    expect(actions.rows.map((r) => r.action)).toContain('person.erased');
  });
});
