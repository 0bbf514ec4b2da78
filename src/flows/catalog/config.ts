import { z } from 'zod';
import { ConnectionId, CurrencyCode } from '../../model/index.js';
import { mappingSyntaxError } from './mapping-expression.js';

/** The source that `PUT /v1/products/{sku}` writes when the request names none. */
export const apiSource = 'api';

/** Where product data comes from: a connection's product and price events, or (without one) `PUT /v1/products/{sku}?source=<id>`. */
export const CatalogSource = z.object({
  /** The name merge rules use (e.g. erp, pim). */
  id: ConnectionId,
  /** The connection whose inbound product (ERP Item) and price (Item Price) events feed this source. */
  connection: ConnectionId.optional(),
  /**
   * Price lists of the connection and the channel each one prices: a connection id, or "*" for every
   * channel. Prices of lists not named here are ignored; without this map every selling price list
   * prices every channel.
   */
  priceLists: z.record(z.string().min(1), z.union([z.literal('*'), ConnectionId])).optional(),
});
export type CatalogSource = z.infer<typeof CatalogSource>;

const SourceOrder = z.array(ConnectionId).min(1);

/** Which sources each master field is taken from, first first (defaults: every source in configured order, then `api`). */
export const MergeRulesInput = z.object({
  title: SourceOrder.optional(),
  description: SourceOrder.optional(),
  attributes: SourceOrder.optional(),
  images: SourceOrder.optional(),
  prices: SourceOrder.optional(),
});

/** Which sources each master field is taken from, first first. */
export interface MergeRules {
  title: string[];
  description: string[];
  attributes: string[];
  images: string[];
  prices: string[];
}

/** The neutral listing a mapping produces unless the channel's mapping says otherwise. */
export const defaultMapping = `{
  "title": title,
  "handle": handle,
  "description": description,
  "vendor": $string(attributes.brand),
  "barcode": $string(attributes.barcode),
  "price": price,
  "compareAtPrice": compareAtPrice,
  "images": images,
  "attributes": attributes
}`;

const Mapping = z.string().min(1).superRefine((text, ctx) => {
  const problem = mappingSyntaxError(text);
  if (problem) ctx.addIssue({ code: 'custom', message: `the JSONata mapping does not compile: ${problem}` });
});

/** A channel products are published to: its connection, the JSONata mapping to its listing, and its currency. */
export const CatalogChannel = z.object({
  connection: ConnectionId,
  /**
   * JSONata over the product ({ sku, handle, title, description, attributes, images, prices, price,
   * compareAtPrice, status, version, channel: { connection, currency } }) producing the channel
   * listing ({ title, handle?, description?, vendor?, productType?, tags?, barcode?, price,
   * compareAtPrice?, images?, attributes? }; money in minor units).
   */
  mapping: Mapping.default(defaultMapping),
  /** The currency the channel sells in; `price` is the channel's own price in it, else the price for every channel. */
  currency: CurrencyCode,
});
export type CatalogChannel = z.infer<typeof CatalogChannel>;

/** The product master: its sources and merge rules, whether products need approval, and the channels they are published to. */
export const CatalogConfig = z
  .object({
    sources: z.array(CatalogSource).default([]),
    merge: MergeRulesInput.default({}),
    /** New products start as drafts until `POST /v1/products/{sku}/approve` (false: approved at once). */
    requireApproval: z.boolean().default(true),
    channels: z.array(CatalogChannel).default([]),
  })
  .superRefine((config, ctx) => {
    const known = new Set([apiSource]);
    config.sources.forEach((source, i) => {
      if (known.has(source.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: source.id === apiSource ? `${apiSource} is the built-in API source` : `source ${source.id} is configured twice` });
      known.add(source.id);
    });
    for (const [field, order] of Object.entries(config.merge)) {
      (order ?? []).forEach((name, i) => {
        if (!known.has(name)) ctx.addIssue({ code: 'custom', path: ['merge', field, i], message: `names source ${name}, which is not configured (sources: ${[...known].join(', ')})` });
      });
    }
    const channels = new Set<string>();
    config.channels.forEach((channel, i) => {
      if (channels.has(channel.connection)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'connection'], message: `channel ${channel.connection} is configured twice` });
      channels.add(channel.connection);
    });
  })
  .transform((config) => {
    const everySource = [...config.sources.map((s) => s.id), apiSource];
    const order = (given: string[] | undefined) => given ?? everySource;
    const rules: MergeRules = {
      title: order(config.merge.title),
      description: order(config.merge.description),
      attributes: order(config.merge.attributes),
      images: order(config.merge.images),
      prices: order(config.merge.prices),
    };
    return { ...config, merge: rules };
  });
export type CatalogConfig = z.output<typeof CatalogConfig>;
/** The catalog configuration as written. */
export type CatalogConfigInput = z.input<typeof CatalogConfig>;
