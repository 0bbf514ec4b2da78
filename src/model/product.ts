import { z } from 'zod';
import { Identifier } from './primitives.js';
import { Variant } from './variant.js';

/** Life-cycle of a product: drafted, approved for sale, active in channels, archived. */
export const ProductStatus = z.enum(['draft', 'approved', 'active', 'archived']);

/** Life-cycle of a product. */
export type ProductStatus = z.infer<typeof ProductStatus>;

/** A product image by URL. */
export const ProductImage = z.object({
  url: z.url({ error: 'must be an absolute URL' }),
  alt: z.string().optional(),
});

/** A catalog product with its variants (the SKUs actually sold and stocked). */
export const Product = z
  .object({
    productId: Identifier,
    handle: z.string().optional(),
    title: z.string().min(1, { error: 'title must not be empty' }),
    description: z.string().optional(),
    status: ProductStatus,
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    images: z.array(ProductImage).default([]),
    variants: z.array(Variant).min(1, { error: 'a product has at least one variant' }),
  })
  .superRefine((product, ctx) => {
    const seen = new Set<string>();
    product.variants.forEach((variant, index) => {
      if (seen.has(variant.sku)) {
        ctx.addIssue({ code: 'custom', path: ['variants', index, 'sku'], message: `duplicate sku ${variant.sku}` });
      }
      seen.add(variant.sku);
    });
  });

/** A catalog product with its variants. */
export type Product = z.infer<typeof Product>;
