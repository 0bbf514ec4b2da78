import type { Db } from '../messages/types.js';

/** Reads one bookkeeping value of a connection (a poll cursor, a version), or null. */
export async function getConnectorState(db: Db, connectionId: string, key: string): Promise<string | null> {
  const row = await db
    .selectFrom('connector_state')
    .select('value')
    .where('connection_id', '=', connectionId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value ?? null;
}

/** Writes one bookkeeping value of a connection (insert or replace). */
export async function setConnectorState(db: Db, connectionId: string, key: string, value: string, now: number): Promise<void> {
  await db
    .insertInto('connector_state')
    .values({ connection_id: connectionId, key, value, updated_at: now })
    .onConflict((oc) => oc.columns(['connection_id', 'key']).doUpdateSet({ value, updated_at: now }))
    .execute();
}
