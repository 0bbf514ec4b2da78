import { z } from 'zod';
import { CurrencyCode, NonNegativeMinorUnits, permanentError, ProductImage } from '../../model/index.js';
import type { CatalogChannel } from './config.js';
import { ProductAttributes, type ProductContent, type ProductPrice } from './content.js';
import type { CompiledMapping } from './mapping-expression.js';
import { channelPrice } from './merge.js';

const ChannelMoney = z.object({ amount: NonNegativeMinorUnits, currency: CurrencyCode });

/** What a channel mapping produces: a neutral listing each channel's port turns into its own call (money in minor units). */
export const ChannelListing = z.object({
  title: z.string().min(1, { error: 'title must not be empty' }),
  /** The channel's URL handle (default: derived from the SKU). */
  handle: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'a handle is lower-case letters, digits and hyphens' }).max(255).optional(),
  /** HTML or text. */
  description: z.string().optional(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  tags: z.array(z.string()).optional(),
  barcode: z.string().optional(),
  price: ChannelMoney,
  compareAtPrice: ChannelMoney.nullable().optional(),
  images: z.array(ProductImage).optional(),
  attributes: ProductAttributes.optional(),
});
export type ChannelListing = z.infer<typeof ChannelListing>;

/** A product master as a mapping sees it. */
export interface MappingInput extends Omit<ProductContent, 'description'> {
  /** Absent when no source gives one. */
  description?: string;
  sku: string;
  /** A URL handle derived from the SKU (lower case, hyphens). */
  handle: string;
  status: string;
  version: number;
  /** The channel's price in its currency (its own, else the price for every channel), or absent. */
  price?: { amount: number; currency: string };
  compareAtPrice?: { amount: number; currency: string };
  channel: { connection: string; currency: string };
}

/** A URL handle for a SKU: lower case, runs of other characters as one hyphen. */
export function handleOfSku(sku: string): string {
  return sku.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'product';
}

/** What the channel's mapping is evaluated over. */
export function mappingInput(product: ProductContent & { sku: string; status: string; version: number }, channel: Pick<CatalogChannel, 'connection' | 'currency'>): MappingInput {
  const price: ProductPrice | undefined = channelPrice(product.prices, channel.connection, channel.currency);
  return {
    sku: product.sku,
    handle: handleOfSku(product.sku),
    title: product.title,
    ...(product.description !== null ? { description: product.description } : {}),
    attributes: product.attributes,
    images: product.images,
    prices: product.prices,
    status: product.status,
    version: product.version,
    ...(price ? { price: { amount: price.amount, currency: price.currency } } : {}),
    ...(price?.compareAt !== undefined ? { compareAtPrice: { amount: price.compareAt, currency: price.currency } } : {}),
    channel: { connection: channel.connection, currency: channel.currency },
  };
}

/**
 * JSONata yields sequences and drops undefined members; plain JSON is what is validated and
 * hashed. A null member is an absent one (a mapping may pass on a null field), except a null
 * compare-at price, which clears it.
 */
function plainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const json = JSON.parse(JSON.stringify(value)) as unknown;
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  return Object.fromEntries(Object.entries(json).filter(([key, member]) => member !== null || key === 'compareAtPrice'));
}

/**
 * Maps a product to a channel's listing with the channel's JSONata and checks the result: a mapping
 * that fails or produces no valid listing (e.g. no price in the channel's currency) is a permanent
 * error naming the channel and each violation.
 */
export async function mapListing(mapping: CompiledMapping, input: MappingInput): Promise<ChannelListing> {
  const what = `${input.channel.connection} listing of ${input.sku}`;
  const output = plainJson(await mapping.evaluate(input, what));
  if (output === undefined || output === null || typeof output !== 'object' || Array.isArray(output)) {
    throw permanentError('catalog_mapping_invalid', `${what}: the mapping produced ${Array.isArray(output) ? 'an array' : String(output)}, not a listing object`);
  }
  const parsed = ChannelListing.safeParse(output);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.path[0] === 'price' && i.path.length === 1 ? `no price in ${input.channel.currency} (${i.message})` : i.message}`).join('; ');
    throw permanentError('catalog_mapping_invalid', `${what}: the mapped listing is not valid: ${issues}`);
  }
  if (parsed.data.price.currency !== input.channel.currency) {
    throw permanentError('catalog_mapping_invalid', `${what}: the listing's price is in ${parsed.data.price.currency}, but ${input.channel.connection} sells in ${input.channel.currency}`);
  }
  return parsed.data;
}
