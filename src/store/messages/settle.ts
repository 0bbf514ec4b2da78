import { messageStatus, type Db } from './types.js';

/** A failure as recorded in a message's attempt history. */
export interface AttemptError {
  code: string;
  message: string;
  retryable: boolean;
}

/** Marks a leased message done if this owner still holds the lease; false means the lease was lost. */
export async function completeMessage(db: Db, id: string, owner: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ status: messageStatus.done, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', messageStatus.leased)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks leased messages done for one owner; returns the ids whose lease was still held. */
export async function completeMessages(db: Db, ids: string[], owner: string, now: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable('messages')
    .set({ status: messageStatus.done, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .where('status', '=', messageStatus.leased)
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Returns a leased message to the queue to be tried again at `availableAt`, recording the attempt. */
export async function scheduleRetry(
  db: Db,
  input: { id: string; owner: string; attempt: number; now: number; availableAt: number; error: AttemptError },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('messages')
      .set({
        status: messageStatus.pending,
        lease_owner: null,
        lease_expires_at: null,
        available_at: input.availableAt,
        last_error: JSON.stringify(input.error),
        updated_at: input.now,
      })
      .where('id', '=', input.id)
      .where('lease_owner', '=', input.owner)
      .where('status', '=', messageStatus.leased)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await recordAttempt(trx, input.id, input.attempt, input.now, 'retry_scheduled', input.error, input.owner);
    return true;
  });
}

/** Moves a leased message to the dead letters with its reason, recording the final attempt. */
export async function deadLetter(
  db: Db,
  input: { id: string; owner: string; attempt: number; now: number; reason: string; error: AttemptError },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('messages')
      .set({
        status: messageStatus.dead,
        lease_owner: null,
        lease_expires_at: null,
        dead_reason: input.reason,
        last_error: JSON.stringify(input.error),
        updated_at: input.now,
      })
      .where('id', '=', input.id)
      .where('lease_owner', '=', input.owner)
      .where('status', '=', messageStatus.leased)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await recordAttempt(trx, input.id, input.attempt, input.now, 'dead_lettered', input.error, input.owner);
    return true;
  });
}

async function recordAttempt(
  db: Db,
  messageId: string,
  attempt: number,
  at: number,
  outcome: string,
  error: AttemptError,
  worker: string,
): Promise<void> {
  await db
    .insertInto('message_attempts')
    .values({
      message_id: messageId,
      attempt,
      at,
      outcome,
      error_code: error.code,
      error_message: error.message.slice(0, 4000),
      worker,
    })
    .execute();
}

/** Extends a lease that this owner still holds; false means it was lost. */
export async function extendLease(db: Db, id: string, owner: string, until: number): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ lease_expires_at: until })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', messageStatus.leased)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives back every lease an owner holds (graceful shutdown), without counting an attempt. */
export async function releaseLeases(db: Db, owner: string, now: number): Promise<number> {
  const result = await db
    .updateTable('messages')
    .set((eb) => ({
      status: messageStatus.pending,
      lease_owner: null,
      lease_expires_at: null,
      attempts: eb('attempts', '-', 1),
      updated_at: now,
    }))
    .where('lease_owner', '=', owner)
    .where('status', '=', messageStatus.leased)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
