export { inboundReceived } from './messages.js';
export { createInboundRecorder, type InboundPayload, type InboundRecorder } from './record.js';
export { createWebhookReceiver, type WebhookReceiver, type WebhookOutcome } from './receive.js';
export { interpretInbound, type InboundDeps, type InboundSink } from './interpret-handler.js';
