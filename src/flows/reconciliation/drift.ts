import { z } from 'zod';

/** What a reconciliation run can compare. */
export const ReconciliationScope = z.enum(['orders', 'inventory', 'catalog', 'payments', 'journal']);
export type ReconciliationScope = z.infer<typeof ReconciliationScope>;

/** How much a drift matters: `critical` loses money or orders, `warning` misleads a system, `info` is cosmetic. */
export const DriftSeverity = z.enum(['info', 'warning', 'critical']);
export type DriftSeverity = z.infer<typeof DriftSeverity>;

/**
 * One disagreement a check found. `entity` names what disagrees in a stable form (`order:<id>`,
 * `stock:<sku>@<location>`, `product:<sku>`, `refund:<provider>:<reference>`, `journal:<date>:<account>:<currency>`),
 * so the same disagreement found by two runs has the same entity and kind.
 */
export interface Drift {
  /** e.g. `order_missing_in_erp`, `order_missing_in_hub`, `order_total_mismatch`, `stock_mismatch`, `product_mismatch`, `refund_not_recorded`, `journal_mismatch`. */
  kind: string;
  entity: string;
  /** The systems that disagree: `hub` and connection ids. */
  systems: string[];
  /** What the authoritative side says. */
  expected: unknown;
  /** What the other side has. */
  actual: unknown;
  severity: DriftSeverity;
  /** The correction that puts it right (a name the check's corrections know), when there is one. */
  correction?: string | undefined;
  /** What the correction needs (ids, connection, values), kept with the drift. */
  detail?: Record<string, unknown> | undefined;
}
