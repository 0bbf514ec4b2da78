import type { Db } from './messages/types.js';

/** A payload received from outside, deduplicated by source and external id or idempotency key. */
export interface InboxEntry {
  id: string;
  source: string;
  dedupKey: string;
  payload: string;
  headers?: Record<string, string> | undefined;
  receivedAt: number;
  messageId?: string | undefined;
}

/**
 * Records an inbound payload unless the same (source, dedupKey) was seen before. Returns the id
 * of the entry that holds it and whether this one was a duplicate. Call inside the transaction
 * that enqueues the resulting message, so a payload is either kept with its message or not at all.
 */
export async function receiveIntoInbox(db: Db, entry: InboxEntry): Promise<{ id: string; duplicate: boolean }> {
  const inserted = await db
    .insertInto('inbox')
    .values({
      id: entry.id,
      source: entry.source,
      dedup_key: entry.dedupKey,
      received_at: entry.receivedAt,
      payload: entry.payload,
      headers: entry.headers ? JSON.stringify(entry.headers) : null,
      status: 'received',
      message_id: entry.messageId ?? null,
    })
    .onConflict((oc) => oc.columns(['source', 'dedup_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, duplicate: false };
  const existing = await db
    .selectFrom('inbox')
    .select('id')
    .where('source', '=', entry.source)
    .where('dedup_key', '=', entry.dedupKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, duplicate: true };
}

/** Reads one inbox entry with its raw payload, for diagnosis and replay. */
export async function getInboxEntry(db: Db, id: string) {
  return db.selectFrom('inbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records what became of an inbox entry ('processed', or 'ignored' when nothing in it applied). */
export async function setInboxStatus(db: Db, id: string, status: string): Promise<void> {
  await db.updateTable('inbox').set({ status }).where('id', '=', id).execute();
}
