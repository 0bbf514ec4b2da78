import { validatePayout } from '../../model/index.js';
import { payoutToCanonical, type StripeClient } from '../../connectors/stripe/index.js';
import type { SettlementSource } from '../../flows/index.js';

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : undefined;

/**
 * Stripe as a SettlementSource: the payout and every balance transaction of it (sources expanded),
 * each line related to its source's PaymentIntent and charge so a charge, refund or dispute can be
 * traced to the capture the hub made.
 */
export function stripeSettlementSourceOf(connectionId: string, client: StripeClient): SettlementSource {
  return {
    connectionId,
    async fetch(reference, signal) {
      const stripePayout = await client.retrievePayout(reference, signal);
      const { transactions } = await client.payoutBalanceTransactions(reference, signal);
      const payout = payoutToCanonical(stripePayout, transactions);
      const related: Record<string, string[]> = {};
      for (const txn of transactions) {
        const source = txn.source && typeof txn.source === 'object' ? (txn.source as Record<string, unknown>) : undefined;
        const ids = [idOf(source?.['payment_intent']), idOf(source?.['charge'])].filter((id): id is string => id !== undefined);
        if (ids.length > 0) related[txn.id] = ids;
      }
      return { payout, violations: validatePayout(payout), related };
    },
  };
}
