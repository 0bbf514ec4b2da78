export { inboundReceived } from './messages.js';
export { recordInbound, type InboundPayload } from './record.js';
export { createWebhookReceiver, type WebhookReceiver, type WebhookOutcome } from './receive.js';
export { interpretInbound, type InboundDeps } from './interpret-handler.js';
