import { z } from 'zod';

/** Where journal entries are posted: an ERP connection (default: order to cash's ERP); none keeps them in the hub only. */
export const LedgerConfig = z.object({
  erp: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'a connection id must match ^[a-z0-9][a-z0-9_-]{0,63}$' }).optional(),
});
export type LedgerConfig = z.infer<typeof LedgerConfig>;
