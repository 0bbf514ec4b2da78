import { decimalToMinor, isDecimalString, isTillbridgeError, permanentError, rateToString, type Money, type TillbridgeError } from '../../model/index.js';

/** A permanent 'invalid_payload' error naming the JSON pointer of the offending Amazon field. */
export function amazonInvalidPayload(pointer: string, detail: string): TillbridgeError {
  return permanentError('invalid_payload', `Amazon ${pointer || '(payload)'} ${detail}`, 422, { pointer });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value inside an SP-API payload with the JSON pointer it was read from, so every error names its path. */
export class AmazonNode {
  constructor(
    readonly value: unknown,
    readonly path = '',
  ) {}

  /** The child at `key` (an absent child is a node whose value is undefined). */
  at(key: string | number): AmazonNode {
    const child = typeof key === 'number' ? (Array.isArray(this.value) ? this.value[key] : undefined) : isRecord(this.value) ? this.value[key] : undefined;
    return new AmazonNode(child, `${this.path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`);
  }

  /** True unless the value is null or missing. */
  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  /** Throws 'invalid_payload' naming this node's path. */
  fail(detail: string): never {
    throw amazonInvalidPayload(this.path, detail);
  }

  /** This node, asserted to be a JSON object. */
  object(): AmazonNode {
    if (!this.present) this.fail('is required');
    if (!isRecord(this.value)) this.fail('must be an object');
    return this;
  }

  /** The keys of an object node. */
  keys(): string[] {
    return Object.keys(this.object().value as Record<string, unknown>);
  }

  /** The elements of an array; null or missing is empty. */
  list(): AmazonNode[] {
    if (!this.present) return [];
    if (!Array.isArray(this.value)) this.fail('must be an array');
    return this.value.map((_, index) => this.at(index));
  }

  /** A required non-blank string. */
  text(): string {
    return this.optionalText() ?? this.fail('is required');
  }

  /** A string; null, missing or blank is undefined. */
  optionalText(): string | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'string') this.fail(`must be a string, got ${JSON.stringify(this.value)}`);
    return this.value.trim() === '' ? undefined : this.value;
  }

  /** An ISO 8601 date-time; null or missing is undefined. */
  optionalTimestamp(): string | undefined {
    const text = this.optionalText();
    if (text === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
      this.fail(`must be an ISO 8601 date-time with an offset, got ${JSON.stringify(text)}`);
    }
    return text;
  }

  /**
   * A required SP-API Currency object (`{"CurrencyCode", "CurrencyAmount"}`) as exact minor units: the
   * amount is a JSON number (BigDecimal) taken by its shortest round-trip text, or a decimal string.
   */
  money(): Money {
    const node = this.object();
    const codeNode = node.at('CurrencyCode');
    const currency = codeNode.text().toUpperCase();
    const amountNode = node.at('CurrencyAmount');
    const raw = amountNode.value;
    if (!amountNode.present) amountNode.fail('is required');
    const text =
      typeof raw === 'number' && Number.isFinite(raw) ? rateToString(raw) : isDecimalString(raw) ? raw : amountNode.fail(`must be a decimal number, got ${JSON.stringify(raw)}`);
    try {
      return { amount: decimalToMinor(text, currency), currency };
    } catch (err) {
      if (isTillbridgeError(err) && err.code === 'unknown_currency') codeNode.fail(`is not an ISO 4217 currency code: ${JSON.stringify(codeNode.value)}`);
      if (isTillbridgeError(err)) amountNode.fail(`is not a valid ${currency} amount: ${err.message}`);
      throw err;
    }
  }

  /** A Currency object, or undefined when null or missing. */
  optionalMoney(): Money | undefined {
    return this.present ? this.money() : undefined;
  }
}
