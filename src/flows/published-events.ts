import type { MessageType } from '../messaging/index.js';
import { orderAccepted } from './order-to-cash/index.js';
import { alertRaised, alertResolved } from './alerts/index.js';

/**
 * The events Tillbridge publishes to other systems (event subscriptions, AsyncAPI). Each later
 * flow adds its public events here; internal message types stay out.
 */
export const publishedEvents: MessageType[] = [orderAccepted, alertRaised, alertResolved];
