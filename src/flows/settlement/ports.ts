import type { Payout, Violation } from '../../model/index.js';

/** A payout as a provider reports it in full: its lines, what keeps it from reconciling, and the other ids of each line's source. */
export interface FetchedPayout {
  payout: Payout;
  violations: Violation[];
  /** By line id: other provider ids of the line's source (a charge's PaymentIntent, a refund's charge…). */
  related?: Record<string, string[]> | undefined;
}

/** A payment provider that can list a payout's settlement lines (Stripe balance transactions, Shopify Payments transactions…). */
export interface SettlementSource {
  connectionId: string;
  /** Fetches the payout with every line (all pages). */
  fetch(reference: string, signal?: AbortSignal): Promise<FetchedPayout>;
}

/** The settlement source of a connection, when it has one. */
export type SettlementSources = (connectionId: string) => SettlementSource | undefined;
