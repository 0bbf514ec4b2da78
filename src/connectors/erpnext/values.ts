import { LosslessNumber, isLosslessNumber } from 'lossless-json';
import { decimalToMinor, minorToDecimal, permanentError, rateToString } from '../../model/index.js';

/** Minor units as the exact decimal JSON number Frappe expects (written verbatim, never through a float). */
export function frappeMoney(minor: number, currency: string): LosslessNumber {
  return new LosslessNumber(minorToDecimal(minor, currency));
}

/** The decimal text of a Frappe number (JSON numbers are read back by their shortest round-trip form). */
export function decimalTextOf(value: unknown): string | undefined {
  if (isLosslessNumber(value)) return rateToString(value.value);
  if (typeof value === 'number' && Number.isFinite(value)) return rateToString(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return rateToString(value.trim());
  return undefined;
}

/** A Frappe Currency value in minor units of `currency`, exactly; a value finer than the currency's minor unit is a permanent error. */
export function minorFromFrappe(value: unknown, currency: string, what: string): number {
  const text = value === null || value === undefined ? '0' : decimalTextOf(value);
  if (text === undefined) throw permanentError('erpnext_invalid_amount', `${what}: ${JSON.stringify(value)} is not a number`, 502);
  try {
    return decimalToMinor(text, currency);
  } catch (error) {
    throw permanentError('erpnext_invalid_amount', `${what}: ${text} ${currency} cannot be held in minor units (${(error as Error).message})`, 502);
  }
}

/** A Frappe Float quantity as a number (quantities are not money; Frappe sends them as floats). */
export function quantityOf(value: unknown): number {
  const text = value === null || value === undefined ? '0' : decimalTextOf(value);
  return text === undefined ? Number.NaN : Number(text);
}

/** A whole-unit quantity for the canonical model; a fractional stock quantity is a permanent error. */
export function wholeQuantity(value: unknown, what: string): number {
  const qty = quantityOf(value);
  if (!Number.isSafeInteger(qty)) throw permanentError('erpnext_fractional_quantity', `${what}: ${JSON.stringify(value)} is not a whole quantity`, 422);
  return qty;
}

/** A canonical date or timestamp as the YYYY-MM-DD Frappe Date fields take. */
export function frappeDate(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (!match?.[1]) throw permanentError('erpnext_invalid_date', `${value} is not a date (YYYY-MM-DD)`, 422);
  return match[1];
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone: building an Intl.DateTimeFormat is far dearer than using one. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const parts = zoneFormat(timeZone).formatToParts(new Date(utcMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A Frappe datetime ("2026-11-26 10:15:00.123456", wall time in the site's time zone, no offset)
 * as an ISO 8601 UTC timestamp with milliseconds.
 */
export function frappeTimestampToIso(value: string, timeZone = 'UTC'): string {
  const match = TIMESTAMP.exec(value.trim());
  if (!match) throw permanentError('erpnext_invalid_timestamp', `${JSON.stringify(value)} is not a Frappe datetime (YYYY-MM-DD HH:MM:SS[.ffffff])`, 422);
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(fraction.padEnd(3, '0').slice(0, 3)));
  let utc = wallMs - zoneOffsetMs(wallMs, timeZone);
  utc = wallMs - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString();
}
