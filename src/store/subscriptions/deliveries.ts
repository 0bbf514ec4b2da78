import type { Insertable, Selectable } from 'kysely';
import type { SubscriptionDeliveriesTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** One recorded delivery attempt. */
export type DeliveryAttemptRow = Selectable<SubscriptionDeliveriesTable>;
/** A delivery attempt to record. */
export type NewDeliveryAttemptRow = Omit<Insertable<SubscriptionDeliveriesTable>, 'seq'>;

/** Records one delivery attempt (its own small write: the attempt happened whatever the outcome). */
export async function insertDeliveryAttempt(db: Db, row: NewDeliveryAttemptRow): Promise<void> {
  await db.insertInto('subscription_deliveries').values(row).execute();
}

/** A subscription's delivery attempts newest first, paging by sequence number (`before` is exclusive). */
export async function listDeliveryAttempts(
  db: Db,
  subscriptionId: string,
  page: { limit: number; before?: number | undefined },
): Promise<DeliveryAttemptRow[]> {
  let q = db.selectFrom('subscription_deliveries').selectAll().where('subscription_id', '=', subscriptionId);
  if (page.before !== undefined) q = q.where('seq', '<', page.before);
  return q.orderBy('seq', 'desc').limit(page.limit).execute();
}
