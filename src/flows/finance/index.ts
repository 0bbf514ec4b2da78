export { PostingConfig, PostingAccounts, RevenueAccounts, TaxAccounts, ProviderAccounts, BankAccounts, type PostingConfigInput } from './config.js';
export { revenueAccount, taxAccount, refundAccount, clearingAccount, feeAccount, bankAccount } from './accounts.js';
export { buildEntry, toJournalLines, withRounding, imbalances, utcDate, type PostingEntry, type PostingKind, type EventTrace, type Posting, type EntryHead } from './entry.js';
export { postingDate, applyPostingPeriod, type PostingDate } from './period.js';
export { saleBreakdown, postSale, type SaleBreakdown, type SaleLineShare, type ShippingShare, type TaxShare, type SaleEvent } from './sale.js';
export { refundSplit, postRefund, type RefundPart, type RefundEvent } from './refund.js';
export { postCapture, postProcessorFee, postChargeback, postChargebackReversal, postPaymentTransaction } from './payments.js';
export { postPayout, type PayoutEvent } from './payout.js';
export { convertMinor, fxDifference, postFxDifference, type FxSettlementEvent } from './fx.js';
