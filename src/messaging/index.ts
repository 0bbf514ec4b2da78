export { Envelope, Lane, type Delivery, type OutgoingMessage } from './envelope.js';
export { defineMessageType, type MessageType } from './message-types.js';
export {
  backoffDelay,
  decideRetry,
  defaultRetryPolicy,
  describeError,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';
export { createMessage, toMessageRow, writeToOutbox, type MessageOrigin } from './outbox.js';
export { inOutboxTransaction } from './transaction.js';
export { envelopeFromRow } from './received.js';
export { handlerFor, type HandlerContext, type HandlerRegistration, type HandlerTransaction } from './handler.js';
export {
  createDispatcher,
  defaultLanes,
  type Dispatcher,
  type DispatcherObserver,
  type DispatcherOptions,
  type DeliveryStart,
  type DeliveryWrapper,
  type LaneSettings,
  type Outcome,
  type SettledDelivery,
} from './dispatcher.js';
export { LeaseLost } from './completions.js';
export {
  deadLetterPage,
  messageDetail,
  presentDeadLetter,
  replayMatching,
  replayOne,
  type DeadLetterView,
} from './dead-letters.js';
export { flowNames, flowOfMessageType, type FlowName } from './flow-of-type.js';
export { activeTraceparent, contextOfTraceparent, traceparentOfSpan } from './trace-context.js';
export { createThroughputRecorder, type ThroughputRecorder } from './throughput.js';
