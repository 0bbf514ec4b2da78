import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { permanentError } from '../../model/index.js';
import type { UserErrorRule } from './graphql.js';

/* What the client's operations share: input validation, idempotency keys, userErrors rules. */

/** How inventory userErrors become typed errors (a stale compare-and-swap is a 409). */
export const inventoryRules: Record<string, UserErrorRule> = {
  CHANGE_FROM_QUANTITY_STALE: { code: 'inventory_compare_mismatch', httpStatus: 409 },
  COMPARE_QUANTITY_STALE: { code: 'inventory_compare_mismatch', httpStatus: 409 },
  ITEM_NOT_STOCKED_AT_LOCATION: { code: 'inventory_not_stocked', httpStatus: 422 },
};
/** How @idempotent userErrors become typed errors. */
export const idempotencyRules: Record<string, UserErrorRule> = {
  IDEMPOTENCY_CONCURRENT_REQUEST: { code: 'shopify_idempotency_in_progress', httpStatus: 409, retryable: true },
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH: { code: 'shopify_idempotency_mismatch', httpStatus: 409 },
};

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A UUID-formatted key from the caller's key, the operation and its exact input. */
export function derivedIdempotencyKey(callerKey: string, operation: string, input: unknown): string {
  const hex = createHash('sha256').update(`${operation}\n${callerKey}\n${stableJson(input)}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The input parsed by `schema`, or a permanent `invalid_shopify_input` error listing each issue. */
export function validated<T extends z.ZodType>(connectionId: string, schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`);
    throw permanentError('invalid_shopify_input', `${connectionId}: ${what}: ${lines.join('; ')}`, 422, { issues: parsed.error.issues });
  }
  return parsed.data;
}
