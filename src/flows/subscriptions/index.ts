export { subscriptionDelivery, PublicCloudEvent } from './messages.js';
export { newSigningSecret, signingKey, signWebhook, signatureHeader, verifyWebhook } from './signature.js';
export { publicCloudEvent, subscribesTo, emitDeliveries, withEventFanOut } from './fan-out.js';
export { parseRetryAfter, postEvent, type PostOutcome } from './post.js';
export { createDeliveryHandler, deliveryActor, type DeliveryOptions } from './delivery.js';
export { withSubscriptions } from './handlers.js';
export { startTestReceiver, type TestReceiver, type ReceivedWebhook, type ReceiverAnswer } from './test-receiver.js';
export {
  createSubscriptions,
  changeSubscriptionStatus,
  presentSubscription,
  presentDeliveryAttempt,
  previousSecretGraceMs,
  type Subscriptions,
  type SubscriptionActor,
} from './manage.js';
export {
  NewSubscription,
  SubscriptionView,
  SubscriptionWithSecret,
  SubscriptionList,
  DeliveryAttemptView,
  DeliveryAttemptPage,
} from './schemas.js';
