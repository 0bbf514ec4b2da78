/** One source's report of a SKU's stock at a location. */
export interface StockReport {
  sku: string;
  locationId: string;
  onHand: number;
  /** Who reported it: a connection id, or `api:<client>`. */
  source: string;
  /** The source's own version (a counter or a sortable timestamp), when it has one. */
  sourceVersion: string | null;
  occurredAt: number;
}

/** How a report compares with the newest one the same source gave before. */
export type ReportOrder = 'newer' | 'stale' | 'duplicate';

const integer = /^-?\d+$/;

/** Compares two versions: as integers when both are, else as text (ISO and ERP timestamps sort as text). */
export function compareVersions(a: string, b: string): number {
  if (integer.test(a) && integer.test(b)) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders a report against the source's previous one: a lower version, or an older time when
 * either lacks a version, is stale; the same version (or the same time without versions) is a
 * repeat; anything else is newer.
 */
export function orderOfReport(report: Pick<StockReport, 'sourceVersion' | 'occurredAt'>, previous: { version: string | null; occurred_at: number } | undefined): ReportOrder {
  if (!previous) return 'newer';
  if (report.sourceVersion !== null && previous.version !== null) {
    const order = compareVersions(report.sourceVersion, previous.version);
    return order < 0 ? 'stale' : order === 0 ? 'duplicate' : 'newer';
  }
  if (report.occurredAt < previous.occurred_at) return 'stale';
  return report.occurredAt === previous.occurred_at ? 'duplicate' : 'newer';
}
