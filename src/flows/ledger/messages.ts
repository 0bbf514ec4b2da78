import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Post one journal entry to the ERP (once: the ERP document carries the entry's id as its reference). */
export const ledgerPost = defineMessageType({
  type: 'ledger.post',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({
    entryId: z.string().min(1),
    /** A re-post: by currency, the ERP document (cancelled or deleted there) this posting replaces; the new document's reference names it, so the old one is not found again. */
    replaces: z.record(z.string(), z.string().min(1)).optional(),
  }),
  retry: { maxAttempts: 30 },
});
