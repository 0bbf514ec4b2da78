import { z } from 'zod';
import { defineMessageType, Envelope } from '../../messaging/index.js';

/** A published event as subscribers receive it: CloudEvents 1.0 structured JSON plus correlationid. */
export const PublicCloudEvent = Envelope.pick({
  specversion: true,
  id: true,
  source: true,
  type: true,
  subject: true,
  time: true,
  datacontenttype: true,
  data: true,
  correlationid: true,
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
