export { inboundReceived } from './messages.js';
export { createInboundRecorder, type InboundPayload, type InboundRecorder } from './record.js';
export { createWebhookReceiver, type WebhookReceiver, type WebhookOutcome } from './receive.js';
export { interpretInbound, type InboundDeps } from './interpret-handler.js';
