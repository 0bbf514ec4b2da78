import type { Selectable } from 'kysely';
import type { OrderLineQuantitiesTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** One order line's progress as stored. */
export type LineQuantitiesRow = Selectable<OrderLineQuantitiesTable>;

/** Records an order's lines with nothing shipped, cancelled or returned yet (existing lines are kept). */
export async function initLineQuantities(db: Db, orderId: string, lines: { lineId: string; sku: string; quantity: number }[], now: number): Promise<void> {
  if (lines.length === 0) return;
  await db
    .insertInto('order_line_quantities')
    .values(lines.map((l) => ({ order_id: orderId, line_id: l.lineId, sku: l.sku, ordered: l.quantity, shipped: 0, cancelled: 0, returned: 0, updated_at: now })))
    .onConflict((oc) => oc.columns(['order_id', 'line_id']).doNothing())
    .execute();
}

/** An order's line progress, by line id order. */
export async function listLineQuantities(db: Db, orderId: string): Promise<LineQuantitiesRow[]> {
  return db.selectFrom('order_line_quantities').selectAll().where('order_id', '=', orderId).orderBy('line_id').execute();
}

/** Adds units to one counter of some lines (run once per step completion, inside its transaction). */
export async function addLineQuantities(
  db: Db,
  orderId: string,
  counter: 'shipped' | 'cancelled' | 'returned',
  lines: { lineId: string; quantity: number }[],
  now: number,
): Promise<void> {
  for (const line of lines) {
    await db
      .updateTable('order_line_quantities')
      .set((eb) => ({ [counter]: eb(counter, '+', line.quantity), updated_at: now }))
      .where('order_id', '=', orderId)
      .where('line_id', '=', line.lineId)
      .execute();
  }
}

/** Orders on hold for this reason with a line of this SKU, oldest first. */
export async function listOrdersHeldForSku(db: Db, reason: string, sku: string): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .innerJoin('order_line_quantities', 'order_line_quantities.order_id', 'orders.id')
    .select('orders.id')
    .distinct()
    .where('orders.status', '=', 'on_hold')
    .where('orders.hold_reason', '=', reason)
    .where('order_line_quantities.sku', '=', sku)
    .orderBy('orders.id')
    .execute();
  return rows.map((r) => r.id);
}
