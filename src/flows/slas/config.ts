import { z } from 'zod';
import { Duration } from '../order-to-cash/index.js';

/** Business SLA targets (ms or text like 15m, 2h, 1d) and the default evaluation window. */
export const SlasConfig = z.object({
  /** How far back GET /v1/slas and the alert evaluator look by default (24 h). */
  window: Duration.default(86_400_000),
  /** A product change in the hub → published on every channel. */
  productPublication: Duration.default(900_000),
  /** An order placed in the channel → booked as a Sales Order in the ERP. */
  orderAcceptance: Duration.default(900_000),
  /** A warehouse shipment → confirmed to the sales channel (fulfillment sent). */
  shipmentConfirmation: Duration.default(3_600_000),
  /** A refund requested (return received, refund asked) → refunded at the payment provider. */
  refundProcessing: Duration.default(86_400_000),
  /** A payout paid → its journal entry posted to the ERP. */
  settlementPosting: Duration.default(3_600_000),
});
export type SlasConfig = z.infer<typeof SlasConfig>;
/** The `slas` section as written in the configuration file. */
export type SlasConfigInput = z.input<typeof SlasConfig>;
