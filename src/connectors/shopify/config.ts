import { z } from 'zod';

/** The Admin API version this connector speaks (GraphQL documents, webhook shapes, compare-and-swap rules). */
export const shopifyApiVersion = '2026-04';

/** GraphQL Admin API cost bucket of a Standard plan: 2000 points, restored at 100 per second (the responses correct it). */
export const defaultGraphqlRate = { capacity: 2000, refillPerSecond: 100 } as const;

/** REST Admin API leaky bucket of a Standard plan: 40 calls, leaking 2 per second. */
export const defaultRestRate = { capacity: 40, refillPerSecond: 2 } as const;

const hostname = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const locationId = /^(?:gid:\/\/shopify\/Location\/)?\d+$/;

/** Settings of a Shopify connection (no secrets). */
export const ShopifySettings = z.object({
  /** The shop's permanent domain, e.g. `acme.myshopify.com`. */
  shopDomain: z.string().regex(hostname, { error: 'shopDomain must be a host name such as acme.myshopify.com' }),
  /** Root of the Admin API (default `https://{shopDomain}`); the emulator's URL in the sandbox. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).optional(),
  /** Admin API version in every path, e.g. `2026-04`. */
  apiVersion: z
    .string()
    .regex(/^(?:\d{4}-(?:01|04|07|10)|unstable)$/, { error: 'apiVersion must look like 2026-04' })
    .default(shopifyApiVersion),
  /** How often the orders poller looks for orders a webhook may have missed (ms). */
  pollIntervalMs: z.int().min(100).default(60_000),
  /** How far back the first poll of a new connection reads (ms, default 24 h). */
  initialLookbackMs: z.int().min(0).default(24 * 60 * 60 * 1000),
  /** The shop location stock is set at when a call names none (numeric id or `gid://shopify/Location/…`). */
  locationId: z.string().regex(locationId, { error: 'locationId must be a Shopify location id' }).optional(),
  /** Which side of Shopify's money bags inbound amounts are read from. */
  money: z.enum(['shop', 'presentment']).default('shop'),
  /** Per-attempt timeout of outbound calls in ms (default 10 s). */
  timeoutMs: z.int().positive().max(120_000).optional(),
});

/** Settings of a Shopify connection, as parsed. */
export type ShopifySettings = z.output<typeof ShopifySettings>;

/** Settings of a Shopify connection, as written in the configuration. */
export type ShopifySettingsInput = z.input<typeof ShopifySettings>;

/** Secrets of a Shopify connection: the Admin API access token and the app's webhook signing secret. */
export const ShopifySecrets = z.object({
  accessToken: z.string().min(1, { error: 'accessToken is required' }),
  webhookSecret: z.string().min(1, { error: 'webhookSecret is required' }),
});

/** Secrets of a Shopify connection. */
export type ShopifySecrets = z.output<typeof ShopifySecrets>;

/** The Admin API root of a connection: `baseUrl`, else `https://{shopDomain}`. */
export function shopifyBaseUrl(settings: Pick<ShopifySettings, 'shopDomain' | 'baseUrl'>): string {
  return (settings.baseUrl ?? `https://${settings.shopDomain}`).replace(/\/+$/, '');
}
