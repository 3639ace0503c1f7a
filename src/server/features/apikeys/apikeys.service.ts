import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import { findActiveApiKeyByHash, findApiKey, findApiKeys, insertApiKey, insertApiKeyAudit, markApiKeyRevoked, type ApiKeyRow } from './apikeys.repository.ts';

export type { ApiKeyRow } from './apikeys.repository.ts';

/** Every key starts so, which lets secret scanners and people recognise one. */
const KEY_PREFIX = 'dk_';
/** `dk_` and 43 base64url characters (32 random bytes). */
const KEY_SHAPE = /^dk_[A-Za-z0-9_-]{43}$/;
/** How much of the key lists show: enough to tell keys apart, far too little to guess the rest. */
const SHOWN = KEY_PREFIX.length + 6;

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Makes a new API key for a job board or integration. The key is returned this once; only
 * its SHA-256 and first characters are stored, so a lost key is revoked and replaced.
 */
export async function createApiKey({ db, name }: { db: Db; name: string }): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (!trimmed || trimmed.length > 100 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new ValidationError('Name the key in 1 to 100 characters, e.g. the board that will use it.', [{ field: 'name', message: 'Name the key in 1 to 100 characters' }]);
  }
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const apiKey = await db.transaction(async (tx) => {
    const row = await insertApiKey(tx, { name: trimmed, keyHash: hashKey(key), prefix: key.slice(0, SHOWN) });
    await insertApiKeyAudit(tx, { action: 'api_key.created', key: row });
    return row;
  });
  return { key, apiKey };
}

/** The unrevoked key this secret belongs to, or undefined. Anything not shaped like a key is refused without a query. */
export async function verifyApiKey({ db, key }: { db: Db; key: string }): Promise<ApiKeyRow | undefined> {
  if (!KEY_SHAPE.test(key)) return undefined;
  return findActiveApiKeyByHash(db, hashKey(key));
}

/** Every key, revoked ones included, oldest first. */
export async function listApiKeys({ db }: { db: Db }): Promise<ApiKeyRow[]> {
  return findApiKeys(db);
}

/** Revokes a key at once: the next request with it is refused. Revoking twice is an error, so a typo in the id is noticed. */
export async function revokeApiKey({ db, id }: { db: Db; id: number }): Promise<ApiKeyRow> {
  return db.transaction(async (tx) => {
    const revoked = await markApiKeyRevoked(tx, id);
    if (!revoked) {
      const existing = await findApiKey(tx, id);
      if (!existing) throw new NotFoundError(`There is no API key with the id ${id}.`);
      throw new AppError(409, 'already_revoked', `The API key ${id} (${existing.name}) was already revoked.`);
    }
    await insertApiKeyAudit(tx, { action: 'api_key.revoked', key: revoked });
    return revoked;
  });
}
