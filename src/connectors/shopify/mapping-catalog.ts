import type { Price, ProductStatus } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import { definedOnly, exactId, readOptionalMoney, ShopifyNode, toMinor, type MoneyContext } from './mapping-support.js';

/** A canonical product event. */
export type ProductEvent = Extract<InboundEvent, { kind: 'product' }>;

/** A canonical inventory-level event. */
export type InventoryLevelEvent = Extract<InboundEvent, { kind: 'inventory-level' }>;

type Status = (typeof ProductStatus)['options'][number];
type ProductInput = ProductEvent['product'];
type VariantInput = ProductInput['variants'][number];

const statuses: Readonly<Record<string, Status>> = { active: 'active', draft: 'draft', archived: 'archived' };

/** Product status; older REST products have none: published (published_at set) → active, else draft. */
function productStatus(root: ShopifyNode): Status {
  const node = root.at('status');
  const status = node.optionalText();
  if (status === undefined) return root.at('published_at').optionalText() === undefined ? 'draft' : 'active';
  return statuses[status] ?? node.fail(`is ${JSON.stringify(status)}, not a known Shopify product status`);
}

/** SKU of a variant: its sku, else its exact variant id (the same fallback order lines use). */
export function shopifyVariantSku(variant: ShopifyNode): string {
  return variant.at('sku').optionalText()?.trim() ?? exactId(variant);
}

function variant(node: ShopifyNode, optionNames: (string | undefined)[]): VariantInput {
  node.object();
  const options: Record<string, string> = {};
  for (const position of [1, 2, 3]) {
    const value = node.at(`option${position}`).optionalText();
    if (value !== undefined) options[optionNames[position - 1] ?? `option${position}`] = value;
  }
  const grams = node.at('grams').optionalInteger();
  return {
    sku: shopifyVariantSku(node),
    ...definedOnly({ barcode: node.at('barcode').optionalText(), title: node.at('title').optionalText() }),
    options,
    ...(grams !== undefined && grams >= 0 ? { weight: { value: grams, unit: 'g' as const } } : {}),
  };
}

/**
 * products/create|update as a canonical product: exact product id, variants by SKU (variant id
 * when the SKU is blank), option names from `options`, weight from grams, vendor/type/tags as attributes.
 */
export function shopifyProductToEvent(product: unknown): ProductEvent {
  const root = new ShopifyNode(product).object();
  const optionNames = root
    .at('options')
    .optionalList()
    .map((option) => option.object().at('name').optionalText());
  const variants = root.at('variants').list();
  if (variants.length === 0) root.at('variants').fail('must hold at least one variant');
  const attributes = definedOnly({
    vendor: root.at('vendor').optionalText(),
    productType: root.at('product_type').optionalText(),
    tags: root.at('tags').optionalText(),
  }) as Record<string, string>;
  const images = root
    .at('images')
    .optionalList()
    .flatMap((image) => {
      const url = image.object().at('src').optionalText();
      return url === undefined ? [] : [{ url, ...definedOnly({ alt: image.at('alt').optionalText() }) }];
    });
  return {
    kind: 'product',
    product: {
      productId: exactId(root),
      ...definedOnly({ handle: root.at('handle').optionalText(), description: root.at('body_html').optionalText() }),
      title: root.at('title').text(),
      status: productStatus(root),
      attributes,
      images,
      variants: variants.map((node) => variant(node, optionNames)),
    },
  };
}

/** The variants' prices (and compare-at prices) of a Shopify product in `currency` (the shop's), as channel prices of `connectionId`. */
export function shopifyProductPrices(connectionId: string, product: unknown, currency: string): Price[] {
  const root = new ShopifyNode(product).object();
  const money: MoneyContext = { currency, side: 'shop_money', plainFieldsMatch: true };
  return root
    .at('variants')
    .list()
    .flatMap((node) => {
      node.object();
      if (!node.at('price').present) return [];
      const compareAt = readOptionalMoney(node, 'compare_at_price', 'compare_at_price_set', money);
      return [
        {
          sku: shopifyVariantSku(node),
          channel: connectionId,
          currency,
          amount: toMinor(node.at('price'), currency),
          ...(compareAt === undefined ? {} : { compareAt }),
        },
      ];
    });
}

/** inventory_levels/update as an absolute stock level of a Shopify inventory item at a location (exact ids). */
export function shopifyInventoryLevelToEvent(level: unknown): InventoryLevelEvent {
  const root = new ShopifyNode(level).object();
  return {
    kind: 'inventory-level',
    itemId: root.at('inventory_item_id').id(),
    locationId: root.at('location_id').id(),
    ...definedOnly({ available: root.at('available').optionalInteger() }),
    occurredAt: root.at('updated_at').timestamp(),
  };
}
