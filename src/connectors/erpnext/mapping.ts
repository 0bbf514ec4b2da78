import { isLosslessNumber, parse as losslessParse, type LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { permanentError, type Price } from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import type { ErpnextSettings } from './config.js';
import { stripHtml } from './errors.js';
import { decimalTextOf, frappeTimestampToIso, minorFromFrappe, wholeQuantity } from './values.js';

/** What interpretation needs from the connection's settings. */
export type InterpretSettings = Pick<ErpnextSettings, 'timeZone'> & Partial<Pick<ErpnextSettings, 'baseUrl' | 'currency' | 'priceList'>>;

const FrappeNumber = z.union([z.number(), z.custom<LosslessNumber>((value) => isLosslessNumber(value))]);
/** A Check or Int field (0/1), read from a lossless number. */
const Flag = FrappeNumber.nullish().transform((value) => (value === null || value === undefined ? undefined : Number(isLosslessNumber(value) ? value.value : value)));
const text = z.string();
const optionalText = z.string().nullish();

/** A Bin in a webhook body. */
export const BinDoc = z.looseObject({ doctype: z.literal('Bin'), name: text, modified: text, item_code: text.min(1), warehouse: text.min(1), actual_qty: FrappeNumber, reserved_qty: FrappeNumber.nullish() });

/** An Item in a webhook body. */
export const ItemDoc = z.looseObject({
  doctype: z.literal('Item'),
  name: text,
  modified: text,
  item_code: text.min(1),
  item_name: optionalText,
  description: optionalText,
  item_group: optionalText,
  stock_uom: optionalText,
  brand: optionalText,
  image: optionalText,
  disabled: Flag,
  has_variants: Flag,
  variant_of: optionalText,
  is_stock_item: Flag,
  weight_per_unit: FrappeNumber.nullish(),
  weight_uom: optionalText,
  barcodes: z.array(z.looseObject({ barcode: text })).nullish(),
  attributes: z.array(z.looseObject({ attribute: text, attribute_value: optionalText })).nullish(),
});

/** An Item Price in a webhook body. */
export const ItemPriceDoc = z.looseObject({
  doctype: z.literal('Item Price'),
  name: text,
  modified: text,
  item_code: text.min(1),
  price_list: text,
  price_list_rate: FrappeNumber,
  currency: optionalText,
  valid_from: optionalText,
  valid_upto: optionalText,
  selling: Flag,
});

/** Parses a webhook body without rounding numbers (lossless) and returns the document in it. */
export function webhookDocument(payload: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = losslessParse(payload);
  } catch (error) {
    throw permanentError('erpnext_invalid_payload', `the webhook body is not JSON: ${(error as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw permanentError('erpnext_invalid_payload', 'the webhook body is not a JSON object');
  const record = body as Record<string, unknown>;
  const doc = record['doc'];
  return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : record;
}

function parseDoc<T extends z.ZodType>(schema: T, doc: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(doc);
  if (!parsed.success) throw permanentError('erpnext_invalid_payload', `${what}: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** A Bin → the item's on-hand stock at the warehouse (absolute; versioned by `modified`). */
export function inventoryLevelFromBin(doc: unknown, settings: InterpretSettings): InboundEvent {
  const bin = parseDoc(BinDoc, doc, 'Bin');
  return {
    kind: 'inventory-level',
    sku: bin.item_code,
    locationId: bin.warehouse,
    onHand: wholeQuantity(bin.actual_qty, `Bin ${bin.name} actual_qty`),
    occurredAt: frappeTimestampToIso(bin.modified, settings.timeZone),
    sourceVersion: bin.modified,
  };
}

const weightUnits: Record<string, { unit: 'g' | 'kg' | 'lb' | 'oz'; scale: number }[]> = {
  Kg: [{ unit: 'kg', scale: 0 }, { unit: 'g', scale: 3 }],
  Gram: [{ unit: 'g', scale: 0 }],
  Pound: [{ unit: 'lb', scale: 0 }],
  Ounce: [{ unit: 'oz', scale: 0 }],
};

/** The decimal `text` × 10^scale when that is a whole number, exactly; else undefined. */
function scaledWhole(text: string, scale: number): number | undefined {
  const [whole = '0', fraction = ''] = text.replace(/^-/, '').split('.');
  if (text.startsWith('-') || /[^0]/.test(fraction.slice(scale))) return undefined;
  const value = Number(whole + fraction.slice(0, scale).padEnd(scale, '0'));
  return Number.isSafeInteger(value) ? value : undefined;
}

function weightOf(value: unknown, uom: string | null | undefined): { value: number; unit: 'g' | 'kg' | 'lb' | 'oz' } | undefined {
  const amount = value === null || value === undefined ? undefined : decimalTextOf(value);
  if (!amount || amount === '0' || !uom) return undefined;
  for (const { unit, scale } of weightUnits[uom] ?? []) {
    const whole = scaledWhole(amount, scale);
    if (whole !== undefined) return { value: whole, unit };
  }
  return undefined;
}

function imageUrl(image: string | null | undefined, baseUrl: string | undefined): string | undefined {
  if (!image) return undefined;
  try {
    return new URL(image, baseUrl).toString();
  } catch {
    return undefined;
  }
}

/**
 * An Item → a product with one variant whose SKU is the item code: ERPNext's unit of catalog is
 * the Item (a variant Item names its template in `variantOf`). A template (Has Variants) is not
 * sold and maps to nothing; prices live in Item Price, so the product carries none. Versioned by
 * `modified`, so an Item delivered out of order does not overwrite a newer one.
 */
export function productFromItem(doc: unknown, settings: InterpretSettings, deleted = false): InboundEvent[] {
  const item = parseDoc(ItemDoc, doc, 'Item');
  if (item.has_variants === 1) return [];
  const title = item.item_name || item.item_code;
  const description = item.description ? stripHtml(item.description) : '';
  const weight = weightOf(item.weight_per_unit, item.weight_uom);
  const url = imageUrl(item.image, settings.baseUrl);
  const attributes: Record<string, string | boolean> = { isStockItem: item.is_stock_item !== 0 };
  if (item.item_group) attributes['itemGroup'] = item.item_group;
  if (item.stock_uom) attributes['stockUom'] = item.stock_uom;
  if (item.brand) attributes['brand'] = item.brand;
  if (item.variant_of) attributes['variantOf'] = item.variant_of;
  const barcode = item.barcodes?.[0]?.barcode;
  return [
    {
      kind: 'product',
      product: {
        productId: item.item_code,
        title,
        ...(description && description !== title ? { description } : {}),
        status: item.disabled === 1 ? 'archived' : 'active',
        attributes,
        images: url ? [{ url }] : [],
        variants: [
          {
            sku: item.item_code,
            title,
            ...(barcode ? { barcode } : {}),
            options: Object.fromEntries((item.attributes ?? []).filter((a) => a.attribute_value).map((a) => [a.attribute, a.attribute_value as string])),
            ...(weight ? { weight } : {}),
          },
        ],
      },
      ...(deleted ? { deleted: true } : {}),
      sourceVersion: item.modified,
    },
  ];
}

/**
 * An Item Price → the canonical price of the SKU in `channel`.
 */
export function priceFromItemPrice(doc: unknown, channel: string, settings: InterpretSettings): Price {
  const price = parseDoc(ItemPriceDoc, doc, 'Item Price');
  const currency = price.currency || settings.currency;
  if (!currency) throw permanentError('erpnext_unknown_currency', `Item Price ${price.name} has no currency and the connection sets none`);
  return {
    sku: price.item_code,
    channel,
    currency,
    amount: minorFromFrappe(price.price_list_rate, currency, `Item Price ${price.name} price_list_rate`),
    ...(price.valid_from ? { validFrom: `${price.valid_from}T00:00:00Z` } : {}),
  };
}

/**
 * An Item Price of a selling price list → a price event of the SKU (channel "default"; the
 * catalog decides which channels a price list prices); a buying price → nothing.
 */
export function priceEventFromItemPrice(doc: unknown, settings: InterpretSettings, deleted = false): InboundEvent[] {
  const price = parseDoc(ItemPriceDoc, doc, 'Item Price');
  if (price.selling === 0) return [];
  return [{ kind: 'price', price: priceFromItemPrice(doc, 'default', settings), priceList: price.price_list, ...(deleted ? { deleted: true } : {}) }];
}

/**
 * Interprets a verified webhook (topic `DocType:event`): Bin changes → inventory-level; Item
 * changes → product (on_trash → deleted); selling Item Prices → price (on_trash → deleted);
 * other topics → nothing.
 */
export function interpretErpnextEvent(topic: string, payload: string, settings: InterpretSettings): InboundEvent[] {
  const separator = topic.lastIndexOf(':');
  const doctype = topic.slice(0, separator);
  const event = topic.slice(separator + 1);
  if (doctype !== 'Bin' && doctype !== 'Item' && doctype !== 'Item Price') return [];
  const doc = webhookDocument(payload);
  if (doctype === 'Bin') return event === 'on_trash' ? [] : [inventoryLevelFromBin(doc, settings)];
  if (doctype === 'Item Price') return priceEventFromItemPrice(doc, settings, event === 'on_trash');
  return productFromItem(doc, settings, event === 'on_trash');
}
