import type { Envelope, HandlerContext, HandlerRegistration, HandlerTransaction, MessageType } from '../../messaging/index.js';
import { handlerFor } from '../../messaging/index.js';
import { listActiveSubscriptionEvents } from '../../store/index.js';
import { subscriptionDelivery, type PublicCloudEvent } from './messages.js';

/** The event as subscribers see it: the CloudEvents attributes plus correlationid, no internal extensions. */
export function publicCloudEvent(event: Envelope): PublicCloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    ...(event.subject !== undefined ? { subject: event.subject } : {}),
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
    correlationid: event.correlationid,
  };
}

/** True when a subscription's event list (`*` for all) covers an event type. */
export function subscribesTo(events: readonly string[], type: string): boolean {
  return events.includes('*') || events.includes(type);
}

/**
 * Queues one `subscription.delivery` per active subscription to the event, in the transaction
 * that completes the event; ordered per subscription and subject.
 */
export async function emitDeliveries(tx: HandlerTransaction, event: Envelope): Promise<void> {
  const subscriptions = await listActiveSubscriptionEvents(tx.db);
  for (const subscription of subscriptions) {
    if (!subscribesTo(JSON.parse(subscription.events) as string[], event.type)) continue;
    tx.emit(
      subscriptionDelivery,
      { subscriptionId: subscription.id, event: publicCloudEvent(event) },
      event.subject !== undefined ? { subject: event.subject, orderingKey: `${subscription.id}:${event.subject}` } : {},
    );
  }
}

/** Wraps a handler so that its completion also fans its event out to the subscriptions, in one transaction. */
function withFanOut(inner: HandlerRegistration): HandlerRegistration {
  return {
    definition: inner.definition,
    async handle(ctx: HandlerContext<unknown>) {
      let committed = false;
      await inner.handle({
        message: ctx.message,
        attempt: ctx.attempt,
        signal: ctx.signal,
        async commit(work) {
          committed = true;
          await ctx.commit(async (tx) => {
            if (work) await work(tx);
            await emitDeliveries(tx, ctx.message);
          });
        },
      });
      if (!committed) await ctx.commit((tx) => emitDeliveries(tx, ctx.message));
    },
  };
}

/**
 * Makes every published event fan out to subscriptions. The dispatcher runs one handler per type,
 * so an event that already has a handler gets it wrapped (its work and the fan-out commit
 * together); an event without one gets a handler that only fans out.
 */
export function withEventFanOut(handlers: HandlerRegistration[], published: readonly MessageType[]): HandlerRegistration[] {
  const publishedTypes = new Set(published.map((p) => p.type));
  const handled = new Set(handlers.map((h) => h.definition.type));
  return [
    ...handlers.map((h) => (publishedTypes.has(h.definition.type) ? withFanOut(h) : h)),
    ...published
      .filter((p) => !handled.has(p.type))
      .map((p) => handlerFor(p, async (ctx) => ctx.commit((tx) => emitDeliveries(tx, ctx.message)))),
  ];
}
