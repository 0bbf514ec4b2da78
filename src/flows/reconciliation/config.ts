import { z } from 'zod';
import { Duration } from '../order-to-cash/index.js';

/** When reconciliation runs by itself, how far back it looks, and which corrections need no approval. */
export const ReconciliationConfig = z.object({
  /** Start a run over every scope this often (none: runs only on demand). */
  every: Duration.optional(),
  /** How far back a run looks for orders, payments and journal entries when none is given. */
  window: Duration.default(7 * 86_400_000),
  /** Corrections applied as soon as a run finds their drift (e.g. `import-order`, `resync-stock`); the rest wait for approval. */
  autoCorrect: z.array(z.string().min(1)).default([]),
});
export type ReconciliationConfig = z.infer<typeof ReconciliationConfig>;
