import type { Selectable } from 'kysely';
import type { SigningKeysTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A token signing key as stored: its public and private halves as JWK JSON text. */
export type SigningKeyRow = Selectable<SigningKeysTable>;

/** Stores a new signing key. */
export async function insertSigningKey(db: Db, row: SigningKeyRow): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}

/** Keys still signing, newest first (normally exactly one). */
export async function listActiveSigningKeys(db: Db): Promise<SigningKeyRow[]> {
  return db.selectFrom('signing_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
}

/** Keys to publish and verify with: active ones and those retired after `retiredSince`, newest first. */
export async function listPublishedSigningKeys(db: Db, retiredSince: number): Promise<SigningKeyRow[]> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', retiredSince)]))
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .execute();
}

/** Retires every active key except `keep`; returns the kids it retired. */
export async function retireSigningKeys(db: Db, keep: string, now: number): Promise<string[]> {
  const rows = await db.updateTable('signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).where('kid', '!=', keep).returning('kid').execute();
  return rows.map((r) => r.kid);
}
