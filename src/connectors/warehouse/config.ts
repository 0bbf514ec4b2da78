import { z } from 'zod';
import { Identifier } from '../../model/index.js';

/** The warehouse API's default rate: a bucket of 20 calls refilled at 10 per second. */
export const defaultWarehouseRate = { capacity: 20, refillPerSecond: 10 } as const;

/** Settings of a warehouse connection (no secrets). */
export const WarehouseSettings = z.object({
  /** Root of the 3PL's API, without the `/v1` path, e.g. https://api.3pl.example. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }),
  /** The hub's location id for this warehouse: stock levels and shipments are reported against it. */
  locationId: Identifier,
  /** The warehouse's own location code to read, when the 3PL runs several sites on one account. */
  warehouseLocation: Identifier.optional(),
  /** Service level sent for a hub shipping method (e.g. `{"express": "expedited"}`). */
  serviceLevels: z.record(z.string(), Identifier).default({}),
  /** Service level when the order's shipping method is not in `serviceLevels`. */
  defaultServiceLevel: Identifier.default('standard'),
  /** The 3PL's rate rule, when it differs from 20 calls, refilled at 10 per second. */
  rateLimit: z
    .object({ capacity: z.int().positive(), refillPerSecond: z.number().positive() })
    .default({ ...defaultWarehouseRate }),
  /**
   * How often the shipments poller reads shipment orders updated since its last poll, to recover
   * shipments and cancellations whose webhook was lost (ms, default 30 s; 0 turns it off).
   */
  pollIntervalMs: z
    .int()
    .min(0)
    .refine((ms) => ms === 0 || ms >= 100, { error: 'pollIntervalMs must be 0 (off) or at least 100' })
    .default(30_000),
  /** How far back the first poll of a new connection reads (ms, default 24 h). */
  initialLookbackMs: z.int().min(0).default(24 * 60 * 60 * 1000),
  /** Per-attempt timeout of outbound calls in ms (default 10 s). */
  timeoutMs: z.int().positive().max(120_000).optional(),
});

/** Settings of a warehouse connection, as parsed. */
export type WarehouseSettings = z.output<typeof WarehouseSettings>;

/** Settings of a warehouse connection, as written in the configuration. */
export type WarehouseSettingsInput = z.input<typeof WarehouseSettings>;

/** Secrets of a warehouse connection: the API key for calls and the secret webhooks are signed with. */
export const WarehouseSecrets = z.object({
  apiKey: z.string().min(1, { error: 'apiKey is required' }),
  webhookSecret: z.string().min(1, { error: 'webhookSecret is required' }),
});

/** Secrets of a warehouse connection. */
export type WarehouseSecrets = z.output<typeof WarehouseSecrets>;
