import { z } from 'zod';
import { Identifier, Quantity, Timestamp } from './primitives.js';

/** Life-cycle of a return (RMA). */
export const ReturnStatus = z.enum(['requested', 'authorized', 'received', 'refunded', 'rejected', 'closed']);

/** What happens to returned units: back into stock, or written off. */
export const ReturnDisposition = z.enum(['restock', 'write_off']);

/** Units of one order line coming back, and why. */
export const ReturnLine = z.object({
  lineId: Identifier,
  sku: Identifier,
  quantity: Quantity,
  reason: z.string().min(1, { error: 'reason must not be empty' }),
  disposition: ReturnDisposition.optional(),
});

/** A customer return of units from an order. */
export const Return = z.object({
  id: Identifier.optional(),
  orderId: Identifier,
  rma: z.string().optional(),
  status: ReturnStatus,
  lines: z.array(ReturnLine).min(1, { error: 'a return has at least one line' }),
  createdAt: Timestamp,
});

/** A customer return of units from an order. */
export type Return = z.infer<typeof Return>;
