import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.app.close());

describe(`health probes on ${testEngine}`, () => {
  it('says the process is alive, and which process it is', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', pid: process.pid });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says it is ready while the database answers, and 503 once it does not', async () => {
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    // A small catalogue's search index loads before the app serves.
    expect(ready.json()).toEqual({ status: 'ready', database: testEngine, searchIndex: 'ready' });
    await t.database.close();
    const gone = await t.app.inject('/readyz');
    expect(gone.statusCode).toBe(503);
    expect(gone.json()).toEqual({ code: 'not_ready', message: 'The database is not reachable.' });
  });

  it('sees the client address a trusted proxy names, and ignores the header otherwise', async () => {
    const { buildApp } = await import('../../app.ts');
    const { testConfig } = await import('../../../../test/support/test-app.ts');
    const { testDatabase } = await import('../../../../test/support/test-db.ts');
    for (const [trust, expected] of [['true', '203.0.113.7'], ['false', '127.0.0.1']] as const) {
      const database = await testDatabase();
      const app = await buildApp({ config: await testConfig({ TRUST_PROXY: trust }), database });
      app.get('/__ip', async (request) => ({ ip: request.ip }));
      const res = await app.inject({ url: '/__ip', headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(res.json().ip).toBe(expected);
      await app.close();
      await database.close();
    }
  });

  it('echoes a sane request id and makes one up otherwise', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-1234' } });
    expect(given.headers['x-request-id']).toBe('lb-1234');
    const invented = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(invented.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
