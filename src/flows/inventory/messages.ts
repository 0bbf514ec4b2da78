import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Push a SKU's availability to the channels (sent once per burst of changes, after the push interval). */
export const inventoryPush = defineMessageType({
  type: 'inventory.push',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ sku: z.string().min(1) }),
  retry: { maxAttempts: 50 },
});
