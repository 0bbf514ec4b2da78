import { z } from 'zod';
import { ConnectionId, CurrencyCode, NonNegativeMinorUnits, ProductImage } from '../../model/index.js';

/** A price of the SKU: in one currency, for every channel or (with `channel`) one channel's connection. */
export const ProductPrice = z.object({
  currency: CurrencyCode,
  amount: NonNegativeMinorUnits,
  /** The channel's connection id; absent = every channel that sells in this currency. */
  channel: ConnectionId.optional(),
  /** The "was" price shown struck through, in minor units. */
  compareAt: NonNegativeMinorUnits.optional(),
});
export type ProductPrice = z.infer<typeof ProductPrice>;

/** Attribute values a product carries (e.g. brand, material, care). */
export const ProductAttributes = z.record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean()]));
export type ProductAttributes = z.infer<typeof ProductAttributes>;

/** Prices with one entry per channel and currency. */
export const ProductPrices = z.array(ProductPrice).superRefine((prices, ctx) => {
  const seen = new Set<string>();
  prices.forEach((price, index) => {
    const key = `${price.channel ?? '*'}|${price.currency}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `two prices in ${price.currency}${price.channel ? ` for ${price.channel}` : ''}` });
    seen.add(key);
  });
});

/** What one source gives for a SKU: any of the master's fields, and whether it withdrew the item. */
export const SourceFields = z.object({
  title: z.string().min(1).max(255).optional(),
  description: z.string().max(65_535).optional(),
  attributes: ProductAttributes.optional(),
  images: z.array(ProductImage).max(250).optional(),
  prices: ProductPrices.optional(),
  /** The source disabled or withdrew the item (e.g. an ERP Item that is disabled or deleted). */
  archived: z.boolean().optional(),
  /** The source's version of what it gave (ERPNext Item `modified`), so an older delivery is not applied over a newer one. */
  sourceVersion: z.string().optional(),
});
export type SourceFields = z.infer<typeof SourceFields>;

/** The merged content of a product master (what channels are fed from). */
export interface ProductContent {
  title: string;
  description: string | null;
  attributes: ProductAttributes;
  images: ProductImage[];
  prices: ProductPrice[];
}

/** An image of a product. */
export type ProductImage = z.infer<typeof ProductImage>;

/** The master's life-cycle: only approved products are published; archived are unpublished; deleted are removed from channels. */
export const MasterStatus = z.enum(['draft', 'approved', 'archived', 'deleted']);
export type MasterStatus = z.infer<typeof MasterStatus>;
