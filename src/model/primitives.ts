import { z } from 'zod';

/** A zod error function: "is required" for a missing value, else `message`. */
export function requiredOr(message: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? 'is required' : message);
}

/** A non-empty string of at most 255 characters, for external identifiers and references. */
export const Identifier = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' });

/** A connection (or order source) id: lower-case letters, digits, '_' and '-', at most 64 characters. */
export const ConnectionId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must match ^[a-z0-9][a-z0-9_-]{0,63}$' });

/** An ISO 8601 date-time with a UTC offset or Z, e.g. "2026-11-26T10:15:00Z". */
export const Timestamp = z.iso.datetime({
  offset: true,
  error: requiredOr('must be an ISO 8601 date-time with an offset, e.g. 2026-11-26T10:15:00Z'),
});

/** A calendar date as YYYY-MM-DD. */
export const IsoDate = z.iso.date({ error: requiredOr('must be a date as YYYY-MM-DD') });

/** An ISO 3166-1 alpha-2 country code (two upper-case letters). */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 country code, e.g. US' });

/** A positive whole number of units. */
export const Quantity = z
  .int({ error: requiredOr('quantity must be a positive integer') })
  .positive({ error: 'quantity must be a positive integer' });
