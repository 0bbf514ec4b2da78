import { permanentError } from '../../model/index.js';

/** Every status an order can have (CONTRACT.md "Order status"). */
export const orderStatuses = [
  'accepted',
  'booked',
  'released',
  'partially_shipped',
  'shipped',
  'invoiced',
  'closed',
  'on_hold',
  'cancelled',
  'partially_cancelled',
] as const;

/** An order's status. */
export type OrderStatus = (typeof orderStatuses)[number];

/** True for a known order status. */
export function isOrderStatus(value: string): value is OrderStatus {
  return (orderStatuses as readonly string[]).includes(value);
}

/**
 * The order life cycle as an explicit state machine: where each status may go next. A hold can
 * be released back to where the order stood; closed and cancelled are final (returns and refunds
 * after closing appear on the timeline, not as a status).
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  accepted: ['booked', 'on_hold', 'cancelled', 'partially_cancelled'],
  on_hold: ['accepted', 'booked', 'released', 'partially_shipped', 'shipped', 'cancelled', 'partially_cancelled'],
  booked: ['released', 'on_hold', 'cancelled', 'partially_cancelled'],
  released: ['partially_shipped', 'shipped', 'on_hold', 'cancelled', 'partially_cancelled'],
  partially_cancelled: ['booked', 'released', 'partially_shipped', 'shipped', 'invoiced', 'on_hold', 'cancelled'],
  partially_shipped: ['shipped', 'partially_cancelled', 'on_hold'],
  shipped: ['invoiced'],
  invoiced: ['closed'],
  closed: [],
  cancelled: [],
};

/** True when an order may move from one status to the other. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return orderTransitions[from].includes(to);
}

/** Throws a permanent `invalid_transition` error naming both statuses and the allowed ones, unless the move is allowed. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (canTransition(from, to)) return;
  const allowed = orderTransitions[from];
  throw permanentError(
    'invalid_transition',
    `an order cannot go from ${from} to ${to} (from ${from} it can go to ${allowed.length ? allowed.join(', ') : 'nothing: it is final'})`,
    409,
  );
}
