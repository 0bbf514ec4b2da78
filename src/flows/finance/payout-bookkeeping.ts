import type { Payout, SettlementLine } from '../../model/index.js';
import { handlerFor, type HandlerRegistration } from '../../messaging/index.js';
import { getPayoutByReference, listSettlementLines, type SettlementLineRow, type Store } from '../../store/index.js';
import type { Ledger } from '../ledger/index.js';
import type { PostingConfig } from './config.js';
import { draftOf } from './draft.js';
import { payoutPosting } from './messages.js';
import { postPayout } from './payout.js';

/** Whether the settlement flow fetches and stores a connection's payout lines: its payouts are then booked from the stored lines. */
export type FetchesPayoutLines = (connectionId: string) => boolean;

const lineOfRow = (row: SettlementLineRow): SettlementLine => ({
  id: row.line_id,
  kind: row.kind as SettlementLine['kind'],
  reference: row.reference,
  ...(row.order_reference !== null ? { orderReference: row.order_reference } : {}),
  gross: Number(row.gross),
  fee: Number(row.fee),
  net: Number(row.net),
  currency: row.currency,
});

/**
 * The lines to book a payout with: those the settlement flow stored for it (fetched once from the
 * provider), the message's own when the hub keeps no settlement of the payout or its provider cannot
 * list them, or undefined while the fetch is still to come (the settlement flow asks again then).
 */
async function linesOf(store: Store, connectionId: string, payout: Payout): Promise<SettlementLine[] | undefined> {
  const stored = await getPayoutByReference(store.db, connectionId, payout.reference);
  if (!stored || stored.lines_state === 'unavailable') return payout.lines;
  if (stored.lines_state === 'missing') return undefined;
  return (await listSettlementLines(store.db, stored.id)).map(lineOfRow);
}

/**
 * Books a paid payout whose webhook carried no lines (Stripe's) with the settlement lines the
 * settlement flow stored for it — bank and fees against the gross in payment clearing — once per
 * payout. Asked by the payout's webhook and again by the settlement flow once its lines are stored;
 * until then there is nothing to book. Without stored lines the payout is booked as it came.
 */
export function payoutBookkeeping(deps: { store: Store; config?: PostingConfig | undefined; ledger?: Pick<Ledger, 'record' | 'byKey'> | undefined }): HandlerRegistration {
  return handlerFor(payoutPosting, async (ctx) => {
    const { config, ledger } = deps;
    if (!config || !ledger) return;
    const { connectionId, payout, causationId, sourceEvents } = ctx.message.data;
    if (await ledger.byKey(deps.store.db, `payout:${payout.provider}:${payout.reference}`)) return;
    const lines = await linesOf(deps.store, connectionId, payout);
    if (!lines) return;
    const entry = postPayout({ payout: { ...payout, lines }, feesFromLines: true }, { correlationId: ctx.message.correlationid, causationId, sourceEvents }, config);
    await ctx.commit(async (tx) => {
      if (entry) await ledger.record(tx, draftOf(entry));
    });
  });
}
