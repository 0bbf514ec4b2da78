import type { Db, NewMessageRow } from './types.js';

/** Inserts outbox messages; call it inside the transaction that makes the state change. */
export async function insertMessages(db: Db, rows: NewMessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    await db.insertInto('messages').values(rows.slice(i, i + chunk)).execute();
  }
}
