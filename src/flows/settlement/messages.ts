import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Fetch a payout's settlement lines from its provider (a webhook carried none), then match them. */
export const settlementFetch = defineMessageType({
  type: 'settlement.fetch',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({
    payoutId: z.string().min(1),
    /** The inbound event that reported the payout, and its source event ids: the payout's journal entry carries them. */
    causationId: z.string().min(1).optional(),
    sourceEvents: z.array(z.string().min(1)).optional(),
  }),
  retry: { maxAttempts: 30, maxDelayMs: 600_000 },
});

/** Match one payout's lines, or (without a payout) re-try a connection's unmatched lines. */
export const settlementMatch = defineMessageType({
  type: 'settlement.match',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ connectionId: z.string().min(1), payoutId: z.string().min(1).optional() }),
  retry: { maxAttempts: 20 },
});

/** Messages of one connection's settlements run one at a time, in order. */
export const settlementOrderingKey = (connectionId: string) => `settlement:${connectionId}`;
