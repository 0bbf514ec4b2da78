import type { Correction, ReconciliationCheck } from '../../flows/index.js';

/** The checks and corrections one area contributes (orders and payments, inventory, catalog). */
export interface ReconciliationPart {
  checks: readonly ReconciliationCheck[];
  corrections: readonly Correction[];
}
