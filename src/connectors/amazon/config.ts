import { z } from 'zod';

/** The Finances API's published rate: a burst of 30 calls refilled at 0.5 per second. */
export const defaultAmazonRate = { capacity: 30, refillPerSecond: 0.5 } as const;

/** The Login with Amazon token endpoint of the real SP-API. */
export const defaultAmazonTokenUrl = 'https://api.amazon.com/auth/o2/token';

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL` });

/** Settings of an Amazon SP-API connection (no secrets). */
export const AmazonSettings = z.object({
  /** The regional SP-API endpoint, e.g. https://sellingpartnerapi-na.amazon.com. */
  baseUrl: httpUrl('baseUrl'),
  /** Where access tokens are obtained from the refresh token (Login with Amazon). */
  tokenUrl: httpUrl('tokenUrl').default(defaultAmazonTokenUrl),
  /** The marketplace this connection sells in (e.g. ATVPDKIKX0DER), for reports and checks. */
  marketplaceId: z.string().min(1).optional(),
  /** How often the financial event groups poller runs (ms, default 15 min; 0 turns it off). */
  pollIntervalMs: z
    .int()
    .min(0)
    .refine((ms) => ms === 0 || ms >= 100, { error: 'pollIntervalMs must be 0 (off) or at least 100' })
    .default(15 * 60 * 1000),
  /** How far back the first poll of a new connection reads (ms, default 30 days). */
  initialLookbackMs: z.int().min(0).default(30 * 24 * 60 * 60 * 1000),
  /** How far before its cursor each poll starts again, for groups that appear late (ms, default 1 h). */
  overlapMs: z.int().min(0).default(60 * 60 * 1000),
  /** How long after its start a group not yet settled keeps the poller reading it again (ms, default 60 days). */
  maxHoldMs: z.int().positive().default(60 * 24 * 60 * 60 * 1000),
  /** The Finances API's rate rule, when it differs from a burst of 30 refilled at 0.5 per second. */
  rate: z.object({ capacity: z.int().positive(), refillPerSecond: z.number().positive() }).default({ ...defaultAmazonRate }),
  /** Per-attempt timeout of outbound calls in ms (default 10 s). */
  timeoutMs: z.int().positive().max(120_000).optional(),
});

/** Settings of an Amazon connection, as parsed. */
export type AmazonSettings = z.output<typeof AmazonSettings>;

/** Settings of an Amazon connection, as written in the configuration. */
export type AmazonSettingsInput = z.input<typeof AmazonSettings>;

/** Secrets of an Amazon connection: the LWA app's client credentials and the seller's refresh token. */
export const AmazonSecrets = z.object({
  clientId: z.string().min(1, { error: 'clientId is required' }),
  clientSecret: z.string().min(1, { error: 'clientSecret is required' }),
  refreshToken: z.string().min(1, { error: 'refreshToken is required' }),
});

/** Secrets of an Amazon connection. */
export type AmazonSecrets = z.output<typeof AmazonSecrets>;
