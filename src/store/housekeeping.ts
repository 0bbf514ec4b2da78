import { messageStatus, type Db } from './messages/types.js';

/** What housekeeping removed. */
export interface PurgeResult {
  messages: number;
  idempotencyKeys: number;
}

/**
 * Deletes completed messages (with their attempt, replay and edit history) and idempotency records
 * older than `before` (epoch ms), at most `limit` messages per call. Pending, leased and dead
 * messages are never purged.
 */
export async function purgeExpired(db: Db, before: number, limit = 5000): Promise<PurgeResult> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('messages')
      .select('id')
      .where('status', '=', messageStatus.done)
      .where('updated_at', '<', before)
      .limit(limit)
      .execute();
    const ids = old.map((m) => m.id);
    if (ids.length > 0) {
      await trx.deleteFrom('message_attempts').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('message_replays').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('message_edits').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('messages').where('id', 'in', ids).where('status', '=', messageStatus.done).execute();
    }
    const keys = await trx.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return { messages: ids.length, idempotencyKeys: Number(keys.numDeletedRows) };
  });
}
