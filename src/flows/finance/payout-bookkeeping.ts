import { transientError, type Payout, type SettlementLine } from '../../model/index.js';
import { handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import { getOrderRow, getPayoutByReference, listSettlementLines, listSettlementMatches, type Store } from '../../store/index.js';
import type { Ledger } from '../ledger/index.js';
import { settlementLineOf } from '../settlement/index.js';
import type { PostingConfig } from './config.js';
import { draftOf } from './draft.js';
import type { EventTrace, PostingEntry } from './entry.js';
import { postFxDifference } from './fx.js';
import { fxSettlementEvents } from './fx-settlement.js';
import { payoutPosting } from './messages.js';
import { postPayout } from './payout.js';

/** Whether the settlement flow fetches and stores a connection's payout lines: its payouts are then booked from the stored lines. */
export type FetchesPayoutLines = (connectionId: string) => boolean;

/**
 * The lines to book a payout with: those the settlement flow stored for it (fetched once from the
 * provider), the message's own when the hub keeps no settlement of the payout or its provider cannot
 * list them, or undefined while the fetch is still to come (the settlement flow asks again then).
 */
async function linesOf(store: Store, connectionId: string, payout: Payout): Promise<SettlementLine[] | undefined> {
  const stored = await getPayoutByReference(store.db, connectionId, payout.reference);
  if (!stored || stored.lines_state === 'unavailable') return payout.lines;
  if (stored.lines_state === 'missing') return undefined;
  return (await listSettlementLines(store.db, stored.id)).map(settlementLineOf);
}

/**
 * The FX entries of a payout's lines that the provider settled in another currency than their
 * order's: the order currency's clearing exchanged for the settlement currency's at the provider's
 * rate (its rounding to the FX account), so the payout relieves clearing in its own currency. The
 * order is the one matching linked the line to.
 */
async function fxEntries(store: Store, connectionId: string, payout: Payout, lines: readonly SettlementLine[], trace: EventTrace & { at: string }, config: PostingConfig): Promise<PostingEntry[]> {
  const converted = lines.filter((l) => l.original !== undefined && l.original.currency !== l.currency);
  if (converted.length === 0) return [];
  const stored = await getPayoutByReference(store.db, connectionId, payout.reference);
  const orderOfLine = new Map((stored ? await listSettlementMatches(store.db, stored.id) : []).map((m) => [m.line_id, m.order_id]));
  const occurredAt = payout.arrivalDate ? `${payout.arrivalDate}T00:00:00Z` : trace.at;
  const entries: PostingEntry[] = [];
  for (const line of converted) {
    const orderId = orderOfLine.get(line.id);
    const order = orderId ? await getOrderRow(store.db, orderId) : undefined;
    if (!order) continue;
    for (const event of fxSettlementEvents(line, { id: order.id, currency: order.currency }, { provider: payout.provider, occurredAt })) {
      const fx = postFxDifference(event, { correlationId: order.correlation_id, causationId: trace.causationId, sourceEvents: trace.sourceEvents }, config);
      if (fx) entries.push(fx);
    }
  }
  return entries;
}

/**
 * Books a paid payout whose webhook carried no lines (Stripe's) with the settlement lines the
 * settlement flow stored for it — bank and fees against the gross in payment clearing — once per
 * payout. Asked by the payout's webhook (which waits, retrying, while the lines are being read) and
 * again by the settlement flow once its lines are stored. Without stored lines the payout is booked as it came.
 */
export function payoutBookkeeping(deps: { store: Store; config?: PostingConfig | undefined; ledger?: Pick<Ledger, 'record' | 'byKey'> | undefined }): HandlerRegistration {
  return handlerFor(payoutPosting, async (ctx) => {
    const { config, ledger } = deps;
    if (!config || !ledger) return;
    const { connectionId, payout, causationId, sourceEvents } = ctx.message.data;
    if (await ledger.byKey(deps.store.db, `payout:${payout.provider}:${payout.reference}`)) return;
    const lines = await linesOf(deps.store, connectionId, payout);
    // The settlement flow is still reading the lines: wait for them (it also asks again once they are stored).
    if (!lines) throw transientError('payout_lines_pending', `the lines of payout ${payout.reference} are still being read from ${connectionId}`, { retryAfterMs: 1000 });
    const trace = { correlationId: ctx.message.correlationid, causationId, sourceEvents };
    const entry = postPayout({ payout: { ...payout, lines }, feesFromLines: true }, trace, config);
    const exchanges = await fxEntries(deps.store, connectionId, payout, lines, { ...trace, at: ctx.message.time }, config);
    await ctx.commit(async (tx) => {
      for (const fx of exchanges) await ledger.record(tx, draftOf(fx));
      if (entry) await ledger.record(tx, draftOf(entry));
    });
  });
}
