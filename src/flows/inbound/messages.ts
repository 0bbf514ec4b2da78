import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** A verified payload from a connection (webhook or poll) is in the inbox, waiting to be interpreted. */
export const inboundReceived = defineMessageType({
  type: 'inbound.received',
  lane: 'critical',
  schemaVersion: 1,
  data: z.object({
    connectionId: z.string(),
    system: z.string(),
    inboxId: z.string(),
    topic: z.string(),
    apiVersion: z.string().optional(),
    via: z.enum(['webhook', 'poll']),
  }),
  retry: { maxAttempts: 12 },
});
