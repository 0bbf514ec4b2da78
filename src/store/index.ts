export { openStore, quoteIdentifier, type Store, type StoreOptions } from './database.js';
export type { Dialect } from './dialect.js';
export { migrateToLatest, isMigrated } from './migrate.js';
export { createBatcher, type Batcher } from './batcher.js';
export type { Schema } from './schema.js';
export { messageStatus, type Db, type MessageRow, type NewMessageRow } from './messages/types.js';
export { insertMessages } from './messages/enqueue.js';
export { leaseMessages, type LeaseRequest } from './messages/lease.js';
export {
  completeMessage,
  completeMessages,
  scheduleRetry,
  deadLetter,
  extendLease,
  releaseLeases,
  type AttemptError,
} from './messages/settle.js';
export { reclaimExpiredLeases } from './messages/reap.js';
export {
  listDeadLetters,
  deadLetterIds,
  getMessageWithHistory,
  replayDeadLetters,
  type DeadLetterFilter,
  type AttemptRow,
  type ReplayRow,
  type AuditContext,
} from './messages/dead-letters.js';
export { messageBacklog, countMessagesByStatus } from './messages/stats.js';
export { searchMessages, correlationIdsForQuery, getMessageRow, listCausedMessages, findOrderByCorrelationId, type MessageSearch, type MessageSearchPage } from './messages/search.js';
export { editDeadLetterPayload, listMessageEdits, type EditRow } from './messages/edit-payload.js';
export {
  addMessageStats,
  messageStatsHistogram,
  purgeMessageStats,
  latencyClassOf,
  type MessageStatsRow,
  countOrdersOnHold,
  latencyClassBoundsMs,
  type BucketRange,
  type SettledCount,
  type RetriedCount,
} from './messages/overview.js';
export { receiveIntoInbox, getInboxEntry, setInboxStatus, type InboxEntry } from './inbox.js';
export {
  insertOrders,
  findOrdersByExternalIds,
  getOrderRow,
  listOrderRows,
  setOrderStatus,
  type OrderRow,
  type NewOrderRow,
  type OrderListFilter,
} from './orders/orders.js';
export { appendTimeline, getTimeline, type TimelineRow, type NewTimelineRow } from './orders/timeline.js';
export { findIdempotencyRecords, insertIdempotencyRecords, type IdempotencyRecord } from './orders/idempotency.js';
export { insertRejectedPayload } from './rejected.js';
export {
  testStores,
  openTestSqlite,
  openTestPostgres,
  testDatabaseUrl,
  createScratchDatabase,
  postgresProblem,
  type TestStoreFactory,
} from './testing.js';
export { purgeExpired, type PurgeResult } from './housekeeping.js';
export {
  insertApiKey,
  findActiveApiKeyByHash,
  getApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyRow,
} from './access/api-keys.js';
export { appendAudit, auditEntry, listAudit, type AuditActor, type AuditFilter, type AuditRow, type NewAuditRow } from './access/audit.js';
export {
  insertOAuthClient,
  getOAuthClient,
  findActiveOAuthClient,
  listOAuthClients,
  deleteOAuthClient,
  type OAuthClientRow,
} from './access/oauth-clients.js';
export {
  insertSigningKey,
  listActiveSigningKeys,
  listPublishedSigningKeys,
  retireSigningKeys,
  type SigningKeyRow,
} from './access/signing-keys.js';
export {
  insertSubscription,
  getSubscription,
  listSubscriptions,
  listActiveSubscriptionEvents,
  setSubscriptionStatus,
  replaceSubscriptionSecret,
  subscriptionStatus,
  type SubscriptionRow,
} from './subscriptions/subscriptions.js';
export {
  insertDeliveryAttempt,
  listDeliveryAttempts,
  type DeliveryAttemptRow,
  type NewDeliveryAttemptRow,
} from './subscriptions/deliveries.js';
export { reserveRateTokens, getRateBucket, type RateTokenRequest, type RateBucketRow } from './access/rate-buckets.js';
export { getConnectorState, setConnectorState } from './connectors/state.js';
export { insertChannelEvents, listChannelEvents, type ChannelEventRow, type ChannelEventFilter } from './connectors/channel-events.js';
export {
  insertWorkflowRun,
  getWorkflowRun,
  findWorkflowRunByKey,
  listOrderWorkflowRuns,
  updateWorkflowRun,
  listOverdueRuns,
  countOverdueRuns,
  type WorkflowRunRow,
  type NewWorkflowRunRow,
} from './workflows/runs.js';
export { recordWorkflowStep, getWorkflowStep, listWorkflowSteps, type WorkflowStepRow, type NewWorkflowStepRow } from './workflows/steps.js';
export { setReservations, listReservations, releaseReservations, consumeReservations, type StockReservationRow } from './workflows/reservations.js';
export { initLineQuantities, listLineQuantities, addLineQuantities, listOrdersHeldForSku, type LineQuantitiesRow } from './orders/line-quantities.js';
export * from './inventory/index.js';
export * from './catalog/index.js';
export * from './jobs/index.js';
export * from './ledger/index.js';
export * from './reconciliation/index.js';
export * from './settlement/index.js';
export * from './slas/index.js';
export * from './alerts/index.js';
export { deleteConsoleSession, findConsoleSession, insertConsoleSession, purgeExpiredConsoleSessions, touchConsoleSession, type ConsoleSessionRow } from './console/sessions.js';
export { consoleCounts } from './console/counts.js';
