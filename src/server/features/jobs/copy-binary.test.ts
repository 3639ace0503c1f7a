import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { numericSend } from './copy-binary.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** A small deterministic generator, so a failure names values that can be made again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe(`numbers in numeric's binary form on ${testEngine}`, () => {
  it('equal what PostgreSQL sends for the same number read from its shortest decimal form', async () => {
    const next = random(20261206);
    const values = [
      0, -0, 1, -1, 9999, 10000, 10001, 0.5, -0.5, 0.0001, 0.00012, 1e-7, 1.2e-7, 123456789.125, 1e21, 1.5e22, -2.5e-9, 65100, 95700,
      45.5 * 2080, 33.33 * 2080, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, 5e-324, 1.7976931348623157e308,
      ...Array.from({ length: 300 }, () => Math.round(next() * 10 ** Math.floor(next() * 12)) / 10 ** Math.floor(next() * 5)),
      ...Array.from({ length: 200 }, () => (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20)),
    ];
    const rows = (await t.database.db.execute(sql`
      select encode(numeric_send(v::numeric), 'hex') as sent
      from json_array_elements_text(${JSON.stringify(values.map(String))}::json) with ordinality as x(v, n) order by n`)) as unknown as {
      rows: Array<{ sent: string }>;
    };
    const differing = values.flatMap((v, i) => (numericSend(v).toString('hex') === rows.rows[i]!.sent ? [] : [{ value: String(v), ours: numericSend(v).toString('hex'), theirs: rows.rows[i]!.sent }]));
    expect(differing).toEqual([]);
  });

  it('refuses what numeric cannot hold exactly as a number', () => {
    expect(() => numericSend(Number.NaN)).toThrow(RangeError);
    expect(() => numericSend(Infinity)).toThrow(RangeError);
  });
});
