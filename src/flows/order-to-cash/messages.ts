import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** Emitted once an order is durably stored; everything downstream starts from it. */
export const orderAccepted = defineMessageType({
  type: 'order.accepted',
  lane: 'critical',
  schemaVersion: 1,
  data: z.object({
    orderId: z.string(),
    source: z.string(),
    externalId: z.string(),
    number: z.string().optional(),
    currency: z.string(),
    total: z.number().int(),
  }),
  retry: { maxAttempts: 20 },
});
