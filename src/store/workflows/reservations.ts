import type { Selectable } from 'kysely';
import type { StockReservationsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A stock reservation as stored. */
export type StockReservationRow = Selectable<StockReservationsTable>;

/** Sets reservations to the given quantities (absolute, so a retry reserves nothing twice); zero removes one. */
export async function setReservations(db: Db, rows: StockReservationRow[]): Promise<void> {
  const keep = rows.filter((r) => r.quantity > 0);
  for (const row of rows.filter((r) => r.quantity <= 0)) {
    await db.deleteFrom('stock_reservations').where('order_id', '=', row.order_id).where('line_id', '=', row.line_id).where('location_id', '=', row.location_id).execute();
  }
  if (keep.length === 0) return;
  await db
    .insertInto('stock_reservations')
    .values(keep)
    .onConflict((oc) => oc.columns(['order_id', 'line_id', 'location_id']).doUpdateSet((eb) => ({ quantity: eb.ref('excluded.quantity'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

/** An order's reservations. */
export async function listReservations(db: Db, orderId: string): Promise<StockReservationRow[]> {
  return db.selectFrom('stock_reservations').selectAll().where('order_id', '=', orderId).orderBy('line_id').execute();
}

/** Releases every reservation of an order; the SKUs that had some. */
export async function releaseReservations(db: Db, orderId: string): Promise<string[]> {
  const rows = await db.deleteFrom('stock_reservations').where('order_id', '=', orderId).returning('sku').execute();
  return [...new Set(rows.map((r) => r.sku))];
}

/** Takes shipped or cancelled units off an order's reservations (any location), removing emptied ones; the SKUs touched. */
export async function consumeReservations(db: Db, orderId: string, lines: { lineId: string; quantity: number }[]): Promise<string[]> {
  const skus = new Set<string>();
  for (const line of lines) {
    let left = line.quantity;
    const rows = await db.selectFrom('stock_reservations').selectAll().where('order_id', '=', orderId).where('line_id', '=', line.lineId).orderBy('location_id').execute();
    for (const row of rows) {
      if (left <= 0) break;
      const take = Math.min(left, row.quantity);
      left -= take;
      await setReservations(db, [{ ...row, quantity: row.quantity - take }]);
      skus.add(row.sku);
    }
  }
  return [...skus];
}
