import { isLosslessNumber } from 'lossless-json';

/** A decimal held as an integer scaled by 10^9, like Frappe's decimal(21,9) columns. */
export type Dec = bigint;

const PLACES = 9;
const ONE = 10n ** BigInt(PLACES);
const PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

function shift(digits: string, exponent: number): { whole: string; fraction: string } {
  const [whole = '', fraction = ''] = digits.split('.');
  const all = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return { whole: '0', fraction: '0'.repeat(-point) + all };
  if (point >= all.length) return { whole: all + '0'.repeat(point - all.length), fraction: '' };
  return { whole: all.slice(0, point), fraction: all.slice(point) };
}

/** Parses a JSON number (lossless), a number or a numeric string like Frappe's flt(); anything else is undefined. */
export function parseDec(value: unknown): Dec | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (isLosslessNumber(value)) text = value.value;
  else if (typeof value === 'string') text = value.trim().replace(/,/g, '');
  else if (typeof value === 'boolean') return value ? ONE : 0n;
  else return undefined;
  const match = PATTERN.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const [, sign, intPart = '', fracPart = '', exp = '0'] = match;
  const { whole, fraction } = shift(`${intPart || '0'}.${fracPart}`, Number(exp));
  const kept = fraction.slice(0, PLACES).padEnd(PLACES, '0');
  let scaled = BigInt(whole || '0') * ONE + BigInt(kept);
  if ((fraction[PLACES] ?? '0') >= '5') scaled += 1n;
  return sign === '-' ? -scaled : scaled;
}

/** flt(): the value, or zero when it is not a number. */
export function flt(value: unknown): Dec {
  return parseDec(value) ?? 0n;
}

/** cint(): the value truncated to an integer, or zero. */
export function cint(value: unknown): number {
  const parsed = parseDec(value);
  return parsed === undefined ? 0 : Number(parsed / ONE);
}

/** A Dec from whole units. */
export function decOf(units: number | bigint): Dec {
  return BigInt(units) * ONE;
}

/** Shortest decimal text: "25", "25.5", "-0.01". */
export function decText(value: Dec): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / ONE;
  const fraction = (abs % ONE).toString().padStart(PLACES, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

/** How Python prints a float of this value: "25.0", "25.5". */
export function pyFloat(value: Dec): string {
  const text = decText(value);
  return text.includes('.') ? text : `${text}.0`;
}

/** Rounds half away from zero to `places` decimals (Frappe's "Commercial Rounding"). */
export function roundDec(value: Dec, places: number): Dec {
  const unit = 10n ** BigInt(PLACES - places);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let q = abs / unit;
  if ((abs % unit) * 2n >= unit) q += 1n;
  const rounded = q * unit;
  return negative ? -rounded : rounded;
}

/** a × b, rounded at the ninth decimal. */
export function mulDec(a: Dec, b: Dec): Dec {
  return roundDec9((a * b * 10n) / ONE) ;
}

/** a ÷ b, rounded at the ninth decimal (b ≠ 0). */
export function divDec(a: Dec, b: Dec): Dec {
  return roundDec9((a * ONE * 10n) / b);
}

function roundDec9(tenfold: bigint): Dec {
  const negative = tenfold < 0n;
  const abs = negative ? -tenfold : tenfold;
  const q = (abs + 5n) / 10n;
  return negative ? -q : q;
}

/** Σ values. */
export function sumDec(values: Iterable<Dec>): Dec {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/** Percentage part/whole × 100, rounded to `places` decimals (0 when whole is 0). */
export function percentDec(part: Dec, whole: Dec, places = 2): Dec {
  if (whole === 0n) return 0n;
  return roundDec(divDec(part * 100n, whole), places);
}
