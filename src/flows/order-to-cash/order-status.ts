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
