import { z } from 'zod';
import { Identifier, requiredOr } from './primitives.js';

/** Units a variant's shipping weight can be given in. */
export const WeightUnit = z.enum(['g', 'kg', 'lb', 'oz']);

/** A shipping weight: an integer value in a unit. */
export const Weight = z.object({
  value: z.int({ error: requiredOr('weight is an integer') }).min(0, { error: 'weight must not be negative' }),
  unit: WeightUnit,
});

/** One sellable, stock-keeping variant of a product, identified by its SKU. */
export const Variant = z.object({
  sku: Identifier,
  barcode: z.string().optional(),
  title: z.string().optional(),
  options: z.record(z.string(), z.string()).default({}),
  weight: Weight.optional(),
});

/** One sellable, stock-keeping variant of a product. */
export type Variant = z.infer<typeof Variant>;
