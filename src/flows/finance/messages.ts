import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';
import { IsoDate, Payout, Timestamp } from '../../model/index.js';

const Id = z.string().min(1);
const Amount = z.int().nonnegative();
const Currency = z.string().length(3);
const LineUnits = z.object({ lineId: Id, quantity: z.int().positive() });

/** The Sales Invoice made for an order: the hub's sale entry is recorded as posted to it (ERPNext already posts the sale). */
export const SalePosting = z.object({
  event: z.literal('sale'),
  orderId: Id,
  /** The ERP connection and the Sales Invoice that posted the sale. */
  erp: Id,
  salesInvoice: Id,
  postingDate: IsoDate,
  /** The ERP customer, the party of the receivable. */
  customer: Id.optional(),
  /** Units cancelled before invoicing: the invoice, and so the sale, leaves them out. */
  cancelled: z.array(LineUnits).default([]),
});

/** Money captured for an order at its payment provider. */
export const CapturePosting = z.object({
  event: z.literal('capture'),
  orderId: Id,
  /** The provider (default: the order's first payment's). */
  provider: Id.optional(),
  /** The provider's reference of the captured payment (one entry per reference). */
  reference: Id,
  amount: Amount,
  currency: Currency,
  occurredAt: Timestamp,
  customer: Id.optional(),
  /** Captured on shipment, right before the Sales Invoice: posted to the ERP as a payment against that invoice (else as an advance). */
  againstInvoice: z.boolean().optional(),
});

/** Money given back for units or shipping of a sold order (a return's refund, or one the channel made). */
export const RefundPosting = z.object({
  event: z.literal('refund'),
  orderId: Id,
  refundId: Id,
  provider: Id.optional(),
  /** The provider's or channel's refund reference. */
  reference: Id.optional(),
  amount: Amount,
  shipping: Amount.default(0),
  /** The refunded units and what they are worth (price less discount, plus tax). */
  lines: z.array(LineUnits.extend({ amount: Amount })).default([]),
  createdAt: Timestamp,
  /** The ERP credit note that already reversed the sale's part: the entry is split into it and the money paid back. */
  creditNote: z.object({ erp: Id, document: Id }).optional(),
  customer: Id.optional(),
});

/** Money captured in advance and given back before anything was invoiced (a cancellation after capture at acceptance). */
export const PaymentReturnPosting = z.object({
  event: z.literal('payment-return'),
  orderId: Id,
  provider: Id.optional(),
  reference: Id,
  amount: Amount,
  currency: Currency,
  occurredAt: Timestamp,
  customer: Id.optional(),
  /** The payment reference the returned money was captured as: booked only when that capture was (else both net to nothing). */
  capturedAs: Id.optional(),
});

/** What order to cash tells finance to book. */
export const OrderPostingData = z.discriminatedUnion('event', [SalePosting, CapturePosting, RefundPosting, PaymentReturnPosting]);
export type OrderPostingData = z.output<typeof OrderPostingData>;

/** Book a money event of an order (sale, capture, refund) in the journal; emitted with the step that caused it, recorded once per key. */
export const orderPosting = defineMessageType({
  type: 'finance.order-posting',
  lane: 'standard',
  schemaVersion: 1,
  data: OrderPostingData,
  retry: { maxAttempts: 20 },
});

/** Delivery options of an order's postings: one at a time per order, in order, apart from its workflow messages (which they never hold up). */
export function orderPostingDelivery(orderId: string): { subject: string; orderingKey: string } {
  return { subject: orderId, orderingKey: `finance:${orderId}` };
}

/** A paid payout whose webhook carried no settlement lines: fetch them, then book it with their fees (once per payout). */
export const payoutPosting = defineMessageType({
  type: 'finance.payout-posting',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ connectionId: Id, payout: Payout, causationId: Id, sourceEvents: z.array(Id) }),
  retry: { maxAttempts: 30 },
});
