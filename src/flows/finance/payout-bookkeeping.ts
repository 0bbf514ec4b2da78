import type { Payout } from '../../model/index.js';
import { handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import type { Store } from '../../store/index.js';
import type { Ledger } from '../ledger/index.js';
import type { PostingConfig } from './config.js';
import { draftOf } from './draft.js';
import { payoutPosting } from './messages.js';
import { postPayout } from './payout.js';

/** Where a provider connection's payouts are read with their settlement lines (fees included). */
export interface PayoutLinesSource {
  fetch(reference: string, signal: AbortSignal): Promise<Payout>;
}

/** The payout lines source of a connection, when it has one. */
export type PayoutLinesSources = (connectionId: string) => PayoutLinesSource | undefined;

/**
 * Books a paid payout whose webhook carried no lines (Stripe's): its settlement lines are read from
 * the provider, and the payout is booked with their fees — bank and fees against the gross in payment
 * clearing — once per payout. Without a source the payout is booked as it came (bank against clearing).
 */
export function payoutBookkeeping(deps: { store: Store; config?: PostingConfig | undefined; ledger?: Pick<Ledger, 'record' | 'byKey'> | undefined; sources: PayoutLinesSources }): HandlerRegistration {
  return handlerFor(payoutPosting, async (ctx) => {
    const { config, ledger } = deps;
    if (!config || !ledger) return;
    const { connectionId, payout, causationId, sourceEvents } = ctx.message.data;
    if (await ledger.byKey(deps.store.db, `payout:${payout.provider}:${payout.reference}`)) return;
    const source = deps.sources(connectionId);
    const lines = source ? (await source.fetch(payout.reference, ctx.signal)).lines : payout.lines;
    const entry = postPayout({ payout: { ...payout, lines }, feesFromLines: true }, { correlationId: ctx.message.correlationid, causationId, sourceEvents }, config);
    await ctx.commit(async (tx) => {
      if (entry) await ledger.record(tx, draftOf(entry));
    });
  });
}
