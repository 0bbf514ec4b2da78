import { z } from 'zod';
import { defineMessageType } from '../../messaging/index.js';

/** A published event as subscribers receive it: CloudEvents 1.0 structured JSON plus correlationid. */
export const PublicCloudEvent = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().optional(),
  time: z.string(),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  correlationid: z.string().min(1),
});
export type PublicCloudEvent = z.infer<typeof PublicCloudEvent>;

/**
 * One event to POST to one subscription. It carries the event as it was published (a snapshot), and
 * the subscription's id: URL and secret are read at delivery time, so deletion and rotation apply.
 */
export const subscriptionDelivery = defineMessageType({
  type: 'subscription.delivery',
  lane: 'standard',
  schemaVersion: 1,
  data: z.object({ subscriptionId: z.string().min(1), event: PublicCloudEvent }),
});
