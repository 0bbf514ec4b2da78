import { Order, permanentError } from '../../model/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import { appendTimeline, getOrderRow, getTimeline, setOrderStatus, type Db, type LineQuantitiesRow, type OrderRow } from '../../store/index.js';
import { assertTransition, isOrderStatus, type OrderStatus } from './order-status.js';

/** An order row with its canonical order parsed. */
export interface LoadedOrder {
  row: OrderRow;
  order: Order;
}

/** Reads an order; a missing one is a permanent error. */
export async function loadOrder(db: Db, orderId: string): Promise<LoadedOrder> {
  const row = await getOrderRow(db, orderId);
  if (!row) throw permanentError('unknown_order', `order ${orderId} does not exist`, 404);
  return { row, order: Order.parse(JSON.parse(row.data)) };
}

/**
 * Moves an order to a status through the state machine (an invalid move is a permanent
 * `invalid_transition`), and notes it on the timeline; moving to the status it has is a no-op.
 */
export async function moveOrder(
  tx: Pick<HandlerTransaction, 'db' | 'now'>,
  orderId: string,
  to: OrderStatus,
  context: { system: string; reason?: string | null; detail?: Record<string, unknown>; messageId?: string | null },
): Promise<void> {
  const row = await getOrderRow(tx.db, orderId);
  if (!row) throw permanentError('unknown_order', `order ${orderId} does not exist`, 404);
  const from = row.status;
  if (from === to && (to !== 'on_hold' || row.hold_reason === (context.reason ?? null))) return;
  if (!isOrderStatus(from)) throw permanentError('invalid_transition', `order ${orderId} has an unknown status ${from}`, 409);
  if (from !== to) assertTransition(from, to);
  await setOrderStatus(tx.db, { id: orderId, status: to, holdReason: to === 'on_hold' ? (context.reason ?? 'manual') : null, now: tx.now });
  await appendTimeline(tx.db, [
    {
      order_id: orderId,
      at: tx.now,
      event: `order.${to}`,
      system: context.system,
      detail: JSON.stringify({ from, to, ...(context.reason ? { reason: context.reason } : {}), ...context.detail }),
      correlation_id: row.correlation_id,
      message_id: context.messageId ?? null,
    },
  ]);
}

/** The status an order had before its latest hold, from the timeline. */
export async function statusBeforeHold(db: Db, orderId: string): Promise<OrderStatus> {
  const held = (await getTimeline(db, orderId)).filter((t) => t.event === 'order.on_hold').at(-1);
  const from = held?.detail ? (JSON.parse(held.detail) as { from?: string }).from : undefined;
  return from && isOrderStatus(from) && from !== 'on_hold' ? from : 'accepted';
}

/** Units of a line neither shipped nor cancelled. */
export function openQuantity(line: Pick<LineQuantitiesRow, 'ordered' | 'shipped' | 'cancelled'>): number {
  return line.ordered - line.shipped - line.cancelled;
}

/** True when every unit of every line is shipped or cancelled. */
export function isResolved(lines: readonly LineQuantitiesRow[]): boolean {
  return lines.length > 0 && lines.every((line) => openQuantity(line) <= 0);
}

/** Units of an order line in money: their price, their share of the line's discount, and of its taxes (added unless included). */
export interface LineShare {
  gross: number;
  discount: number;
  tax: number;
}

/** The money of `quantity` units of an order line, shares rounded half up. */
export function lineShare(order: Order, lineId: string, quantity: number): LineShare {
  const line = order.lines.find((l) => l.lineId === lineId);
  if (!line || quantity <= 0) return { gross: 0, discount: 0, tax: 0 };
  const share = (amount: number) => Math.round((amount * quantity) / line.quantity);
  return { gross: quantity * line.unitPrice, discount: share(line.discount), tax: order.taxesIncluded ? 0 : share(line.taxes.reduce((sum, t) => sum + t.amount, 0)) };
}

/** What `quantity` units of an order line cost the customer, in minor units: price less discount, plus tax. */
export function lineValue(order: Order, lineId: string, quantity: number): number {
  const share = lineShare(order, lineId, quantity);
  return share.gross - share.discount + share.tax;
}
