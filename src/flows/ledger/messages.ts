import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Post one journal entry to the ERP (once: the ERP document carries the entry's id as its reference). */
export const ledgerPost = defineMessageType({
  type: 'ledger.post',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ entryId: z.string().min(1) }),
  retry: { maxAttempts: 30 },
});
