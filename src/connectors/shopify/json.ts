import { parse } from 'lossless-json';
import { permanentError } from '../../model/index.js';

const INTEGER = /^-?\d+$/;
const GID = /^gid:\/\/shopify\/[A-Za-z][A-Za-z0-9]*\/(\d+)(?:\?.*)?$/;

/**
 * Number policy of {@link parseShopifyJson}: a safe integer stays a number, an integer beyond
 * Number.MAX_SAFE_INTEGER becomes its exact decimal string, and every non-integer (89.99, 0.06,
 * 1e3) becomes its source text, so no float ever holds a Shopify amount, rate or id.
 */
function parseNumber(text: string): number | string {
  if (!INTEGER.test(text)) return text;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return text;
  return value === 0 ? 0 : value;
}

/** Parses a Shopify JSON body without rounding: big ids become exact strings, decimals stay text; bad JSON is a permanent 'invalid_payload'. */
export function parseShopifyJson(text: string): unknown {
  if (typeof text !== 'string') throw permanentError('invalid_payload', `payload must be JSON text, got ${typeof text}`, 422, { pointer: '' });
  try {
    return parse(text, null, parseNumber);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw permanentError('invalid_payload', `payload is not valid JSON: ${reason}`, 422, { pointer: '' });
  }
}

/** The numeric id inside a Shopify GraphQL id ("gid://shopify/Order/820982911946154508" → "820982911946154508"), or undefined. */
export function shopifyGidToId(gid: unknown): string | undefined {
  if (typeof gid !== 'string') return undefined;
  return GID.exec(gid)?.[1];
}
