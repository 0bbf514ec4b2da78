import type { MergeRules } from './config.js';
import type { ProductAttributes, ProductContent, ProductPrice, SourceFields } from './content.js';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Merges what the sources gave into the master, by rule: each field lists the sources it is taken
 * from, first first. Title, description and images come whole from the first source that has
 * them; attributes are merged key by key (an earlier source wins a key); prices are merged per
 * channel and currency (an earlier source wins that price). A source not listed for a field
 * contributes nothing to it.
 */
export function mergeSources(rules: MergeRules, sources: ReadonlyMap<string, SourceFields>): ProductContent {
  const ordered = (names: readonly string[]) => names.map((name) => sources.get(name)).filter((fields): fields is SourceFields => fields !== undefined);
  const title = ordered(rules.title).find((f) => f.title)?.title ?? '';
  const description = ordered(rules.description).find((f) => f.description)?.description ?? null;
  const images = ordered(rules.images).find((f) => f.images && f.images.length > 0)?.images ?? [];
  const attributes: ProductAttributes = {};
  for (const fields of ordered(rules.attributes).reverse()) Object.assign(attributes, fields.attributes ?? {});
  const prices = new Map<string, ProductPrice>();
  for (const fields of ordered(rules.prices)) {
    for (const price of fields.prices ?? []) {
      const key = `${price.channel ?? '*'}|${price.currency}`;
      if (!prices.has(key)) prices.set(key, price);
    }
  }
  return {
    title,
    description,
    attributes: Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => compareText(a, b))),
    images,
    // Prices for every channel first, then each channel's own; by currency within.
    prices: [...prices.values()].sort((a, b) => compareText(a.channel ?? '', b.channel ?? '') || compareText(a.currency, b.currency)),
  };
}

/** Whether any source withdrew the item (an ERP Item disabled or deleted). */
export function withdrawnBySource(sources: ReadonlyMap<string, SourceFields>): boolean {
  return [...sources.values()].some((fields) => fields.archived === true);
}

/**
 * The price a channel sells at: its own price in its currency, else the price for every channel in
 * that currency; undefined when the product has none.
 */
export function channelPrice(prices: readonly ProductPrice[], connectionId: string, currency: string): ProductPrice | undefined {
  return prices.find((p) => p.channel === connectionId && p.currency === currency) ?? prices.find((p) => p.channel === undefined && p.currency === currency);
}
