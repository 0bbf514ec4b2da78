const digitsCache = new Map<string, number>();

function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** An amount in minor units as money (`12.34 USD` → "$12.34"), exactly: the decimal is built as text, never through a float. */
export function money(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return '—';
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const units = String(Math.abs(minor)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }) as Intl.NumberFormat & { format(value: string): string };
    return format.format(`${negative ? '-' : ''}${decimal}`);
  } catch {
    return `${negative ? '-' : ''}${decimal} ${currency}`;
  }
}

/** A timestamp in the reader's local time, to the second. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A calendar date in the reader's locale. */
export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? iso : value.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** A duration in words: 850 ms, 12 s, 4 min 5 s, 3 h 20 min, 2 d 4 h. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** How long ago a timestamp was, in words. */
export function ago(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return `${duration(Date.now() - new Date(iso).getTime())} ago`;
}

/** A whole number with thousands separators. */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString();
}

/** A ratio as a percentage. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(ratio < 0.01 && ratio > 0 ? 2 : 1)} %`;
}

/** A machine word (on_hold, insufficient_stock) in plain words. */
export function words(code: string | null | undefined): string {
  return code ? code.replace(/[_-]+/g, ' ') : '—';
}
