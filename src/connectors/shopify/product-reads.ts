import { z } from 'zod';
import type { GraphqlOperation, GraphqlResult } from './graphql.js';
import { searchTerm } from './inventory-sync.js';

/** A variant as a read by SKU answers it: its product's id, title and status (ACTIVE, DRAFT, ARCHIVED), and its price (decimal text). */
export interface ShopifyVariantListing {
  sku: string;
  productId: string;
  title: string;
  status: string;
  price: string;
}

/** Variants of some SKUs with their product's title and status and their price, for reconciliation. */
export const variantListingsQuery = {
  name: 'VariantListings',
  query: `query VariantListings($query: String!, $first: Int!) {
  productVariants(first: $first, query: $query) { nodes { sku price product { id title status } } }
}`,
  cost: (first: number) => 2 + first * 2,
  data: z.object({
    productVariants: z.object({
      nodes: z.array(z.object({ sku: z.string().nullable(), price: z.string(), product: z.object({ id: z.string(), title: z.string(), status: z.string() }) })),
    }),
  }),
};

/** The product reads of a Shopify client. */
export interface ProductReadCalls {
  /** The variants whose SKU is exactly one of these (Shopify's search matches loosely: only exact SKUs are answered). */
  variantsBySkus(skus: readonly string[], options?: { signal?: AbortSignal }): Promise<ShopifyVariantListing[]>;
}

/** The product reads over a client's transport: one `productVariants(query: "sku:… OR sku:…")` per call. */
export function createProductReadCalls(deps: { run: <T>(operation: GraphqlOperation<T>, signal?: AbortSignal) => Promise<GraphqlResult<T>> }): ProductReadCalls {
  return {
    async variantsBySkus(skus, options = {}) {
      if (skus.length === 0) return [];
      const wanted = new Set(skus);
      const first = Math.min(250, skus.length * 2);
      const variables = { query: skus.map((sku) => searchTerm('sku', sku)).join(' OR '), first };
      const { data } = await deps.run({ ...variantListingsQuery, cost: variantListingsQuery.cost(first), retry: true, variables }, options.signal);
      return data.productVariants.nodes.flatMap((n) => (n.sku !== null && wanted.has(n.sku) ? [{ sku: n.sku, productId: n.product.id, title: n.product.title, status: n.product.status, price: n.price }] : []));
    },
  };
}
