import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Run one reconciliation: every check of its scope, then its drift recorded at once. Bulk lane: never delays orders. */
export const reconciliationRun = defineMessageType({
  type: 'reconciliation.run',
  lane: 'bulk',
  schemaVersion: 1,
  data: z.object({ runId: z.string().min(1) }),
  retry: { maxAttempts: 5 },
});

/** Apply the correction of one drift the configuration corrects automatically. */
export const reconciliationCorrect = defineMessageType({
  type: 'reconciliation.correct',
  lane: 'bulk',
  schemaVersion: 1,
  data: z.object({ driftId: z.string().min(1) }),
  retry: { maxAttempts: 10 },
});
