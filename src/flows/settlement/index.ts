export { createSettlement, type Settlement, type SettlementDeps } from './settlement.js';
export { matchSettlementLines, settlementTotalsOf, type LineToMatch, type LineMatch, type MatchOptions, type MatchTargetKind, type OrderFact, type CaptureFact, type RefundFact, type SettlementFacts } from './match.js';
export { settlementFetch, settlementMatch, settlementOrderingKey } from './messages.js';
export type { FetchedPayout, SettlementSource, SettlementSources } from './ports.js';
export type { PayoutView, PayoutExplanation, ExplainedLine, UnmatchedView } from './views.js';
export { SettlementConfig } from './config.js';
export { settlementLineOf } from './line-rows.js';
