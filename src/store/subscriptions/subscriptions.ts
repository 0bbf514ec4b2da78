import type { Selectable } from 'kysely';
import type { SubscriptionsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A subscription row as stored (with its signing secret: never show it outside creation and rotation). */
export type SubscriptionRow = Selectable<SubscriptionsTable>;

/** Subscription statuses as stored: only `active` ones get deliveries. */
export const subscriptionStatus = { active: 'active', disabled: 'disabled', deleted: 'deleted' } as const;

/** Stores a new subscription. */
export async function insertSubscription(db: Db, row: SubscriptionRow): Promise<void> {
  await db.insertInto('subscriptions').values(row).execute();
}

/** One subscription by id, whatever its status. */
export async function getSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every subscription, newest first; deleted ones only when asked. */
export async function listSubscriptions(db: Db, options: { includeDeleted?: boolean } = {}): Promise<SubscriptionRow[]> {
  let q = db.selectFrom('subscriptions').selectAll();
  if (!options.includeDeleted) q = q.where('status', '!=', subscriptionStatus.deleted);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** The active subscriptions' ids and event types, for fanning an event out (no secrets read). */
export async function listActiveSubscriptionEvents(db: Db): Promise<Pick<SubscriptionRow, 'id' | 'events'>[]> {
  return db.selectFrom('subscriptions').select(['id', 'events']).where('status', '=', subscriptionStatus.active).orderBy('id').execute();
}

/** Changes a subscription's status unless it is already deleted; false when nothing changed. */
export async function setSubscriptionStatus(
  db: Db,
  input: { id: string; status: string; reason: string | null; now: number; onlyFrom?: string },
): Promise<boolean> {
  let q = db
    .updateTable('subscriptions')
    .set({ status: input.status, status_reason: input.reason, updated_at: input.now })
    .where('id', '=', input.id)
    .where('status', '!=', subscriptionStatus.deleted);
  if (input.onlyFrom) q = q.where('status', '=', input.onlyFrom);
  const result = await q.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Replaces a live subscription's secret, keeping the old one (to sign alongside) until `previousUntil`. */
export async function replaceSubscriptionSecret(
  db: Db,
  input: { id: string; secret: string; previous: string; previousUntil: number; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('subscriptions')
    .set({ secret: input.secret, previous_secret: input.previous, previous_secret_until: input.previousUntil, updated_at: input.now })
    .where('id', '=', input.id)
    .where('status', '!=', subscriptionStatus.deleted)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
