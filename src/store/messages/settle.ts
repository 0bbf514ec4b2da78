import { messageStatus, type Db } from './types.js';

/** A failure as recorded in a message's attempt history. */
export interface AttemptError {
  code: string;
  message: string;
  retryable: boolean;
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

/** Marks one leased message done if this owner still holds the lease; false means the lease was lost. */
export async function completeMessage(db: Db, id: string, owner: string, now: number): Promise<boolean> {
  return (await completeMessages(db, [id], owner, now)).size === 1;
}

/** A failed attempt of a leased message, as the worker holding the lease reports it. */
export interface FailedAttempt {
  id: string;
  owner: string;
  attempt: number;
  now: number;
  error: AttemptError;
}

/** Returns a leased message to the queue to be tried again at `availableAt`, recording the attempt. */
export function scheduleRetry(db: Db, input: FailedAttempt & { availableAt: number }): Promise<boolean> {
  return settleFailure(db, input, 'retry_scheduled', { status: messageStatus.pending, available_at: input.availableAt });
}

/** Moves a leased message to the dead letters with its reason, recording the final attempt. */
export function deadLetter(db: Db, input: FailedAttempt & { reason: string }): Promise<boolean> {
  return settleFailure(db, input, 'dead_lettered', { status: messageStatus.dead, dead_reason: input.reason });
}

/** Settles a failed attempt if the lease is still held, and records it in the message's history. */
function settleFailure(
  db: Db,
  input: FailedAttempt,
  outcome: string,
  changes: { status: string; available_at?: number; dead_reason?: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('messages')
      .set({
        ...changes,
        lease_owner: null,
        lease_expires_at: null,
        last_error: JSON.stringify(input.error),
        updated_at: input.now,
      })
      .where('id', '=', input.id)
      .where('lease_owner', '=', input.owner)
      .where('status', '=', messageStatus.leased)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx
      .insertInto('message_attempts')
      .values({
        message_id: input.id,
        attempt: input.attempt,
        at: input.now,
        outcome,
        error_code: input.error.code,
        error_message: input.error.message.slice(0, 4000),
        worker: input.owner,
      })
      .execute();
    return true;
  });
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
