import { z } from 'zod';
import type { RateRule } from '../framework/index.js';

/**
 * The Stripe API version Tillbridge is written and tested against: the version stripe-node 23.1.0
 * pins (Stripe-Version header). Payload shapes (webhook events included) follow the version a
 * request names, or the account's default version for events.
 */
export const stripeApiVersion = '2026-10-28.endive';

/** Stripe's documented default rate limits: 100 read and 100 write requests per second in live mode, 25 each in test mode. */
export const stripeRateLimits = { live: 100, test: 25 } as const;

/** Settings of a Stripe connection (no secrets). */
export const StripeSettings = z.object({
  /** Root of the API without `/v1` (the emulator's URL in the sandbox). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).default('https://api.stripe.com'),
  /** Sent as `Stripe-Version` on every call, e.g. 2026-10-28.endive. */
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, { error: 'apiVersion must look like 2026-10-28.endive' })
    .default(stripeApiVersion),
  /** How far a webhook's signed timestamp may be from now, either way, in seconds (Stripe's SDK default: 300). */
  toleranceSeconds: z.int().min(1).max(86_400).default(300),
  /** Per-attempt timeout of outbound calls in ms (default 10 s; Stripe recommends at least 30 s for some endpoints). */
  timeoutMs: z.int().positive().max(120_000).optional(),
  /** Overrides the rate rule chosen from the key's mode (live 100/s, test 25/s). */
  rateLimit: z.object({ capacity: z.int().positive(), refillPerSecond: z.number().positive() }).optional(),
});

/** Settings of a Stripe connection, as parsed. */
export type StripeSettings = z.output<typeof StripeSettings>;

/** Settings of a Stripe connection, as written in the configuration. */
export type StripeSettingsInput = z.input<typeof StripeSettings>;

/** Secrets of a Stripe connection: the secret (or restricted) API key and the webhook endpoint's signing secret. */
export const StripeSecrets = z.object({
  secretKey: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, { error: 'secretKey must be a Stripe secret key (sk_test_…, sk_live_…, or a restricted rk_… key)' }),
  webhookSecret: z.string().regex(/^whsec_\S+$/, { error: 'webhookSecret must be a webhook signing secret (whsec_…)' }),
});

/** Secrets of a Stripe connection. */
export type StripeSecrets = z.output<typeof StripeSecrets>;

/** True for a live-mode key (sk_live_…, rk_live_…). */
export function isLiveKey(secretKey: string): boolean {
  return /^(sk|rk)_live_/.test(secretKey);
}

/** The rate rule for a key: Stripe's per-second limit of its mode, as a bucket that refills each second. */
export function stripeRateRule(secretKey: string): RateRule {
  const perSecond = isLiveKey(secretKey) ? stripeRateLimits.live : stripeRateLimits.test;
  return { capacity: perSecond, refillPerSecond: perSecond };
}
