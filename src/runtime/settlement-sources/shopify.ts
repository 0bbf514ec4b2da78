import { validatePayout } from '../../model/index.js';
import { shopifyPayoutToCanonical, type ShopifyClient } from '../../connectors/shopify/index.js';
import type { SettlementSource } from '../../flows/index.js';

/** Shopify Payments as a SettlementSource: the payout and its balance transactions (fees on lines of their own). */
export function shopifySettlementSourceOf(connectionId: string, client: ShopifyClient): SettlementSource {
  return {
    connectionId,
    async fetch(reference, signal) {
      const raw = await client.payout(reference, signal);
      const transactions = await client.payoutTransactions(reference, signal);
      const payout = shopifyPayoutToCanonical(raw, transactions);
      return { payout, violations: validatePayout(payout) };
    },
  };
}
