export { capabilities, type Capability } from './capabilities.js';
export {
  defineConnector,
  type CheckResult,
  type ConnectionInstance,
  type ConnectorContext,
  type ConnectorDefinition,
  type InboundHeaders,
  type InboundIdentity,
  type Interpreter,
  type Poller,
  type PollResult,
  type VerifyResult,
  type WebhookEndpoint,
} from './connector.js';
export { timedCheck, errorText } from './check.js';
export { connectorRegistry, createConnections, type Connection, type Connections, type DeclaredConnection } from './connections.js';
export { connectionApi, type ConnectionApi } from './api-version.js';
export { InboundEvent, type ParsedInboundEvent } from './events.js';
export { resolveSecrets, processSecretSources, type SecretSources } from './secrets.js';
export { hmacSha256, signaturesEqual } from './signatures.js';
export { createCircuitBreaker, type CircuitBreaker, type CircuitSnapshot, type CircuitState } from './outbound/circuit-breaker.js';
export {
  abortableSleep,
  createRateGovernor,
  parseRetryAfter,
  type RateFeedback,
  type RateGovernor,
  type RateGovernorState,
  type RateRule,
} from './outbound/rate-governor.js';
export {
  createHttpClient,
  unexpectedResponse,
  type HttpClient,
  type HttpClientOptions,
  type OutboundHealth,
  type OutboundRequest,
  type OutboundResponse,
  type VendorRules,
} from './outbound/http-client.js';
export { onOutboundCall, type OutboundCallEvent, type OutboundOutcome } from './outbound/call-telemetry.js';
export { Faults, FaultsUpdate, FaultInjector, type FaultDecision } from './emulator/faults.js';
export { startEmulator, type EmulatedError, type EmulatorOptions, type RunningEmulator } from './emulator/server.js';
export { createWebhookSender, type DeliveryOptions, type DeliveryRecord, type OutgoingWebhook, type WebhookSender } from './emulator/webhook-sender.js';
