import { z } from 'zod';
import { publishedEvents } from '../published-events.js';

const eventTypes = ['*', ...publishedEvents.map((e) => e.type)] as [string, ...string[]];
const timestamp = z.iso.datetime({ offset: true });

/** A request to subscribe a URL to published events (`*` for all of them). */
export const NewSubscription = z.object({
  url: z.url({ protocol: /^https?$/, normalize: false }).max(2000).meta({ description: 'Where events are POSTed (https, or http inside a trusted network)' }),
  events: z.array(z.enum(eventTypes)).min(1).max(100).meta({ description: 'Published event types to receive, or "*" for all' }),
  description: z.string().trim().max(500).optional(),
});
export type NewSubscription = z.infer<typeof NewSubscription>;

/** A subscription as the API shows it: never its secret. */
export const SubscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  status: z.enum(['active', 'disabled', 'deleted']),
  statusReason: z.string().nullable(),
  createdAt: timestamp,
  createdBy: z.string(),
  updatedAt: timestamp,
});
export type SubscriptionView = z.infer<typeof SubscriptionView>;

/** 201 body of `POST /v1/subscriptions` (and 200 of a rotation): the view plus the signing secret, shown this once. */
export const SubscriptionWithSecret = SubscriptionView.extend({
  secret: z.string().meta({ description: 'whsec_… signing secret (Standard Webhooks); shown once, store it now' }),
});

/** `GET /v1/subscriptions`: every subscription, without secrets. */
export const SubscriptionList = z.object({ data: z.array(SubscriptionView) });

/** One delivery attempt as the delivery log shows it. */
export const DeliveryAttemptView = z.object({
  messageId: z.string().meta({ description: 'The delivery message: replay it with POST /v1/dead-letters/{messageId}/replay' }),
  eventId: z.string().meta({ description: 'The event id, also sent as webhook-id' }),
  eventType: z.string(),
  attempt: z.number().int(),
  at: timestamp,
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  delivered: z.boolean(),
  error: z.string().nullable(),
});
export type DeliveryAttemptView = z.infer<typeof DeliveryAttemptView>;

/** `GET /v1/subscriptions/{id}/deliveries`: a page of attempts, newest first. */
export const DeliveryAttemptPage = z.object({ data: z.array(DeliveryAttemptView), nextCursor: z.string().nullable() });
