import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'a connection id must match ^[a-z0-9][a-z0-9_-]{0,63}$' });

/** A duration in milliseconds, or text such as "90s", "5m", "2h", "1d". */
export const Duration = z.union([
  z.int().positive(),
  z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, { error: 'a duration is a number of ms or text like 90s, 5m, 2h, 1d' })
    .transform((text) => {
      const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(text)!;
      const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms' | 's' | 'm' | 'h' | 'd'];
      return Number(amount) * factor;
    }),
]);

/** What an order (or one of its lines) must match for a rule to apply; every given field must match. */
export const OrderMatch = z.object({
  /** Source connections (channels). */
  channels: z.array(z.string()).optional(),
  /** Shipping countries (ISO 3166-1 alpha-2). */
  countries: z.array(z.string().length(2)).optional(),
  /** SKU patterns; `*` matches any run of characters. */
  skus: z.array(z.string().min(1)).optional(),
  /** Order total strictly above this many minor units (of `currencies`, when given). */
  totalAbove: z.int().nonnegative().optional(),
  currencies: z.array(z.string().length(3)).optional(),
  /** Any of these order tags. */
  tags: z.array(z.string()).optional(),
  /** Order attributes with these exact values, e.g. `{ risk: high }`. */
  attributes: z.record(z.string(), z.string()).optional(),
});
export type OrderMatch = z.infer<typeof OrderMatch>;

/** Which ERP company and warehouse serve matching orders (or lines, when the rule names SKUs). */
export const RoutingRule = z.object({
  when: OrderMatch.default({}),
  /** Warehouse connection that ships matching lines. */
  warehouse: Id.optional(),
  /** The ERP's warehouse name for those lines (e.g. "Stores - TR"). */
  erpWarehouse: z.string().min(1).optional(),
  /** ERP connection that books matching orders. */
  erp: Id.optional(),
  /** The ERP company to book in, when not the connection's own. */
  company: z.string().min(1).optional(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;

/** Orders that wait for manual release. */
export const HoldRule = z.object({
  reason: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { error: 'a hold reason is a snake_case word, e.g. high_value' }),
  when: OrderMatch,
});
export type HoldRule = z.infer<typeof HoldRule>;

/** How a payment provider named on orders is reached. */
export const PaymentRoute = z.object({
  /** The provider as orders name it (e.g. "stripe"). */
  provider: z.string().min(1),
  connection: Id,
  /** Order attribute holding the provider's payment reference (e.g. a Stripe PaymentIntent id) when the payment's own reference is the channel's. */
  referenceAttribute: z.string().min(1).optional(),
});
export type PaymentRoute = z.infer<typeof PaymentRoute>;

/** How returns are handled, by reason (first match wins; `*` is any reason). */
export const ReturnRule = z.object({
  reasons: z.array(z.string().min(1)).default(['*']),
  /** refund: money back, nothing comes back; return-then-refund: refund on receipt; exchange: ship the replacement on receipt. */
  mode: z.enum(['refund', 'return-then-refund', 'exchange']),
  /** What happens to units received: back to sellable stock or written off. */
  disposition: z.enum(['restock', 'write-off']).default('restock'),
  /** Refund shipping too. */
  refundShipping: z.boolean().default(false),
});
export type ReturnRule = z.infer<typeof ReturnRule>;

/** The order-to-cash part of the configuration file. */
export const OrderToCashConfig = z.object({
  /** Default ERP connection (OrderSink); without one, ERP steps are skipped. */
  erp: Id.optional(),
  /** Default warehouse connection; without one (and no routing rule), release is skipped. */
  warehouse: Id.optional(),
  routing: z.array(RoutingRule).default([]),
  holds: z.array(HoldRule).default([]),
  payments: z.array(PaymentRoute).default([]),
  /** When authorized payments are captured. */
  captureOn: z.enum(['shipment', 'acceptance']).default('shipment'),
  /** ERP accounts for order charges. */
  accounts: z.object({ tax: z.string().min(1).default('Sales Tax'), shipping: z.string().min(1).default('Shipping Income') }).default({ tax: 'Sales Tax', shipping: 'Shipping Income' }),
  /** Substituted SKUs: accepted and charged at the ordered price, or refused (the shipment dead-letters). */
  substitutions: z.object({ allowed: z.boolean().default(true), price: z.enum(['ordered']).default('ordered') }).default({ allowed: true, price: 'ordered' }),
  returns: z.array(ReturnRule).default([{ reasons: ['*'], mode: 'return-then-refund', disposition: 'restock', refundShipping: false }]),
  /** SLA per step (`<workflow>.<step>` or `<step>`): an order whose step runs longer is stuck. */
  slas: z.record(z.string(), Duration).default({}),
  /** SLA of steps without one of their own. */
  defaultSla: Duration.default(900_000),
});
export type OrderToCashConfig = z.output<typeof OrderToCashConfig>;
export type OrderToCashConfigInput = z.input<typeof OrderToCashConfig>;
