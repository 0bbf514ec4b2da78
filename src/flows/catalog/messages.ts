import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/**
 * Bring one channel up to date with a SKU's master (publish, unpublish or delete). Ordered per SKU
 * and channel; each delivery reads the master as it is then, so a burst of changes goes out as the
 * latest state once, and a channel outage catches up with the latest state only.
 */
export const catalogPublish = defineMessageType({
  type: 'catalog.publish',
  lane: 'bulk',
  schemaVersion: 1,
  data: z.object({
    sku: z.string().min(1),
    connectionId: z.string().min(1),
    version: z.int().nonnegative(),
    /** Send the listing even when the channel already shows the same hash (a backfill repairing a channel that lost it). */
    force: z.boolean().optional(),
  }),
  // An outage of hours is waited out (30 attempts, up to 10 minutes apart) before a dead letter.
  retry: { maxAttempts: 30, maxDelayMs: 600_000 },
});
