import { stringify as losslessStringify } from 'lossless-json';
import { permanentError } from '../../model/index.js';
import type { SubmittableOps } from './documents.js';
import type { SalesOrder, SellingContext } from './selling-docs.js';
import { frappeMoney } from './values.js';

/** A new quantity for one Sales Order row; 0 removes the row. */
export interface RowQuantity {
  rowName: string;
  qty: number;
}

/** What `updateItems` sends: nothing when every row already has its quantity, else the rows ERPNext keeps. */
export type ItemUpdatePlan = { changed: false } | { changed: true; transItems: Record<string, unknown>[] };

/** ERPNext's whitelisted "Update Items" method of submitted Sales and Purchase Orders. */
export const updateChildQtyRateMethod = 'erpnext.controllers.accounts_controller.update_child_qty_rate';

function invalid(order: SalesOrder, message: string): never {
  throw permanentError('erpnext_invalid_quantity', `Sales Order ${order.name}: ${message}`, 422, { order: order.name });
}

/**
 * Works out the `trans_items` of update_child_qty_rate (pure): every row the order keeps, with its
 * new or unchanged quantity and its current rate (a row left out is deleted by ERPNext). Only
 * reductions are accepted; removing every row is refused (cancel the order instead).
 */
export function planItemUpdate(order: SalesOrder, rows: readonly RowQuantity[]): ItemUpdatePlan {
  if (order.state !== 'submitted') {
    throw permanentError('erpnext_order_not_submitted', `Sales Order ${order.name} is ${order.state}: only a submitted order's items are updated this way${order.state === 'draft' ? ' (edit the draft instead)' : ''}`, 422, { order: order.name, state: order.state });
  }
  const wanted = new Map<string, number>();
  for (const { rowName, qty } of rows) {
    const line = order.lines.find((l) => l.rowName === rowName);
    if (!line) throw permanentError('erpnext_row_not_on_order', `row ${rowName} is not on Sales Order ${order.name} (its rows: ${order.lines.map((l) => `${l.rowName} ${l.itemCode}`).join(', ')})`, 422, { order: order.name, rowName });
    if (wanted.has(rowName)) invalid(order, `row ${rowName} is given twice`);
    if (!(Number.isFinite(qty) && qty >= 0)) invalid(order, `row ${rowName} (${line.itemCode}): quantity ${qty} is not a number ≥ 0`);
    if (qty > line.qty) invalid(order, `row ${rowName} (${line.itemCode}): updateItems only reduces quantities (${line.qty} → ${qty})`);
    wanted.set(rowName, qty);
  }
  const next = order.lines.map((line) => ({ line, qty: wanted.get(line.rowName) ?? line.qty }));
  if (next.every(({ qty }) => qty === 0)) {
    throw permanentError('erpnext_order_would_be_empty', `Sales Order ${order.name}: removing every row is not an update (ERPNext keeps at least one): cancel the order instead`, 422, { order: order.name });
  }
  if (next.every(({ line, qty }) => qty === line.qty)) return { changed: false };
  return {
    changed: true,
    transItems: next
      .filter(({ qty }) => qty > 0)
      .map(({ line, qty }) => ({
        docname: line.rowName,
        ...(line.idx !== undefined ? { idx: line.idx } : {}),
        item_code: line.itemCode,
        qty,
        rate: frappeMoney(line.rate, order.currency),
        ...(line.uom ? { uom: line.uom } : {}),
        ...(line.conversionFactor !== undefined ? { conversion_factor: line.conversionFactor } : {}),
        ...(line.deliveryDate ? { delivery_date: line.deliveryDate } : {}),
      })),
  };
}

/**
 * `salesOrders.updateItems`: lowers row quantities of a submitted Sales Order (partial
 * cancellation) through update_child_qty_rate, then reads the order back. Quantities are
 * absolute, so a repeated or retried call changes nothing more (and sends nothing once done).
 */
export function updateItemsOp(context: SellingContext, orders: SubmittableOps<SalesOrder>) {
  const { resources } = context;
  return async (name: string, rows: RowQuantity[], signal?: AbortSignal): Promise<SalesOrder> => {
    const order = await orders.get(name, signal);
    const plan = planItemUpdate(order, rows);
    if (!plan.changed) return order;
    await resources.callMethod(updateChildQtyRateMethod, {
      httpMethod: 'POST',
      // Absolute quantities: sending the same update again is harmless, so a lost answer may be retried.
      retry: true,
      args: { parent_doctype: 'Sales Order', trans_items: losslessStringify(plan.transItems) ?? '[]', parent_doctype_name: name, child_docname: 'items' },
      ...(signal ? { signal } : {}),
    });
    return orders.get(name, signal);
  };
}
