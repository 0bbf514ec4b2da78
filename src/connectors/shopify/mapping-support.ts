import {
  allocate,
  decimalToMinor,
  isDecimalString,
  isTillbridgeError,
  permanentError,
  rateToString,
  Timestamp,
  type TillbridgeError,
} from '../../model/index.js';
import { shopifyGidToId } from './json.js';

/** A permanent 'invalid_payload' error naming the JSON pointer of the offending Shopify field. */
export function invalidPayload(pointer: string, detail: string): TillbridgeError {
  return permanentError('invalid_payload', `${pointer || '(payload)'} ${detail}`, 422, { pointer });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeSegment(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)? ?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

function normalizeOffset(offset: string): string {
  if (offset === 'Z' || offset === 'z') return 'Z';
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2).padEnd(2, '0')}`;
}

/** A Shopify date-time as an ISO 8601 string with an offset ("2019-01-01 00:00:00.000Z" → "2019-01-01T00:00:00.000Z"), or undefined. */
export function normalizeShopifyTimestamp(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, date = '', hoursMinutes = '', seconds = ':00', offset = 'Z'] = match;
  const iso = `${date}T${hoursMinutes}${seconds}${normalizeOffset(offset)}`;
  return Timestamp.safeParse(iso).success && !Number.isNaN(Date.parse(iso)) ? iso : undefined;
}

/** A value inside a Shopify payload together with the JSON pointer it was read from, so errors say where. */
export class ShopifyNode {
  constructor(
    readonly value: unknown,
    readonly path = '',
  ) {}

  /** The child at `key` (absent children are nodes whose value is undefined). */
  at(key: string | number): ShopifyNode {
    const child = typeof key === 'number' ? (Array.isArray(this.value) ? this.value[key] : undefined) : isRecord(this.value) ? this.value[key] : undefined;
    return new ShopifyNode(child, `${this.path}/${escapeSegment(key)}`);
  }

  /** True unless the value is null or missing. */
  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  /** Throws 'invalid_payload' naming this node's path, e.g. "/line_items/0/price is required". */
  fail(detail: string): never {
    throw invalidPayload(this.path, detail);
  }

  /** This node, asserted to be a JSON object. */
  object(): ShopifyNode {
    if (!this.present) this.fail('is required');
    if (!isRecord(this.value)) this.fail('must be an object');
    return this;
  }

  /** The elements of a required array. */
  list(): ShopifyNode[] {
    if (!this.present) this.fail('is required');
    return this.optionalList();
  }

  /** The elements of an array; null or missing is empty. */
  optionalList(): ShopifyNode[] {
    if (!this.present) return [];
    if (!Array.isArray(this.value)) this.fail('must be an array');
    return this.value.map((_, index) => this.at(index));
  }

  /** A required non-empty string. */
  text(): string {
    const value = this.optionalText();
    if (value === undefined) this.fail('is required');
    return value;
  }

  /** A string; null, missing or blank is undefined. */
  optionalText(): string | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'string') this.fail('must be a string');
    return this.value.trim() === '' ? undefined : this.value;
  }

  /** A required whole number within the safe integer range. */
  integer(): number {
    const value = this.optionalInteger();
    if (value === undefined) this.fail('is required');
    return value;
  }

  /** A whole number; null or missing is undefined. */
  optionalInteger(): number | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'number' || !Number.isSafeInteger(this.value)) this.fail(`must be a whole number, got ${JSON.stringify(this.value)}`);
    return this.value;
  }

  /** A boolean; null or missing is undefined. */
  optionalBoolean(): boolean | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'boolean') this.fail('must be true or false');
    return this.value;
  }

  /** A required numeric Shopify id as an exact string (parseShopifyJson keeps ids beyond 2^53 as strings). */
  id(): string {
    const value = this.optionalId();
    if (value === undefined) this.fail('is required');
    return value;
  }

  /** A numeric Shopify id as an exact string; null or missing is undefined. */
  optionalId(): string | undefined {
    if (!this.present) return undefined;
    if (typeof this.value === 'number' && Number.isSafeInteger(this.value) && this.value >= 0) return String(this.value);
    if (typeof this.value === 'string' && /^\d+$/.test(this.value)) return this.value;
    this.fail(`must be a numeric id, got ${JSON.stringify(this.value)}`);
  }

  /** A required decimal as a plain string; a JSON number (from a caller's JSON.parse) is taken by its shortest round-trip text. */
  decimal(): string {
    if (!this.present) this.fail('is required');
    if (isDecimalString(this.value)) return this.value;
    if (typeof this.value === 'number' && Number.isFinite(this.value)) return rateToString(this.value);
    this.fail(`must be a decimal number, got ${JSON.stringify(this.value)}`);
  }

  /** A required date-time, normalised to ISO 8601 with an offset. */
  timestamp(): string {
    const value = this.optionalTimestamp();
    if (value === undefined) this.fail('is required');
    return value;
  }

  /** A date-time normalised to ISO 8601 with an offset; null or missing is undefined. */
  optionalTimestamp(): string | undefined {
    const text = this.optionalText();
    if (text === undefined) return undefined;
    return normalizeShopifyTimestamp(text) ?? this.fail(`must be an ISO 8601 date-time with an offset, got ${JSON.stringify(text)}`);
  }
}

/** The exact id of a Shopify resource: the digits of `admin_graphql_api_id` when it is a gid, else `id`. */
export function exactId(resource: ShopifyNode, key = 'id'): string {
  return shopifyGidToId(resource.at('admin_graphql_api_id').value) ?? resource.at(key).id();
}

/** Which side of Shopify's `*_set` money bags a mapping reads, and in which currency. */
export interface MoneyContext {
  currency: string;
  side: 'shop_money' | 'presentment_money';
  /** Whether the plain (non-`_set`) fields are in `currency`: always for shop money, for presentment only when both currencies coincide. */
  plainFieldsMatch: boolean;
}

/** Converts a Shopify decimal at `node` to minor units of `currency`, exactly; bad or over-precise amounts name their path. */
export function toMinor(node: ShopifyNode, currency: string): number {
  const text = node.decimal();
  try {
    return decimalToMinor(text, currency);
  } catch (err) {
    if (isTillbridgeError(err)) node.fail(`is not a valid ${currency} amount: ${err.message}`);
    throw err;
  }
}

/** An amount read from `set` (`*_set.shop_money` / `presentment_money`) or, when absent, the plain field; undefined when both are absent. */
export function readOptionalMoney(parent: ShopifyNode, plain: string, set: string, money: MoneyContext): number | undefined {
  const bag = parent.at(set);
  if (bag.present) {
    const side = bag.object().at(money.side).object();
    const codeNode = side.at('currency_code').present ? side.at('currency_code') : side.at('currency');
    const code = codeNode.optionalText();
    if (code !== undefined && code !== money.currency) codeNode.fail(`is ${code}, expected ${money.currency}`);
    return toMinor(side.at('amount'), money.currency);
  }
  const field = parent.at(plain);
  if (!field.present) return undefined;
  if (!money.plainFieldsMatch) bag.fail(`is required to read ${money.currency} presentment amounts (${plain} is in the shop currency)`);
  return toMinor(field, money.currency);
}

/** Like {@link readOptionalMoney}, but a missing amount is an 'invalid_payload' error. */
export function readMoney(parent: ShopifyNode, plain: string, set: string, money: MoneyContext): number {
  return readOptionalMoney(parent, plain, set, money) ?? parent.at(plain).fail(`is required (or ${set})`);
}

/** The part of `amount` that belongs to `part` of `whole` units, by largest remainder (exact, sums back to `amount`). */
export function prorate(amount: number, part: number, whole: number): number {
  if (part >= whole || whole <= 0) return amount;
  return allocate(amount, [part, whole - part])[0]!;
}

/** Sums minor units. */
export function sum(values: readonly number[]): number {
  return values.reduce((acc, value) => acc + value, 0);
}

/** A copy of `record` without its undefined values. */
export function definedOnly<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
