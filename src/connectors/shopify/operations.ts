import { z } from 'zod';
import { DecimalString } from '../../model/index.js';
import { UserError } from './graphql.js';

/**
 * The GraphQL Admin API 2026-04 documents the client sends, the input it accepts (validated before
 * sending) and the response shapes it reads. Cost estimates follow Shopify's calculated cost:
 * objects 1, scalars 0, connections 2 + first × their selection, mutations 10.
 */

const Id = z.string().min(1);
const Money = DecimalString;

/** Input of `productSet` (the fields the hub sends; list fields replace what the product had). */
export const ProductSetInput = z.object({
  title: z.string().min(1).optional(),
  handle: z.string().min(1).optional(),
  descriptionHtml: z.string().optional(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']).optional(),
  tags: z.array(z.string()).optional(),
  productOptions: z.array(z.object({ name: z.string().min(1), values: z.array(z.object({ name: z.string().min(1) })).min(1) })).optional(),
  /** The product's media (`FileSetInput`): an image by external URL; the list replaces the media the product had. */
  files: z
    .array(
      z.object({
        id: Id.optional(),
        originalSource: z.string().min(1).optional(),
        alt: z.string().optional(),
        filename: z.string().min(1).optional(),
        contentType: z.enum(['IMAGE', 'FILE', 'VIDEO', 'EXTERNAL_VIDEO', 'MODEL_3D']).optional(),
      }),
    )
    .max(250)
    .optional(),
  variants: z
    .array(
      z.object({
        id: Id.optional(),
        sku: z.string().optional(),
        price: Money.optional(),
        compareAtPrice: Money.nullable().optional(),
        barcode: z.string().optional(),
        taxable: z.boolean().optional(),
        inventoryPolicy: z.enum(['DENY', 'CONTINUE']).optional(),
        optionValues: z.array(z.object({ optionName: z.string().min(1), name: z.string().min(1) })).min(1),
        inventoryItem: z.object({ sku: z.string().optional(), tracked: z.boolean().optional(), cost: Money.optional() }).optional(),
        inventoryQuantities: z.array(z.object({ locationId: Id, name: z.enum(['available', 'on_hand']), quantity: z.int() })).optional(),
      }),
    )
    .max(2048)
    .optional(),
});

/** Input of `productSet`. */
export type ProductSetInput = z.input<typeof ProductSetInput>;

/** Which product `productSet` updates: by id or handle (created when the handle is new). */
export const ProductSetIdentifier = z.union([z.object({ id: Id }), z.object({ handle: z.string().min(1) })]);

/** Which product `productSet` updates. */
export type ProductSetIdentifier = z.input<typeof ProductSetIdentifier>;

/** Input of `inventorySetQuantities` in the 2026-04 shape: every quantity names `changeFromQuantity` (null opts out of the compare). */
export const InventorySetQuantitiesInput = z.object({
  name: z.enum(['available', 'on_hand']),
  reason: z.string().min(1),
  referenceDocumentUri: z.string().min(1).optional(),
  quantities: z
    .array(
      z.object({
        inventoryItemId: Id,
        /** Defaults to the connection's `locationId` setting. */
        locationId: Id.optional(),
        quantity: z.int(),
        changeFromQuantity: z.int().nullable(),
      }),
    )
    .min(1)
    .max(250),
});

/** Input of `inventorySetQuantities`. */
export type InventorySetQuantitiesInput = z.input<typeof InventorySetQuantitiesInput>;

/** Input of `fulfillmentCreate`: fulfillment order lines to ship (all remaining when a fulfillment order lists none). */
export const FulfillmentInput = z.object({
  lineItemsByFulfillmentOrder: z
    .array(
      z.object({
        fulfillmentOrderId: Id,
        fulfillmentOrderLineItems: z.array(z.object({ id: Id, quantity: z.int().positive() })).optional(),
      }),
    )
    .min(1),
  trackingInfo: z
    .object({ company: z.string().optional(), number: z.string().optional(), numbers: z.array(z.string()).optional(), url: z.url().optional(), urls: z.array(z.url()).optional() })
    .optional(),
  notifyCustomer: z.boolean().optional(),
});

/** Input of `fulfillmentCreate`. */
export type FulfillmentInput = z.input<typeof FulfillmentInput>;

/** Input of `refundCreate` (amounts are decimal strings in the order's presentment currency). */
export const RefundInput = z.object({
  orderId: Id,
  note: z.string().optional(),
  notify: z.boolean().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  allowOverRefunding: z.boolean().optional(),
  refundLineItems: z
    .array(z.object({ lineItemId: Id, quantity: z.int().positive(), restockType: z.enum(['NO_RESTOCK', 'CANCEL', 'RETURN']).optional(), locationId: Id.optional() }))
    .optional(),
  shipping: z.object({ amount: Money.optional(), fullRefund: z.boolean().optional() }).optional(),
  transactions: z.array(z.object({ orderId: Id.optional(), gateway: z.string().min(1), kind: z.literal('REFUND').default('REFUND'), amount: Money, parentId: Id.optional() })).optional(),
});

/** Input of `refundCreate`. */
export type RefundInput = z.input<typeof RefundInput>;

/* Results of the client's operations. */

/** The shop behind the access token (check()). */
export interface ShopInfo {
  name: string;
  currencyCode: string;
  myshopifyDomain: string | undefined;
  /** The Admin API version that served the call (`X-Shopify-API-Version`). */
  apiVersion: string;
  /** The shop's primary location (`gid://shopify/Location/…`), where stock is set when a call names none and the connection has no `locationId`. */
  locationId: string;
}

/** What `productSet` made: the product and its variants with their inventory items (global ids). */
export interface ProductSetResult {
  productId: string;
  handle: string;
  variants: { id: string; sku: string | null; title: string; inventoryItemId: string }[];
}

/** What `productDelete` did: `deleted` false when Shopify had no such product (already deleted). */
export interface ProductDeleteResult {
  productId: string;
  deleted: boolean;
}

/** What `inventorySetQuantities` changed (empty when every quantity already had its value). */
export interface InventorySetQuantitiesResult {
  adjustmentGroupId: string | null;
  changes: { name: string; delta: number; quantityAfterChange: number | null; inventoryItemId: string; locationId: string }[];
}

/** An inventory item's quantities at one location, or null when it is not stocked there. */
export interface InventoryLevel {
  inventoryItemId: string;
  sku: string | null;
  available: number;
  onHand: number;
  committed: number;
}

/** A fulfillment order of an order with the lines still to ship (`remainingQuantity`). */
export interface ShopifyFulfillmentOrder {
  id: string;
  status: string;
  locationId: string | null;
  locationName: string | null;
  lineItems: { id: string; lineItemId: string; sku: string | null; name: string; totalQuantity: number; remainingQuantity: number }[];
}

/** The fulfillment `fulfillmentCreate` made. */
export interface FulfillmentCreateResult {
  fulfillmentId: string;
  name: string;
  status: string;
  createdAt: string;
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
}

/** The refund `refundCreate` made (or, for a repeated idempotency key, the one it made the first time). */
export interface RefundCreateResult {
  refundId: string;
  createdAt: string;
  totalRefunded: { amount: string; currencyCode: string };
  transactions: { id: string; kind: string; status: string; gateway: string; amount: string; currencyCode: string }[];
  orderFinancialStatus: string | null;
}

const MoneyV2 = z.object({ amount: z.string(), currencyCode: z.string() });
const UserErrors = z.array(UserError);

/** The shop behind the token: name, currency, permanent domain, and its primary location (`location` without an id). */
export const shopQuery = {
  name: 'ShopInfo',
  query: 'query ShopInfo { shop { name currencyCode myshopifyDomain } location { id } }',
  cost: 2,
  data: z.object({
    shop: z.object({ name: z.string(), currencyCode: z.string(), myshopifyDomain: z.string().nullable().optional() }),
    location: z.object({ id: z.string() }).nullable(),
  }),
};

/** Synchronous productSet returning the product, its variants and their inventory items. */
export const productSetMutation = {
  name: 'ProductSet',
  query: `mutation ProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers, $variantCount: Int!) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product { id handle variants(first: $variantCount) { nodes { id sku title inventoryItem { id } } } }
    userErrors { field message code }
  }
}`,
  cost: (variants: number) => 14 + 2 * variants,
  data: z.object({
    productSet: z.object({
      product: z
        .object({
          id: z.string(),
          handle: z.string(),
          variants: z.object({ nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), title: z.string(), inventoryItem: z.object({ id: z.string() }) })) }),
        })
        .nullable(),
      userErrors: UserErrors,
    }),
  }),
};

/** productDelete (synchronous): the product with its variants and inventory items. */
export const productDeleteMutation = {
  name: 'ProductDelete',
  query: `mutation ProductDelete($input: ProductDeleteInput!) {
  productDelete(input: $input) { deletedProductId userErrors { field message } }
}`,
  cost: 10,
  data: z.object({ productDelete: z.object({ deletedProductId: z.string().nullable(), userErrors: UserErrors }) }),
};

/** inventorySetQuantities with the @idempotent key 2026-04 requires. */
export const inventorySetQuantitiesMutation = {
  name: 'InventorySetQuantities',
  query: `mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { id reason referenceDocumentUri changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}`,
  cost: 15,
  data: z.object({
    inventorySetQuantities: z.object({
      inventoryAdjustmentGroup: z
        .object({
          id: z.string(),
          reason: z.string(),
          referenceDocumentUri: z.string().nullable(),
          changes: z.array(z.object({ name: z.string(), delta: z.int(), quantityAfterChange: z.int().nullable(), item: z.object({ id: z.string() }), location: z.object({ id: z.string() }) })),
        })
        .nullable(),
      userErrors: UserErrors,
    }),
  }),
};

/** An inventory item's available, on_hand and committed quantities at one location. */
export const inventoryLevelQuery = {
  name: 'InventoryLevel',
  query: `query InventoryLevel($itemId: ID!, $locationId: ID!) {
  inventoryItem(id: $itemId) { id sku inventoryLevel(locationId: $locationId) { id quantities(names: ["available", "on_hand", "committed"]) { name quantity } } }
}`,
  cost: 3,
  data: z.object({
    inventoryItem: z
      .object({
        id: z.string(),
        sku: z.string().nullable(),
        inventoryLevel: z.object({ id: z.string(), quantities: z.array(z.object({ name: z.string(), quantity: z.int() })) }).nullable(),
      })
      .nullable(),
  }),
};

const FulfillmentOrderLine = z.object({
  id: z.string(),
  totalQuantity: z.int(),
  remainingQuantity: z.int(),
  sku: z.string().nullable(),
  lineItem: z.object({ id: z.string(), sku: z.string().nullable(), name: z.string() }),
});
const LinePage = z.object({ nodes: z.array(FulfillmentOrderLine), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }) });
const FULFILLMENT_ORDER_LINES = 'nodes { id totalQuantity remainingQuantity sku lineItem { id sku name } } pageInfo { hasNextPage endCursor }';

/** Fulfillment orders per page and their lines per page (10 × 25 keeps the query near 560 points). */
export const fulfillmentOrdersPageSize = { orders: 10, lines: 25, moreLines: 100 } as const;

/** An order's fulfillment orders with their first lines (more lines through fulfillmentOrderLinesQuery). */
export const fulfillmentOrdersQuery = {
  name: 'OrderFulfillmentOrders',
  query: `query OrderFulfillmentOrders($id: ID!, $first: Int!, $lines: Int!) {
  order(id: $id) {
    id
    name
    fulfillmentOrders(first: $first) {
      nodes { id status assignedLocation { name location { id } } lineItems(first: $lines) { ${FULFILLMENT_ORDER_LINES} } }
      pageInfo { hasNextPage }
    }
  }
}`,
  cost: (orders: number, lines: number) => 4 + orders * (6 + 2 * lines),
  data: z.object({
    order: z
      .object({
        id: z.string(),
        name: z.string(),
        fulfillmentOrders: z.object({
          nodes: z.array(z.object({ id: z.string(), status: z.string(), assignedLocation: z.object({ name: z.string().nullable(), location: z.object({ id: z.string() }).nullable() }), lineItems: LinePage })),
          pageInfo: z.object({ hasNextPage: z.boolean() }),
        }),
      })
      .nullable(),
  }),
};

/** The next lines of one fulfillment order. */
export const fulfillmentOrderLinesQuery = {
  name: 'FulfillmentOrderLines',
  query: `query FulfillmentOrderLines($id: ID!, $lines: Int!, $after: String) {
  fulfillmentOrder(id: $id) { id lineItems(first: $lines, after: $after) { ${FULFILLMENT_ORDER_LINES} } }
}`,
  cost: (lines: number) => 4 + 2 * lines,
  data: z.object({ fulfillmentOrder: z.object({ id: z.string(), lineItems: LinePage }).nullable() }),
};

/** fulfillmentCreate with tracking. */
export const fulfillmentCreateMutation = {
  name: 'FulfillmentCreate',
  query: `mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id name status createdAt trackingInfo(first: 10) { company number url } }
    userErrors { field message }
  }
}`,
  cost: 14,
  data: z.object({
    fulfillmentCreate: z.object({
      fulfillment: z
        .object({
          id: z.string(),
          name: z.string(),
          status: z.string(),
          createdAt: z.string(),
          trackingInfo: z.array(z.object({ company: z.string().nullable(), number: z.string().nullable(), url: z.string().nullable() })),
        })
        .nullable(),
      userErrors: UserErrors,
    }),
  }),
};

/** refundCreate with the @idempotent key 2026-04 requires. */
export const refundCreateMutation = {
  name: 'RefundCreate',
  query: `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund {
      id
      createdAt
      totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      transactions(first: 10) { nodes { id kind status gateway amountSet { shopMoney { amount currencyCode } } } }
    }
    order { id displayFinancialStatus }
    userErrors { field message }
  }
}`,
  cost: 48,
  data: z.object({
    refundCreate: z.object({
      refund: z
        .object({
          id: z.string(),
          createdAt: z.string(),
          totalRefundedSet: z.object({ shopMoney: MoneyV2, presentmentMoney: MoneyV2 }),
          transactions: z.object({ nodes: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string(), gateway: z.string(), amountSet: z.object({ shopMoney: MoneyV2 }) })) }),
        })
        .nullable(),
      order: z.object({ id: z.string(), displayFinancialStatus: z.string().nullable() }).nullable(),
      userErrors: UserErrors,
    }),
  }),
};
