import { z } from 'zod';
import { Address } from './address.js';
import { CurrencyCode } from './currency.js';
import { Customer } from './customer.js';
import { DecimalString } from './decimal.js';
import { MinorUnits, NonNegativeMinorUnits } from './money.js';
import { ConnectionId, Identifier, Quantity, Timestamp } from './primitives.js';

/** Version of the canonical order wire format these schemas describe. */
export const orderSchemaVersion = 1;

/** A tax charged on a line or a shipping charge; `rate` is informative, `amount` is what counts. */
export const TaxLine = z.object({
  name: z.string().min(1, { error: 'tax name must not be empty' }),
  rate: DecimalString.optional(),
  amount: MinorUnits,
});

/** A tax charged on a line or a shipping charge. */
export type TaxLine = z.infer<typeof TaxLine>;

/** One ordered SKU: quantity × unitPrice, less its discount, with its taxes. */
export const OrderLine = z.object({
  lineId: Identifier,
  sku: Identifier,
  title: z.string().optional(),
  quantity: Quantity,
  unitPrice: NonNegativeMinorUnits,
  discount: NonNegativeMinorUnits.default(0),
  taxes: z.array(TaxLine).default([]),
});

/** One ordered SKU. */
export type OrderLine = z.infer<typeof OrderLine>;

/** A shipping charge with its discount and taxes. */
export const ShippingLine = z.object({
  method: z.string().min(1, { error: 'shipping method must not be empty' }),
  price: NonNegativeMinorUnits,
  discount: NonNegativeMinorUnits.default(0),
  taxes: z.array(TaxLine).default([]),
});

/** A shipping charge. */
export type ShippingLine = z.infer<typeof ShippingLine>;

/** States a payment of an order can be in. */
export const PaymentStatus = z.enum([
  'pending',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
]);

/** States a payment of an order can be in. */
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** A payment made (or attempted) for an order, by provider and the provider's reference. */
export const OrderPayment = z.object({
  provider: z.string().min(1, { error: 'provider must not be empty' }),
  reference: Identifier,
  method: z.string().optional(),
  status: PaymentStatus,
  amount: NonNegativeMinorUnits,
});

/** A payment made (or attempted) for an order. */
export type OrderPayment = z.infer<typeof OrderPayment>;

/** The order's declared totals, checked against its lines by the arithmetic rules. */
export const OrderTotals = z.object({
  subtotal: MinorUnits,
  discount: MinorUnits,
  shipping: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
});

/** The order's declared totals. */
export type OrderTotals = z.infer<typeof OrderTotals>;

/** The canonical order v1, exactly as submitted on the wire (unknown keys are stripped). */
export const Order = z.object({
  source: ConnectionId,
  externalId: Identifier,
  number: z.string().optional(),
  placedAt: Timestamp,
  currency: CurrencyCode,
  taxesIncluded: z.boolean().default(false),
  customer: Customer.optional(),
  shippingAddress: Address.optional(),
  billingAddress: Address.optional(),
  lines: z.array(OrderLine).min(1, { error: 'an order has at least one line' }),
  shipping: z.array(ShippingLine).default([]),
  payments: z.array(OrderPayment).default([]),
  totals: OrderTotals,
  note: z.string().optional(),
  tags: z.array(z.string()).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});

/** A canonical order after parsing (defaults applied). */
export type Order = z.output<typeof Order>;

/** A canonical order as submitted (fields with defaults may be omitted). */
export type OrderInput = z.input<typeof Order>;
