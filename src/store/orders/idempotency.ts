import type { Selectable } from 'kysely';
import type { IdempotencyKeysTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A stored response for an Idempotency-Key. */
export type IdempotencyRecord = Selectable<IdempotencyKeysTable>;

/** Reads the stored responses of (principal, idempotency key) pairs. */
export async function findIdempotencyRecords(
  db: Db,
  keys: { principal: string; key: string }[],
): Promise<IdempotencyRecord[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where((eb) => eb(eb.refTuple('principal', 'key'), 'in', keys.map((k) => eb.tuple(k.principal, k.key))))
    .execute();
}

/** Stores first responses for idempotency keys; returns how many were new (an existing key is left as it was). */
export async function insertIdempotencyRecords(db: Db, rows: IdempotencyRecord[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('idempotency_keys')
    .values(rows)
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .returning('key')
    .execute();
  return inserted.length;
}
