export { insertReconciliationRun, getReconciliationRun, findActiveReconciliationRun, updateReconciliationRun, listReconciliationRuns, type ReconciliationRunRow } from './runs.js';
export { insertDrift, getDrift, listRunDrift, listDriftByStatus, settleDrift, listEarlierOpenDrift, findOpenDrift, type DriftRow } from './drift.js';
export { listOrderFacts, type OrderFactRow } from './order-facts.js';
export { ordersByPaymentReference, documentReferencesOfOrders } from './payment-facts.js';
