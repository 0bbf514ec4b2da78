import { sql } from 'kysely';
import type { Db } from '../messages/types.js';

/** What reconciliation compares of one hub order: its totals and status, and whether the hub booked it in the ERP. */
export interface OrderFactRow {
  id: string;
  source: string;
  external_id: string;
  number: string | null;
  status: string;
  currency: string;
  total: number;
  /** Units of its lines cancelled since it was placed (the ERP order was then reduced). */
  cancelled_units: number;
  /** The Sales Order the booking step made (null: not booked by the hub, or the step was undone). */
  sales_order: string | null;
}

/** Orders the hub received in [from, to] (epoch ms), a page at a time in id order after `afterId`. */
export async function listOrderFacts(db: Db, window: { from: number; to: number }, page: { limit: number; afterId?: string | undefined }): Promise<OrderFactRow[]> {
  let query = db
    .selectFrom('orders as o')
    .select(['o.id', 'o.source', 'o.external_id', 'o.number', 'o.status', 'o.currency', 'o.total'])
    .select((eb) => [
      eb.fn.coalesce(eb.selectFrom('order_line_quantities as q').select((q) => q.fn.sum<number>('q.cancelled').as('c')).whereRef('q.order_id', '=', 'o.id'), sql.lit(0)).as('cancelled_units'),
      eb
        .selectFrom('workflow_runs as r')
        .innerJoin('workflow_steps as s', 's.run_id', 'r.id')
        .select('s.output')
        .whereRef('r.order_id', '=', 'o.id')
        .where('s.step', '=', 'book-sales-order')
        .where('s.phase', '=', 'forward')
        .where('s.status', '=', 'done')
        .where((w) => w.not(w.exists(w.selectFrom('workflow_steps as u').select('u.step').whereRef('u.run_id', '=', 'r.id').where('u.step', '=', 'book-sales-order').where('u.phase', '=', 'compensate').where('u.status', '=', 'done'))))
        .limit(1)
        .as('booking'),
    ])
    .where('o.created_at', '>=', window.from)
    .where('o.created_at', '<=', window.to);
  if (page.afterId !== undefined) query = query.where('o.id', '>', page.afterId);
  const rows = await query.orderBy('o.id').limit(page.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    external_id: row.external_id,
    number: row.number,
    status: row.status,
    currency: row.currency,
    total: Number(row.total),
    cancelled_units: Number(row.cancelled_units),
    sales_order: salesOrderOf(row.booking as string | null),
  }));
}

function salesOrderOf(output: string | null): string | null {
  if (output === null) return null;
  const parsed = JSON.parse(output) as { documents?: { salesOrder?: unknown } };
  return typeof parsed.documents?.salesOrder === 'string' ? parsed.documents.salesOrder : null;
}
