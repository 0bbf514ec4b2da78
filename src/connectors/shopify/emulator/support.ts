import type { FastifyInstance } from 'fastify';
import { isInteger, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { decimalToMinor, minorToDecimal } from '../../../model/index.js';

/** A JSON object as the emulator keeps Shopify resources: integers beyond 2^53 are bigints, never rounded. */
export type JsonObject = Record<string, unknown>;

/** Safe numbers as numbers, integers beyond 2^53 as bigint, other unsafe numbers kept as their text. */
function exactNumber(text: string): number | bigint | LosslessNumber {
  if (isSafeNumber(text)) return Number(text);
  return isInteger(text) ? BigInt(text) : new LosslessNumber(text);
}

/** The objects of a JSON array (anything else: none). */
export function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/** A string, or null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** An integer quantity, or 0. */
export function quantityOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : 0;
}

/** Parses JSON keeping integers beyond 2^53 exact (as bigint). */
export function parseExact(text: string): unknown {
  return parse(text, null, exactNumber);
}

/** Serialises JSON with bigints written as plain integers. */
export function stringifyExact(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** An id as text, whether it came as number, bigint or string. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return undefined;
}

/** An id as Shopify's REST JSON writes it: a number (bigint beyond 2^53). */
export function restId(text: string): number | bigint {
  const big = BigInt(text);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** The numeric part of a gid, or the id itself when it is numeric. */
export function numericId(value: unknown): string | undefined {
  if (typeof value !== 'string') return idText(value);
  return /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(value)?.[1] ?? idText(value);
}

/** `gid://shopify/{type}/{id}`. */
export function gid(type: string, id: string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Shopify's REST timestamp: seconds, with an offset (`2026-04-01T12:00:00+00:00`). */
export function restTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/** Shopify's GraphQL DateTime (`2026-04-01T12:00:00Z`). */
export function graphqlTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A decimal amount (string or number in a REST body) in minor units; 0 when absent or malformed. */
export function minorOf(value: unknown, currency: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return 0;
  try {
    return decimalToMinor(text, currency);
  } catch {
    return 0;
  }
}

/** A REST money bag with the same amount on both sides. */
export function moneySet(minor: number, currency: string): JsonObject {
  const amount = minorToDecimal(minor, currency);
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

/** The amount of a REST `*_set` bag (shop side), else of the plain field. */
export function amountOf(node: JsonObject, field: string, currency: string): number {
  const set = node[`${field}_set`] as { shop_money?: { amount?: unknown } } | undefined;
  return minorOf(set?.shop_money?.amount ?? node[field], currency);
}

/**
 * A token bucket that refills continuously: Shopify's GraphQL cost bucket (points, restored per
 * second) and, seen from the other side, the REST leaky bucket (calls, leaking per second).
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.at = now();
  }

  /** Points available now. */
  available(): number {
    const at = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((at - this.at) / 1000) * this.refillPerSecond);
    this.at = at;
    return this.tokens;
  }

  /** Takes `amount` when available; false (nothing taken) otherwise. */
  take(amount: number): boolean {
    if (this.available() < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Gives back what a call did not use (requested minus actual cost). */
  refund(amount: number): void {
    this.tokens = Math.min(this.capacity, this.available() + amount);
  }
}

/** Parses JSON bodies of a route scope exactly (ids beyond 2^53 kept whole); bad JSON is a 400. */
export function useExactJsonBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(/^application\/(?:[\w.+-]+\+)?json/, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, (body as string).trim() === '' ? {} : parseExact(body as string));
    } catch (error) {
      const failure = error as Error & { statusCode?: number };
      failure.statusCode = 400;
      done(failure, undefined);
    }
  });
}
