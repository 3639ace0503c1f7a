import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import { apiKeys, auditEvents } from '../../db/schema/index.ts';
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from './apikeys.service.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe(`API keys on ${testEngine}`, () => {
  it('returns a new key once and stores only its SHA-256 and first characters', async () => {
    const { key, apiKey } = await createApiKey({ db: database.db, name: '  Acme board ' });
    expect(key).toMatch(/^dk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'Acme board', prefix: key.slice(0, 9), revokedAt: null });
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.keyHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key.slice(9));
  });

  it('makes a different key every time', async () => {
    const a = await createApiKey({ db: database.db, name: 'A' });
    const b = await createApiKey({ db: database.db, name: 'A' });
    expect(a.key).not.toBe(b.key);
  });

  it('verifies the exact key, and nothing else', async () => {
    const { key, apiKey } = await createApiKey({ db: database.db, name: 'Verify' });
    expect((await verifyApiKey({ db: database.db, key }))?.id).toBe(apiKey.id);
    const other = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    for (const wrong of [other, '', 'dk_', key.toUpperCase(), `${key} `, createHash('sha256').update(key).digest('hex')]) {
      expect(await verifyApiKey({ db: database.db, key: wrong })).toBeUndefined();
    }
  });

  it('refuses a revoked key at once, lists it as revoked, and refuses to revoke it twice or an unknown id', async () => {
    const { key, apiKey } = await createApiKey({ db: database.db, name: 'Revoke me' });
    const revoked = await revokeApiKey({ db: database.db, id: apiKey.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await verifyApiKey({ db: database.db, key })).toBeUndefined();
    expect((await listApiKeys({ db: database.db })).find((k) => k.id === apiKey.id)?.revokedAt).toBeInstanceOf(Date);
    await expect(revokeApiKey({ db: database.db, id: apiKey.id })).rejects.toMatchObject({ status: 409 });
    await expect(revokeApiKey({ db: database.db, id: 999_999 })).rejects.toMatchObject({ status: 404 });
  });

  it('writes an audit event for each key made and revoked, without the key', async () => {
    const { key, apiKey } = await createApiKey({ db: database.db, name: 'Audited' });
    await revokeApiKey({ db: database.db, id: apiKey.id });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, String(apiKey.id)));
    const mine = events.filter((e) => e.subjectType === 'api_key');
    expect(mine.map((e) => e.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    expect(mine.every((e) => e.actorType === 'system')).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(key);
  });

  it('refuses an empty or overlong name', async () => {
    await expect(createApiKey({ db: database.db, name: '  ' })).rejects.toMatchObject({ status: 400 });
    await expect(createApiKey({ db: database.db, name: 'x'.repeat(101) })).rejects.toMatchObject({ status: 400 });
  });
});
