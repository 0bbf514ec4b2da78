import type { Insertable, Selectable } from 'kysely';
import type { OrdersTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** An order row as stored. */
export type OrderRow = Selectable<OrdersTable>;
/** An order row to insert. */
export type NewOrderRow = Insertable<OrdersTable>;

/** Inserts orders, skipping any whose (source, external_id) exists; returns the ids inserted. */
export async function insertOrders(db: Db, rows: NewOrderRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db
    .insertInto('orders')
    .values(rows)
    .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((r) => r.id));
}

/** Finds existing orders by (source, externalId) pairs. */
export async function findOrdersByExternalIds(
  db: Db,
  keys: { source: string; externalId: string }[],
): Promise<Pick<OrderRow, 'id' | 'source' | 'external_id' | 'status' | 'body_hash'>[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('orders')
    .select(['id', 'source', 'external_id', 'status', 'body_hash'])
    .where((eb) =>
      eb(
        eb.refTuple('source', 'external_id'),
        'in',
        keys.map((k) => eb.tuple(k.source, k.externalId)),
      ),
    )
    .execute();
}

/** One order by id. */
export async function getOrderRow(db: Db, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Filters for listing orders; ids are time-sortable so the cursor is the last id seen. */
export interface OrderListFilter {
  source?: string | undefined;
  status?: string | undefined;
  /** The order's number as the channel shows it; `1001` also finds `#1001`. */
  number?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** Lists orders newest first, paging by id. */
export async function listOrderRows(db: Db, filter: OrderListFilter): Promise<OrderRow[]> {
  let q = db.selectFrom('orders').selectAll();
  if (filter.source) q = q.where('source', '=', filter.source);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.number) q = q.where('number', 'in', filter.number.startsWith('#') ? [filter.number] : [filter.number, `#${filter.number}`]);
  if (filter.after) q = q.where('id', '<', filter.after);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Changes an order's status (and hold reason) — the caller checks the transition is allowed. */
export async function setOrderStatus(
  db: Db,
  input: { id: string; status: string; holdReason?: string | null; now: number },
): Promise<void> {
  await db
    .updateTable('orders')
    .set({ status: input.status, hold_reason: input.holdReason ?? null, updated_at: input.now })
    .where('id', '=', input.id)
    .execute();
}
