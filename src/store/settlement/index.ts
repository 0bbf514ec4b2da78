export {
  upsertPayout,
  getPayout,
  getPayoutByReference,
  findPayoutsByReference,
  setPayoutLinesState,
  listPayouts,
  replaceSettlementLines,
  listSettlementLines,
  getSettlementLines,
  saveSettlementMatches,
  listSettlementMatches,
  countSettlementMatches,
  listUnmatchedSettlementLines,
  type PayoutRow,
  type SettlementLineRow,
  type SettlementMatchRow,
  type NewSettlementMatchRow,
} from './payouts.js';
export { findOrdersByReferences, findSettlementOrders, findPaymentSteps, findOrderPaymentSteps, findPaymentEvents, findJournalEntriesByKey, type SettlementOrderRow, type PaymentStepRow } from './facts.js';
export { listHubCaptures, settledReferences, type HubCaptureRow } from './captures.js';
