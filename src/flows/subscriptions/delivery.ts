import { performance } from 'node:perf_hooks';
import type { Clock } from '../../model/index.js';
import { handlerFor, type HandlerRegistration, type RetryPolicy } from '../../messaging/index.js';
import { getSubscription, insertDeliveryAttempt, subscriptionStatus, type Store } from '../../store/index.js';
import { changeSubscriptionStatus } from './manage.js';
import { subscriptionDelivery } from './messages.js';
import { postEvent } from './post.js';
import { signatureHeader } from './signature.js';

/** What the delivery handler needs, and how patient it is. */
export interface DeliveryOptions {
  store: Store;
  clock: Clock;
  /** How long to wait for a subscriber's answer (default 10 s). */
  timeoutMs?: number;
  /** Overrides the retry policy of deliveries (default: the dispatcher's, 15 attempts over ~half an hour). */
  retry?: Partial<RetryPolicy>;
  /** The longest Retry-After honoured (default 1 h). */
  maxRetryAfterMs?: number;
}

/** The audit actor when a delivery disables a subscription (its receiver answered 410 Gone). */
export const deliveryActor = { name: 'tillbridge webhook delivery' };

/**
 * Delivers `subscription.delivery` messages: POSTs the event as CloudEvents structured JSON signed
 * per Standard Webhooks, records the attempt in the delivery log, and settles by the answer: 2xx
 * done; 408, 429, 5xx and network errors retry with backoff; 410 disables the subscription and
 * dead-letters; other answers dead-letter with the reason. Inactive subscriptions get nothing.
 */
export function createDeliveryHandler(options: DeliveryOptions): HandlerRegistration {
  const { store, clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 3_600_000;
  const definition = options.retry ? { ...subscriptionDelivery, retry: { ...subscriptionDelivery.retry, ...options.retry } } : subscriptionDelivery;

  return handlerFor(definition, async (ctx) => {
    const { subscriptionId, event } = ctx.message.data;
    const subscription = await getSubscription(store.db, subscriptionId);
    if (!subscription || subscription.status !== subscriptionStatus.active) return;

    const now = clock.now();
    const timestamp = Math.floor(now / 1000);
    const body = JSON.stringify(event);
    const secrets = [subscription.secret];
    if (subscription.previous_secret && (subscription.previous_secret_until ?? 0) > now) secrets.push(subscription.previous_secret);
    const started = performance.now();
    const outcome = await postEvent({
      url: subscription.url,
      body,
      headers: {
        'content-type': 'application/cloudevents+json',
        'user-agent': 'Tillbridge-Webhooks/1',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, event.id, timestamp, body),
      },
      signal: ctx.signal,
      timeoutMs,
      nowMs: now,
      maxRetryAfterMs,
    });
    await insertDeliveryAttempt(store.db, {
      subscription_id: subscriptionId,
      message_id: ctx.message.id,
      event_id: event.id,
      event_type: event.type,
      attempt: ctx.attempt,
      at: now,
      status_code: outcome.statusCode,
      duration_ms: Math.round(performance.now() - started),
      error: outcome.error ? `${outcome.error.code}: ${outcome.error.message}`.slice(0, 1000) : null,
    });
    if (outcome.gone) {
      await changeSubscriptionStatus(store.db, {
        id: subscriptionId,
        status: subscriptionStatus.disabled,
        reason: `the receiver answered 410 Gone to event ${event.id}`,
        now: clock.now(),
        actor: deliveryActor,
        action: 'subscription.disable',
        onlyFrom: subscriptionStatus.active,
      });
    }
    if (outcome.error) throw outcome.error;
  });
}
