import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** An API key row as stored (the key itself is never stored, only its SHA-256). */
export type ApiKeyRow = Selectable<ApiKeysTable>;

/** Stores a new API key. */
export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

/** The active (not revoked) key with this hash, if any. */
export async function findActiveApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

/** One key by id (revoked or not). */
export async function getApiKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every key, newest first; revoked ones only when asked. */
export async function listApiKeys(db: Db, options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRow[]> {
  let q = db.selectFrom('api_keys').selectAll();
  if (!options.includeRevoked) q = q.where('revoked_at', 'is', null);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Revokes a key; false when it does not exist or was already revoked. */
export async function revokeApiKey(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
