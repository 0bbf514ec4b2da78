import type { Dialect } from '../dialect.js';
import { messageStatus, type Db } from './types.js';

/**
 * Returns messages whose lease expired (their worker crashed or stalled) to the queue, recording
 * the lost attempt, so they are redelivered. Returns how many were reclaimed.
 */
export async function reclaimExpiredLeases(db: Db, dialect: Dialect, now: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const expired = await trx
      .selectFrom('messages')
      .select(['id', 'attempts', 'lease_owner'])
      .where('status', '=', messageStatus.leased)
      .where('lease_expires_at', '<', now)
      .limit(1000)
      .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    if (expired.length === 0) return 0;
    const ids = expired.map((m) => m.id);
    const result = await trx
      .updateTable('messages')
      .set({ status: messageStatus.pending, lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('id', 'in', ids)
      .where('status', '=', messageStatus.leased)
      .where('lease_expires_at', '<', now)
      .executeTakeFirst();
    await trx
      .insertInto('message_attempts')
      .values(
        expired.map((m) => ({
          message_id: m.id,
          attempt: m.attempts,
          at: now,
          outcome: 'lease_expired',
          error_code: 'lease_expired',
          error_message: `lease held by ${m.lease_owner ?? 'unknown'} expired before the message was settled`,
          worker: m.lease_owner,
        })),
      )
      .execute();
    return Number(result.numUpdatedRows);
  });
}
