import { permanentError, type Payout } from '../../model/index.js';
import { bankAccount, clearingAccount, feeAccount } from './accounts.js';
import type { PostingConfig } from './config.js';
import { buildEntry, type EventTrace, type Posting, type PostingEntry } from './entry.js';

/** A payout from a provider to the bank. */
export interface PayoutEvent {
  payout: Payout;
  /** The bank account id it was paid to, to pick the bank account. */
  destination?: string;
  /** Also post the fees of its settlement lines (when they were not posted one by one as fee transactions). */
  feesFromLines?: boolean;
}

/** The payout entry: bank against payment clearing; with `feesFromLines`, the lines' fees too, so clearing is relieved of the gross. */
export function postPayout(event: PayoutEvent, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  const { payout } = event;
  const { accounts } = config;
  if (payout.status !== 'paid' && payout.status !== 'in_transit') {
    throw permanentError('payout_not_postable', `payout ${payout.reference} is ${payout.status}; only paid or in-transit payouts post`);
  }
  const date = trace.date ?? payout.arrivalDate;
  if (date === undefined) throw permanentError('payout_without_date', `payout ${payout.reference} has no arrival date and none was given`);
  const { currency } = payout;
  // A line's fee, and a fee line's own amount (Stripe reports its fees as lines of their own: gross −200, fee 0).
  const fees = event.feesFromLines
    ? payout.lines.filter((l) => l.kind !== 'payout').reduce((sum, l) => sum + (l.kind === 'fee' ? l.fee - l.gross : l.fee), 0)
    : 0;
  const postings: Posting[] = [
    { account: bankAccount(accounts, currency, event.destination), amount: payout.amount, currency },
    { account: feeAccount(accounts, payout.provider, currency), amount: fees, currency },
    { account: clearingAccount(accounts, payout.provider, currency), amount: -(payout.amount + fees), currency },
  ];
  return buildEntry(
    { key: `payout:${payout.provider}:${payout.reference}`, kind: 'payout', date, memo: `Payout ${payout.provider} ${payout.reference}` },
    postings,
    trace,
    config,
  );
}
