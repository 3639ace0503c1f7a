import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiKeys, auditEvents } from '../../db/schema/index.ts';

/** A key as lists show it: never the key itself, only its name and first characters. */
export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const columns = { id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt };

export async function insertApiKey(tx: Db, key: { name: string; keyHash: string; prefix: string }): Promise<ApiKeyRow> {
  const [row] = await tx.insert(apiKeys).values(key).returning(columns);
  return row!;
}

/** The key with this hash that is not revoked, or undefined. */
export async function findActiveApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const rows = await db.select(columns).from(apiKeys).where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return rows[0];
}

export async function findApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.select(columns).from(apiKeys).orderBy(asc(apiKeys.id));
}

export async function findApiKey(db: Db, id: number): Promise<ApiKeyRow | undefined> {
  const rows = await db.select(columns).from(apiKeys).where(eq(apiKeys.id, id));
  return rows[0];
}

/** Revokes a key that is not revoked yet; returns it, or undefined when there was nothing to revoke. */
export async function markApiKeyRevoked(tx: Db, id: number): Promise<ApiKeyRow | undefined> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning(columns);
  return rows[0];
}

/** One audit event about an API key, done by the system (the CLI has no signed-in actor). */
export async function insertApiKeyAudit(tx: Db, event: { action: 'api_key.created' | 'api_key.revoked'; key: ApiKeyRow }): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: 'system',
    action: event.action,
    subjectType: 'api_key',
    subjectId: String(event.key.id),
    after: { name: event.key.name, prefix: event.key.prefix, revokedAt: event.key.revokedAt?.toISOString() ?? null },
  });
}
