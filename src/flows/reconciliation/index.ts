export { ReconciliationScope, DriftSeverity, type Drift } from './drift.js';
export type { ReconciliationCheck, ReconciliationWindow, Correction, CorrectionOutcome, StoredDrift } from './ports.js';
export { reconciliationRun, reconciliationCorrect } from './messages.js';
export { createReconciliation, type Reconciliation, type ReconciliationDeps, type ResolveRequest, type RunWithDrift } from './reconciliation.js';
export { runView, driftView, type RunView, type DriftView, type CheckSummary } from './view.js';
export { compareOrdersWithErp, erpOrdersCheck, channelOrdersCheck, type ErpOrderRecord, type ErpOrderSide, type ChannelOrderRecord, type ChannelOrderSide } from './orders-check.js';
export { importOrderCorrection, resyncOrderCorrection, cancelInErpCorrection, rebookOrderCorrection } from './order-corrections.js';
export { ReconciliationConfig } from './config.js';
export { providerRefundsCheck, recordRefundCorrection, type ProviderRefund, type ProviderRefundSide } from './payments-check.js';
