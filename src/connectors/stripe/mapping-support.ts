import type { z } from 'zod';
import { permanentError } from '../../model/index.js';

/** Metadata key that carries the order a Stripe object belongs to (set by the storefront or by Tillbridge). */
export const orderIdMetadataKey = 'order_id';

/** What the event around an object adds: its id and when the change happened. */
export interface StripeEventContext {
  /** The Event id (evt_…), used for movements Stripe gives no id of their own. */
  eventId?: string;
  /** When the change happened (the Event's `created`), ISO 8601; defaults to the object's own time. */
  occurredAt?: string;
}

/** Parses a Stripe object with its wire schema; a mismatch is a permanent error naming the field. */
export function parseWire<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `/${issue.path.join('/')}: ${issue.message}`).join('; ');
    throw permanentError('stripe_invalid_payload', `Stripe ${what} does not have the expected shape: ${issues}`);
  }
  return parsed.data;
}

/** Unix seconds as an ISO 8601 UTC timestamp. */
export function isoFromEpoch(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Unix seconds as the UTC calendar date (YYYY-MM-DD), as Stripe means `arrival_date`. */
export function dateFromEpoch(seconds: number): string {
  return isoFromEpoch(seconds).slice(0, 10);
}

/** The order id in a metadata hash, when present and not blank. */
export function orderIdOf(...hashes: (Record<string, string> | undefined)[]): string | undefined {
  for (const metadata of hashes) {
    const value = metadata?.[orderIdMetadataKey]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Copies only the keys whose values are defined (exactOptionalPropertyTypes-friendly). */
export function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
