import { connection, type Delivery, type ShopContext } from './context.js';
import { editAvailable, setQuantities, type InventoryItemRecord, type Level } from './inventory.js';
import { applyMedia, mediaNode, planMedia, sandboxImages, type MediaPlan, type MediaRecord } from './media.js';
import type { UserErrorBody } from './orders.js';
import { matchesSearch, parseSearchQuery } from './search-query.js';
import { gid, graphqlTime, list, numericId, type JsonObject } from './support.js';

interface VariantRecord {
  id: string;
  productId: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  taxable: boolean;
  inventoryPolicy: string;
  optionValues: { optionName: string; name: string }[];
  inventoryItemId: string;
}

interface ProductRecord {
  id: string;
  title: string;
  handle: string;
  status: string;
  vendor: string;
  productType: string;
  tags: string[];
  descriptionHtml: string;
  options: { name: string; values: string[] }[];
  variantIds: string[];
  media: MediaRecord[];
  createdAtMs: number;
  updatedAtMs: number;
}

/** The statuses a product can have (`ProductStatus`). */
const STATUSES = new Set(['ACTIVE', 'ARCHIVED', 'DRAFT']);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'product';

/** Products, variants, inventory items and their levels at the shop's location. */
export class Catalog {
  private readonly products = new Map<string, ProductRecord>();
  private readonly variants = new Map<string, VariantRecord>();
  private readonly items = new Map<string, InventoryItemRecord>();

  constructor(private readonly context: ShopContext) {}

  counts(): { products: number; variants: number; inventoryItems: number } {
    return { products: this.products.size, variants: this.variants.size, inventoryItems: this.items.size };
  }

  /** Levels by SKU at the shop's location, for the state page. */
  levels(): { sku: string | null; inventoryItemId: string; available: number; onHand: number }[] {
    return [...this.items.values()].flatMap((item) => [...item.levels.values()].map((level) => ({ sku: item.sku, inventoryItemId: gid('InventoryItem', item.id), available: level.available, onHand: level.onHand })));
  }

  private byHandle(handle: string): ProductRecord | undefined {
    return [...this.products.values()].find((p) => p.handle === handle);
  }

  private uniqueHandle(base: string): string {
    let handle = base;
    for (let n = 1; this.byHandle(handle); n++) handle = `${base}-${n}`;
    return handle;
  }

  /** `productSet` (synchronous): creates or updates a product; list fields (variants, files) replace what it had. */
  productSet(input: JsonObject, identifier: JsonObject | undefined): { product: JsonObject | null; userErrors: UserErrorBody[] } {
    const fail = (field: string[], message: string, code: string) => ({ product: null, userErrors: [{ field, message, code }] });
    let product: ProductRecord | undefined;
    const byId = str(identifier?.['id']) ?? str(input['id']);
    if (byId !== undefined) {
      product = this.products.get(numericId(byId) ?? '');
      if (!product) return fail([identifier?.['id'] ? 'identifier' : 'input', 'id'], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST');
    } else if (str(identifier?.['handle']) !== undefined) {
      product = this.byHandle(str(identifier?.['handle'])!);
    }
    const title = str(input['title']);
    if (!product && !title) return fail(['input', 'title'], "Title can't be blank", 'INVALID_INPUT');
    const status = str(input['status']);
    if (input['status'] !== undefined && !STATUSES.has(status ?? '')) return fail(['input', 'status'], `Status must be one of ${[...STATUSES].join(', ')}.`, 'INVALID_INPUT');
    const handle = str(input['handle']);
    if (handle !== undefined && this.byHandle(handle) && this.byHandle(handle) !== product) return fail(['input', 'handle'], `Handle '${handle}' already in use.`, 'HANDLE_NOT_UNIQUE');

    const variantInputs = input['variants'] === undefined ? undefined : list(input['variants']);
    const existing = product ? product.variantIds.map((id) => this.variants.get(id)!) : [];
    const signature = (values: { optionName: string; name: string }[]) => values.map((v) => `${v.optionName}=${v.name}`).join('|');
    const seen = new Set<string>();
    for (const [i, variant] of (variantInputs ?? []).entries()) {
      const values = list(variant['optionValues']);
      if (values.length === 0) return fail(['input', 'variants', String(i), 'optionValues'], 'Option values must not be empty.', 'INVALID_VARIANT');
      const key = signature(values.map((v) => ({ optionName: String(v['optionName']), name: String(v['name']) })));
      if (seen.has(key)) return fail(['input', 'variants', String(i)], `The variant '${key}' already exists.`, 'DUPLICATED_OPTION_VALUE');
      seen.add(key);
      if (variant['id'] !== undefined && !existing.some((v) => v.id === numericId(variant['id']))) return fail(['input', 'variants', String(i), 'id'], 'Product variant does not exist', 'PRODUCT_VARIANT_DOES_NOT_EXIST');
      for (const [j, q] of list(variant['inventoryQuantities']).entries()) {
        if (numericId(q['locationId']) !== this.context.shop.locationId) return fail(['input', 'variants', String(i), 'inventoryQuantities', String(j), 'locationId'], 'Location does not exist', 'INVALID_LOCATION');
      }
    }

    let media: MediaPlan | undefined;
    if (input['files'] !== undefined && input['files'] !== null) {
      const planned = planMedia(product?.media ?? [], input['files']);
      if ('error' in planned) return { product: null, userErrors: [planned.error] };
      media = planned.plan;
    }

    const now = this.context.now();
    if (!product) {
      product = {
        id: this.context.nextId(),
        title: title!,
        handle: handle ?? this.uniqueHandle(str(identifier?.['handle']) ?? slug(title!)),
        status: 'ACTIVE',
        vendor: '',
        productType: '',
        tags: [],
        descriptionHtml: '',
        options: [],
        variantIds: [],
        media: [],
        createdAtMs: now,
        updatedAtMs: now,
      };
      this.products.set(product.id, product);
    }
    const p = product;
    if (title !== undefined) p.title = title;
    if (handle !== undefined) p.handle = handle;
    if (status !== undefined) p.status = status;
    for (const field of ['vendor', 'productType', 'descriptionHtml'] as const) {
      const value = str(input[field]);
      if (value !== undefined) p[field] = value;
    }
    if (Array.isArray(input['tags'])) p.tags = (input['tags'] as unknown[]).map(String);
    if (media) p.media = applyMedia(media, () => this.context.nextId());
    p.updatedAtMs = now;

    const inputs = variantInputs ?? (p.variantIds.length === 0 ? [{ optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] : undefined);
    if (inputs) {
      const kept = inputs.map((variant) => this.setVariant(p, variant, existing));
      for (const old of existing) {
        if (kept.includes(old.id)) continue;
        this.variants.delete(old.id);
        this.items.delete(old.inventoryItemId);
      }
      p.variantIds = kept;
    }
    const options = list(input['productOptions']);
    p.options =
      options.length > 0
        ? options.map((o) => ({ name: String(o['name']), values: list(o['values']).map((v) => String(v['name'])) }))
        : [...new Set(p.variantIds.flatMap((id) => this.variants.get(id)!.optionValues.map((v) => v.optionName)))].map((name) => ({
            name,
            values: [...new Set(p.variantIds.flatMap((id) => this.variants.get(id)!.optionValues.filter((v) => v.optionName === name).map((v) => v.name)))],
          }));
    return { product: this.productNode(p), userErrors: [] };
  }

  private setVariant(product: ProductRecord, input: JsonObject, existing: VariantRecord[]): string {
    const optionValues = list(input['optionValues']).map((v) => ({ optionName: String(v['optionName']), name: String(v['name']) }));
    const key = optionValues.map((v) => `${v.optionName}=${v.name}`).join('|');
    const sku = str(input['sku']) ?? str((input['inventoryItem'] as JsonObject | undefined)?.['sku']);
    const match =
      existing.find((v) => input['id'] !== undefined && v.id === numericId(input['id'])) ??
      existing.find((v) => v.optionValues.map((o) => `${o.optionName}=${o.name}`).join('|') === key) ??
      existing.find((v) => sku !== undefined && v.sku === sku);
    const now = this.context.now();
    const variant: VariantRecord = match ?? {
      id: this.context.nextId(),
      productId: product.id,
      sku: null,
      price: '0.00',
      compareAtPrice: null,
      barcode: null,
      taxable: true,
      inventoryPolicy: 'DENY',
      optionValues,
      inventoryItemId: this.context.nextId(),
    };
    variant.optionValues = optionValues;
    if (sku !== undefined) variant.sku = sku;
    if (str(input['price']) !== undefined) variant.price = str(input['price'])!;
    if (input['compareAtPrice'] !== undefined) variant.compareAtPrice = str(input['compareAtPrice']) ?? null;
    if (str(input['barcode']) !== undefined) variant.barcode = str(input['barcode'])!;
    if (typeof input['taxable'] === 'boolean') variant.taxable = input['taxable'];
    if (str(input['inventoryPolicy']) !== undefined) variant.inventoryPolicy = str(input['inventoryPolicy'])!;
    this.variants.set(variant.id, variant);
    const item = this.items.get(variant.inventoryItemId) ?? {
      id: variant.inventoryItemId,
      variantId: variant.id,
      sku: variant.sku,
      tracked: true,
      levels: new Map([[this.context.shop.locationId, { available: 0, onHand: 0, committed: 0, updatedAtMs: now }]]),
      updates: 0,
    };
    item.sku = variant.sku;
    const tracked = (input['inventoryItem'] as JsonObject | undefined)?.['tracked'];
    if (typeof tracked === 'boolean') item.tracked = tracked;
    for (const q of list(input['inventoryQuantities'])) {
      const level = item.levels.get(this.context.shop.locationId)!;
      const quantity = typeof q['quantity'] === 'number' ? q['quantity'] : 0;
      const delta = quantity - (q['name'] === 'on_hand' ? level.onHand : level.available);
      level.available += delta;
      level.onHand += delta;
      level.updatedAtMs = now;
    }
    this.items.set(item.id, item);
    return variant.id;
  }

  /** `inventorySetQuantities` (see {@link setQuantities}). */
  setQuantities(input: JsonObject, apiVersion: string): { inventoryAdjustmentGroup: JsonObject | null; userErrors: UserErrorBody[] } {
    return setQuantities(this.context, this.items, input, apiVersion);
  }

  /** `productDelete` (synchronous): the product goes with its variants and their inventory items. */
  productDelete(input: JsonObject): { deletedProductId: string | null; userErrors: UserErrorBody[] } {
    const product = this.products.get(numericId(input['id']) ?? '');
    if (!product) return { deletedProductId: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
    for (const id of product.variantIds) {
      this.items.delete(this.variants.get(id)!.inventoryItemId);
      this.variants.delete(id);
    }
    this.products.delete(product.id);
    return { deletedProductId: gid('Product', product.id), userErrors: [] };
  }

  /** `productVariants(query:)`: every variant, oldest first, filtered by `sku`, `barcode`, `product_id`, `product_status`, `title`, `id`. */
  productVariants(args: JsonObject): JsonObject {
    const query = parseSearchQuery(str(args['query']) ?? '');
    const found = [...this.variants.values()].filter((v) => {
      const product = this.products.get(v.productId)!;
      const title = v.optionValues.map((o) => o.name).join(' / ');
      return matchesSearch(query, { sku: v.sku, barcode: v.barcode, product_id: v.productId, product_status: product.status, title, id: v.id });
    });
    return connection(
      found.map((v) => this.variantNode(v)),
      args,
    );
  }

  private itemBySku(sku: string): InventoryItemRecord | undefined {
    const variant = [...this.variants.values()].find((v) => v.sku === sku);
    return variant ? this.items.get(variant.inventoryItemId) : undefined;
  }

  /** The sandbox view of the product that has a variant with this SKU (ids as gids), or undefined. */
  sandboxProduct(sku: string): JsonObject | undefined {
    const variant = [...this.variants.values()].find((v) => v.sku === sku);
    if (!variant) return undefined;
    const p = this.products.get(variant.productId)!;
    return {
      id: gid('Product', p.id),
      title: p.title,
      handle: p.handle,
      status: p.status,
      descriptionHtml: p.descriptionHtml,
      vendor: p.vendor,
      productType: p.productType,
      tags: p.tags,
      options: p.options,
      images: sandboxImages(p.media),
      variants: p.variantIds.map((id) => {
        const v = this.variants.get(id)!;
        const level = this.items.get(v.inventoryItemId)?.levels.get(this.context.shop.locationId);
        return {
          id: gid('ProductVariant', v.id),
          title: v.optionValues.map((o) => o.name).join(' / '),
          sku: v.sku,
          barcode: v.barcode,
          price: v.price,
          compareAtPrice: v.compareAtPrice,
          inventoryItemId: gid('InventoryItem', v.inventoryItemId),
          available: level?.available ?? 0,
        };
      }),
    };
  }

  /** `available` at the shop's location and the inventory updates received for the SKU's item, or undefined. */
  sandboxInventory(sku: string): { available: number; updates: number } | undefined {
    const item = this.itemBySku(sku);
    if (!item) return undefined;
    return { available: item.levels.get(this.context.shop.locationId)?.available ?? 0, updates: item.updates };
  }

  /** A merchant's manual edit of the SKU's available quantity (not counted as an update; sends inventory_levels/update). */
  editAvailable(sku: string, available: number, delivery?: Delivery): { available: number; updates: number } | undefined {
    const item = this.itemBySku(sku);
    if (!item) return undefined;
    return { available: editAvailable(this.context, item, available, delivery).available, updates: item.updates };
  }

  product(idOrGid: unknown): JsonObject | null {
    const product = this.products.get(numericId(idOrGid) ?? '');
    return product ? this.productNode(product) : null;
  }

  productByHandle(handle: unknown): JsonObject | null {
    const product = typeof handle === 'string' ? this.byHandle(handle) : undefined;
    return product ? this.productNode(product) : null;
  }

  variant(idOrGid: unknown): JsonObject | null {
    const variant = this.variants.get(numericId(idOrGid) ?? '');
    return variant ? this.variantNode(variant) : null;
  }

  inventoryItem(idOrGid: unknown): JsonObject | null {
    const item = this.items.get(numericId(idOrGid) ?? '');
    return item ? this.itemNode(item) : null;
  }

  private productNode(product: ProductRecord): JsonObject {
    return {
      __typename: 'Product',
      id: gid('Product', product.id),
      legacyResourceId: product.id,
      title: product.title,
      handle: product.handle,
      status: product.status,
      vendor: product.vendor,
      productType: product.productType,
      tags: product.tags,
      descriptionHtml: product.descriptionHtml,
      createdAt: graphqlTime(product.createdAtMs),
      updatedAt: graphqlTime(product.updatedAtMs),
      options: product.options.map((o, i) => ({ __typename: 'ProductOption', name: o.name, position: i + 1, values: o.values })),
      variantsCount: { count: product.variantIds.length, precision: 'EXACT' },
      mediaCount: { count: product.media.length, precision: 'EXACT' },
      media: (args: JsonObject) => connection(product.media.map(mediaNode), args),
      variants: (args: JsonObject) => connection(product.variantIds.map((id) => this.variantNode(this.variants.get(id)!)), args),
    };
  }

  private variantNode(variant: VariantRecord): JsonObject {
    return {
      __typename: 'ProductVariant',
      id: gid('ProductVariant', variant.id),
      legacyResourceId: variant.id,
      title: variant.optionValues.map((v) => v.name).join(' / '),
      sku: variant.sku,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      barcode: variant.barcode,
      taxable: variant.taxable,
      inventoryPolicy: variant.inventoryPolicy,
      selectedOptions: variant.optionValues.map((v) => ({ name: v.optionName, value: v.name })),
      inventoryItem: () => this.itemNode(this.items.get(variant.inventoryItemId)!),
      product: () => this.productNode(this.products.get(variant.productId)!),
    };
  }

  private itemNode(item: InventoryItemRecord): JsonObject {
    const level = (locationId: string, value: Level) => ({
      __typename: 'InventoryLevel',
      id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${item.id}`,
      location: { __typename: 'Location', id: gid('Location', locationId), name: this.context.shop.locationName },
      updatedAt: graphqlTime(value.updatedAtMs),
      quantities: (args: JsonObject) =>
        (Array.isArray(args['names']) ? (args['names'] as unknown[]) : ['available', 'on_hand']).map((n) => ({
          name: n,
          quantity: n === 'available' ? value.available : n === 'on_hand' ? value.onHand : n === 'committed' ? value.committed : 0,
        })),
      item: () => this.itemNode(item),
    });
    return {
      __typename: 'InventoryItem',
      id: gid('InventoryItem', item.id),
      legacyResourceId: item.id,
      sku: item.sku,
      tracked: item.tracked,
      variant: () => this.variantNode(this.variants.get(item.variantId)!),
      inventoryLevel: (args: JsonObject) => {
        const locationId = numericId(args['locationId']) ?? '';
        const value = item.levels.get(locationId);
        return value ? level(locationId, value) : null;
      },
      inventoryLevels: (args: JsonObject) => connection([...item.levels.entries()].map(([locationId, value]) => level(locationId, value)), args),
    };
  }
}
