import type { ParsedInboundEvent } from '../../connectors/framework/index.js';
import type { InboundSink } from '../inbound/index.js';
import type { CatalogSource } from './config.js';
import type { ProductPrice, SourceFields } from './content.js';
import { changeMaster, type MasterDeps } from './master.js';

type ProductEvent = Extract<ParsedInboundEvent, { kind: 'product' }>;
type PriceEvent = Extract<ParsedInboundEvent, { kind: 'price' }>;

/** What a product event says about each of its SKUs (a product of several variants is one master per SKU). */
export function fieldsOfProductEvent(event: ProductEvent): { sku: string; fields: Omit<SourceFields, 'prices'> }[] {
  const { product } = event;
  const several = product.variants.length > 1;
  return product.variants.map((variant) => {
    const attributes: Record<string, string | number | boolean> = { ...product.attributes, ...variant.options };
    if (variant.barcode) attributes['barcode'] = variant.barcode;
    const title = several && variant.title && variant.title !== product.title ? `${product.title} / ${variant.title}` : product.title;
    return {
      sku: variant.sku,
      fields: {
        title,
        ...(product.description ? { description: product.description } : {}),
        attributes,
        images: product.images,
        archived: event.deleted === true || product.status === 'archived',
      },
    };
  });
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Whether a product event is older than what its source last gave for the SKU (by the source's
 * version, e.g. ERPNext `modified`, which sorts as text), or the same delivery again. A deletion
 * carries the version of the last update, so at the same version it still applies.
 */
export function staleProductEvent(event: Pick<ProductEvent, 'sourceVersion' | 'deleted'>, previous: SourceFields | undefined): boolean {
  if (event.sourceVersion === undefined || previous?.sourceVersion === undefined) return false;
  const order = compareText(event.sourceVersion, previous.sourceVersion);
  return order < 0 || (order === 0 && (event.deleted !== true || previous.archived === true));
}

/** The channel a price of a source's price list prices: null for every channel, undefined when the list is not used. */
export function channelOfPriceList(source: CatalogSource, event: PriceEvent): string | null | undefined {
  if (!source.priceLists) return event.price.channel === 'default' ? null : event.price.channel;
  const target = event.priceList === undefined ? undefined : source.priceLists[event.priceList];
  if (target === undefined) return undefined;
  return target === '*' ? null : target;
}

/** A source's prices with one price set (or removed), keyed by channel and currency. */
export function withPrice(prices: readonly ProductPrice[], price: ProductPrice, deleted: boolean): ProductPrice[] {
  const others = prices.filter((p) => !(p.currency === price.currency && (p.channel ?? null) === (price.channel ?? null)));
  return deleted ? others : [...others, price];
}

/**
 * Product and price events of the connections that feed a catalog source (an ERP's Items and
 * Item Prices, by webhook or poll), applied to the masters in the transaction that completes the
 * inbound payload: an Item sets the source's title, description, attributes and images (a disabled
 * or deleted Item withdraws it) unless it is older than the Item the source last gave for the SKU
 * (or that one again); an Item Price sets one price, keeping the others.
 */
export function catalogSink(deps: MasterDeps): InboundSink {
  const byConnection = new Map(deps.config.sources.filter((s) => s.connection !== undefined).map((s) => [s.connection!, s]));
  return {
    kinds: ['product', 'price'],
    async apply(tx, event, { connection }) {
      const source = byConnection.get(connection.id);
      if (!source) return;
      if (event.kind === 'product') {
        for (const { sku, fields } of fieldsOfProductEvent(event)) {
          await changeMaster(tx, deps, sku, [
            {
              kind: 'source',
              source: source.id,
              fields: (previous) =>
                staleProductEvent(event, previous)
                  ? null
                  : { ...fields, ...(previous?.prices ? { prices: previous.prices } : {}), ...(event.sourceVersion !== undefined ? { sourceVersion: event.sourceVersion } : {}) },
            },
          ]);
        }
        return;
      }
      if (event.kind !== 'price') return;
      const channel = channelOfPriceList(source, event);
      if (channel === undefined) return;
      const { price } = event;
      const entry: ProductPrice = { currency: price.currency, amount: price.amount, ...(channel ? { channel } : {}), ...(price.compareAt !== undefined ? { compareAt: price.compareAt } : {}) };
      await changeMaster(tx, deps, price.sku, [{ kind: 'source', source: source.id, fields: (previous) => ({ ...previous, prices: withPrice(previous?.prices ?? [], entry, event.deleted === true) }) }]);
    },
  };
}
