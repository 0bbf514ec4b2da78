import { z } from 'zod';

/** Stripe object ids and other required strings. */
const Id = z.string().min(1);
/** Unix seconds. */
const Epoch = z.int().min(0);
/** Stripe's metadata hash (absent or null reads as empty). */
const Metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((value) => value ?? {});

/** A field that is an id, or the object itself when expanded. */
export const Expandable = z.union([Id, z.looseObject({ id: Id, object: z.string().optional(), metadata: Metadata.optional() })]);

/** An expandable field's id. */
export function expandableId(value: z.output<typeof Expandable> | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value.id;
}

/** A Refund (`re_…`). */
export const StripeRefund = z.looseObject({
  id: Id,
  object: z.literal('refund'),
  amount: z.int(),
  currency: z.string().length(3),
  charge: Expandable.nullish(),
  payment_intent: Expandable.nullish(),
  created: Epoch,
  status: z.string().nullish(),
  reason: z.string().nullish(),
  metadata: Metadata,
  balance_transaction: Expandable.nullish(),
});
/** A Refund. */
export type StripeRefund = z.output<typeof StripeRefund>;

/** The last error of a PaymentIntent (a decline, an authentication failure, …). */
export const StripePaymentError = z.looseObject({
  type: z.string().optional(),
  code: z.string().nullish(),
  decline_code: z.string().nullish(),
  message: z.string().nullish(),
  param: z.string().nullish(),
  charge: z.string().nullish(),
});

/** A PaymentIntent (`pi_…`). */
export const StripePaymentIntent = z.looseObject({
  id: Id,
  object: z.literal('payment_intent'),
  amount: z.int(),
  amount_capturable: z.int().default(0),
  amount_received: z.int().default(0),
  currency: z.string().length(3),
  capture_method: z.string().default('automatic'),
  status: z.string(),
  created: Epoch,
  canceled_at: Epoch.nullish(),
  cancellation_reason: z.string().nullish(),
  description: z.string().nullish(),
  latest_charge: Expandable.nullish(),
  last_payment_error: StripePaymentError.nullish(),
  metadata: Metadata,
});
/** A PaymentIntent. */
export type StripePaymentIntent = z.output<typeof StripePaymentIntent>;

/** A Charge (`ch_…`); `refunds` is present in webhook payloads and when expanded. */
export const StripeCharge = z.looseObject({
  id: Id,
  object: z.literal('charge'),
  amount: z.int(),
  amount_captured: z.int().default(0),
  amount_refunded: z.int().default(0),
  captured: z.boolean(),
  currency: z.string().length(3),
  created: Epoch,
  status: z.string(),
  paid: z.boolean().optional(),
  refunded: z.boolean().optional(),
  disputed: z.boolean().optional(),
  failure_code: z.string().nullish(),
  failure_message: z.string().nullish(),
  payment_intent: Expandable.nullish(),
  balance_transaction: Expandable.nullish(),
  metadata: Metadata,
  refunds: z.looseObject({ data: z.array(StripeRefund), has_more: z.boolean().optional() }).nullish(),
});
/** A Charge. */
export type StripeCharge = z.output<typeof StripeCharge>;

/** A Dispute (`dp_…`): a chargeback or an inquiry. */
export const StripeDispute = z.looseObject({
  id: Id,
  object: z.literal('dispute'),
  amount: z.int(),
  currency: z.string().length(3),
  charge: Expandable,
  payment_intent: Expandable.nullish(),
  created: Epoch,
  reason: z.string(),
  status: z.string(),
  metadata: Metadata,
});
/** A Dispute. */
export type StripeDispute = z.output<typeof StripeDispute>;

/** A Payout (`po_…`) to the account's bank. */
export const StripePayout = z.looseObject({
  id: Id,
  object: z.literal('payout'),
  amount: z.int(),
  currency: z.string().length(3),
  arrival_date: Epoch,
  created: Epoch,
  status: z.string(),
  automatic: z.boolean().optional(),
  balance_transaction: Expandable.nullish(),
  failure_code: z.string().nullish(),
  failure_message: z.string().nullish(),
  metadata: Metadata,
});
/** A Payout. */
export type StripePayout = z.output<typeof StripePayout>;

/** A fee inside a balance transaction (Stripe's fee, an application fee, tax on fees). */
export const StripeFeeDetail = z.looseObject({ amount: z.int(), currency: z.string().length(3), type: z.string(), description: z.string().nullish() });

/** A BalanceTransaction (`txn_…`): one movement of the account balance, with Stripe's fee. */
export const StripeBalanceTransaction = z.looseObject({
  id: Id,
  object: z.literal('balance_transaction'),
  amount: z.int(),
  fee: z.int(),
  net: z.int(),
  currency: z.string().length(3),
  type: z.string(),
  reporting_category: z.string().optional(),
  source: Expandable.nullish(),
  created: Epoch,
  available_on: Epoch.optional(),
  status: z.string().optional(),
  description: z.string().nullish(),
  fee_details: z.array(StripeFeeDetail).default([]),
  /** Units of `currency` per one unit of the source's currency when Stripe converted it (a JSON number; a decimal string from a lossless reader). */
  exchange_rate: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]).nullish(),
});
/** A BalanceTransaction. */
export type StripeBalanceTransaction = z.output<typeof StripeBalanceTransaction>;

/** One currency's amount in the balance. */
const BalanceAmount = z.looseObject({ amount: z.int(), currency: z.string().length(3) });

/** The account Balance (`GET /v1/balance`). */
export const StripeBalance = z.looseObject({
  object: z.literal('balance'),
  available: z.array(BalanceAmount),
  pending: z.array(BalanceAmount),
  livemode: z.boolean().optional(),
});
/** The account Balance. */
export type StripeBalance = z.output<typeof StripeBalance>;

/** An Event (`evt_…`), the body of every webhook delivery. */
export const StripeEvent = z.looseObject({
  id: Id,
  object: z.literal('event'),
  type: Id,
  api_version: z.string().nullish(),
  created: Epoch,
  livemode: z.boolean().optional(),
  data: z.looseObject({ object: z.looseObject({}), previous_attributes: z.looseObject({}).optional() }),
  request: z.looseObject({ id: z.string().nullish(), idempotency_key: z.string().nullish() }).nullish(),
});
/** An Event. */
export type StripeEvent = z.output<typeof StripeEvent>;

/** A page of a list endpoint. */
export function stripeList<T extends z.ZodType>(item: T) {
  return z.looseObject({ object: z.literal('list'), data: z.array(item), has_more: z.boolean(), url: z.string().optional() });
}

/** Stripe's error body: `{"error": {"type", "code", "message", "param", …}}`. */
export const StripeErrorBody = z.object({
  error: z.looseObject({
    type: z.string(),
    code: z.string().optional(),
    decline_code: z.string().optional(),
    message: z.string().optional(),
    param: z.string().optional(),
  }),
});
/** Stripe's error body. */
export type StripeErrorBody = z.output<typeof StripeErrorBody>;
