import { z } from 'zod';
import { CurrencyCode } from './currency.js';
import { NonNegativeMinorUnits } from './money.js';
import { Identifier, Quantity, Timestamp } from './primitives.js';

/** The part of a refund attributed to units of one order line. */
export const RefundLine = z.object({
  lineId: Identifier,
  quantity: Quantity,
  amount: NonNegativeMinorUnits,
});

/** Money given back to a customer for an order, optionally itemised by line and shipping. */
export const Refund = z.object({
  id: Identifier.optional(),
  orderId: Identifier,
  reference: Identifier.optional(),
  currency: CurrencyCode,
  amount: NonNegativeMinorUnits,
  lines: z.array(RefundLine).optional(),
  shipping: NonNegativeMinorUnits.optional(),
  reason: z.string().optional(),
  createdAt: Timestamp,
});

/** Money given back to a customer for an order. */
export type Refund = z.infer<typeof Refund>;
