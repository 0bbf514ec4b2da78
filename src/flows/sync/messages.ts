import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/**
 * One page of a sync job: stage `stage` of the job's plan, from `cursor` (null: its start). Each
 * page commits its work, the job's progress and the next page's message together, so a crash
 * resumes at the page. Bulk lane: a backfill never delays orders.
 */
export const syncPage = defineMessageType({
  type: 'sync.page',
  lane: 'bulk',
  schemaVersion: 1,
  data: z.object({ jobId: z.string().min(1), stage: z.int().nonnegative(), cursor: z.string().nullable() }),
  // A source that is down for a while is waited out (up to ~1 h) before the job fails.
  retry: { maxAttempts: 12, maxDelayMs: 600_000 },
});
