import type { HandlerRegistration } from '../../messaging/index.js';
import { publishedEvents } from '../published-events.js';
import { createDeliveryHandler, type DeliveryOptions } from './delivery.js';
import { withEventFanOut } from './fan-out.js';

/**
 * The handlers with event subscriptions added: every published event fans out to the matching
 * subscriptions (composed with the event's own handler, if any), and deliveries are POSTed.
 */
export function withSubscriptions(handlers: HandlerRegistration[], options: DeliveryOptions): HandlerRegistration[] {
  return [...withEventFanOut(handlers, publishedEvents), createDeliveryHandler(options)];
}
