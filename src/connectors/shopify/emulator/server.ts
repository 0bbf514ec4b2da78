import { randomBytes, randomUUID } from 'node:crypto';
import { createWebhookSender, startEmulator, type DeliveryRecord, type EmulatedError, type RunningEmulator } from '../../framework/index.js';
import { shopifyApiVersion } from '../config.js';
import { shopifyWebhookHeaders } from '../webhooks.js';
import { invalidTokenBody, registerAdminRoutes, restThrottledBody, retryAfterHeader, type AdminCounters } from './admin-routes.js';
import { Catalog } from './catalog.js';
import type { Delivery, ShopContext } from './context.js';
import { OrderBook } from './orders.js';
import { PayoutBook, registerPayoutSandboxRoutes } from './payouts.js';
import { registerSandboxRoutes } from './sandbox-routes.js';
import { gid, restTime, stringifyExact, TokenBucket, type JsonObject } from './support.js';

export { invalidTokenBody, restThrottledBody };

/** Credentials of the emulated shop's app. */
export interface ShopifyCredentials {
  accessToken: string;
  webhookSecret: string;
}

/** Options of the Shopify emulator. */
export interface ShopifyEmulatorOptions {
  port?: number;
  random?: () => number;
  now?: () => number;
  /** Where webhooks go (also `POST /_sandbox/webhooks`); none are sent while unset. */
  webhookUrl?: string;
  credentials?: Partial<ShopifyCredentials>;
  /** Default `tillbridge-sandbox.myshopify.com`. */
  shopDomain?: string;
  /** The shop currency (default USD). */
  currency?: string;
  /** The GraphQL cost bucket (default 2000 points restored at 100 per second). */
  costBucket?: { maximum: number; restoreRate: number };
  /** The REST leaky bucket (default 40 calls leaking at 2 per second). */
  restBucket?: { capacity: number; leakPerSecond: number };
  /** Retry-After of a 429 (injected or from the REST bucket), in seconds (default 2). */
  retryAfterSeconds?: number;
}

/** A running Shopify emulator. */
export type RunningShopifyEmulator = RunningEmulator & {
  credentials: ShopifyCredentials;
  shopDomain: string;
  /** The shop's one location (`gid://shopify/Location/…`): stock is set and orders ship there. */
  locationId: string;
  /** Resolves once every pending webhook delivery (delays, retries, duplicates) has finished. */
  idle(): Promise<void>;
  deliveries(): readonly DeliveryRecord[];
};

/**
 * Starts an emulated Shopify store speaking the Admin API 2026-04: GraphQL (shop, products with
 * productSet, inventory with compare-and-swap, fulfillment orders and fulfillmentCreate,
 * productDelete, productVariants(query: "sku:…"), refundCreate with @idempotent) under a real cost bucket that answers THROTTLED, REST orders.json
 * with Link pagination under the 40/2 s leaky bucket, X-Shopify-Access-Token auth, and signed
 * webhooks (orders/create, orders/updated, fulfillments/create, refunds/create,
 * inventory_levels/update) delivered at least once.
 */
export async function startShopifyEmulator(options: ShopifyEmulatorOptions = {}): Promise<RunningShopifyEmulator> {
  const now = options.now ?? Date.now;
  const credentials: ShopifyCredentials = {
    accessToken: options.credentials?.accessToken ?? `shpat_${randomBytes(16).toString('hex')}`,
    webhookSecret: options.credentials?.webhookSecret ?? `shpss_${randomBytes(16).toString('hex')}`,
  };
  const shopDomain = options.shopDomain ?? 'tillbridge-sandbox.myshopify.com';
  const retryAfterSeconds = options.retryAfterSeconds ?? 2;
  let webhookUrl: string | null = options.webhookUrl ?? null;
  // Ids start from the clock (×1000) so a restarted sandbox never reuses an id, and stay below 2^53 like Shopify's.
  let sequence = BigInt(Math.floor(now())) * 1000n;
  const emitted: { webhookId: string; topic: string; at: string; sent: boolean }[] = [];

  // After close, in-flight deliveries abort and retries are answered like a revoked endpoint (401), so they stop.
  const closing = new AbortController();
  const sender = createWebhookSender({
    fetch: async (input, init) => {
      if (closing.signal.aborted) return new Response(null, { status: 401, statusText: 'emulator closed' });
      return fetch(input, { ...init, signal: AbortSignal.any([closing.signal, ...(init?.signal ? [init.signal] : [])]) });
    },
  });

  const context: ShopContext = {
    now,
    nextId: () => {
      sequence += 1n;
      return sequence.toString();
    },
    shop: { id: '', name: 'Tillbridge Sandbox', domain: shopDomain, currency: options.currency ?? 'USD', locationId: '', locationName: 'Sandbox warehouse', apiVersion: shopifyApiVersion },
    emit(topic: string, payload: JsonObject, delivery: Delivery = {}) {
      const webhookId = randomUUID();
      const url = webhookUrl;
      const sent = url !== null && delivery.send !== false;
      emitted.push({ webhookId, topic, at: restTime(now()), sent });
      if (emitted.length > 1000) emitted.shift();
      if (!sent) return;
      const body = stringifyExact(payload);
      const headers = shopifyWebhookHeaders({ body, secret: credentials.webhookSecret, topic, shopDomain, webhookId, apiVersion: shopifyApiVersion, triggeredAt: new Date(now()).toISOString() });
      sender.send({ url, headers, body }, topic, { ...(delivery.duplicate ? { duplicate: true } : {}), ...(delivery.delayMs ? { delayMs: delivery.delayMs } : {}) });
    },
  };
  context.shop.id = context.nextId();
  context.shop.locationId = context.nextId();

  const orders = new OrderBook(context);
  const catalog = new Catalog(context);
  const payouts = new PayoutBook(context.nextId);
  const idempotency = new Map<string, { fingerprint: string; payload: JsonObject }>();
  const costBucket = new TokenBucket(options.costBucket?.maximum ?? 2000, options.costBucket?.restoreRate ?? 100, now);
  const restBucket = new TokenBucket(options.restBucket?.capacity ?? 40, options.restBucket?.leakPerSecond ?? 2, now);
  const counters: AdminCounters = { graphqlCalls: 0, throttled: 0, restCalls: 0, restLimited: 0 };
  const faultCounts = { rateLimited: 0, errors: 0, outages: 0 };

  const emulator = await startEmulator({
    name: 'shopify',
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.random ? { random: options.random } : {}),
    now,
    faultResponse(kind): EmulatedError {
      if (kind === 'rate-limit') {
        faultCounts.rateLimited += 1;
        return { status: 429, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': retryAfterHeader(retryAfterSeconds) }, body: restThrottledBody };
      }
      if (kind === 'outage') {
        faultCounts.outages += 1;
        return { status: 503, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { errors: 'Service Unavailable' } };
      }
      faultCounts.errors += 1;
      return { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { errors: 'Internal Server Error' } };
    },
    state: () => ({
      shop: { domain: shopDomain, name: context.shop.name, currency: context.shop.currency, locationId: gid('Location', context.shop.locationId), apiVersion: shopifyApiVersion },
      webhookUrl,
      counts: {
        orders: orders.size,
        payouts: payouts.size,
        ...orders.counts(),
        ...catalog.counts(),
        webhooksEmitted: emitted.length,
        webhookDeliveries: sender.deliveries().length,
      },
      costBucket: { maximumAvailable: costBucket.capacity, currentlyAvailable: Math.floor(costBucket.available()), restoreRate: costBucket.refillPerSecond },
      restBucket: { capacity: restBucket.capacity, used: Math.ceil(restBucket.capacity - restBucket.available()), leakPerSecond: restBucket.refillPerSecond },
      calls: { ...counters, ...faultCounts },
      inventory: catalog.levels(),
      events: emitted.slice(-100),
      deliveries: sender.deliveries().slice(-100),
    }),
    async routes(app) {
      await registerAdminRoutes(app, { context, orders, catalog, idempotency, accessToken: credentials.accessToken, costBucket, restBucket, retryAfterSeconds, counters, payouts });
      await registerPayoutSandboxRoutes(app, payouts);
      await registerSandboxRoutes(app, {
        orders,
        catalog,
        setWebhookUrl: (url) => {
          webhookUrl = url;
        },
      });
      app.setNotFoundHandler((_request, reply) => reply.code(404).send({ errors: 'Not Found' }));
    },
  });

  return {
    ...emulator,
    credentials,
    shopDomain,
    locationId: gid('Location', context.shop.locationId),
    idle: () => sender.idle(),
    deliveries: () => sender.deliveries(),
    async close() {
      closing.abort();
      await emulator.close();
    },
  };
}
