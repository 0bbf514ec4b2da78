import { permanentError, validatePayout, type Clock, type IdGenerator, type Payout, type SettlementLine, type Violation } from '../../model/index.js';
import { handlerFor, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import type { ParsedInboundEvent } from '../../connectors/framework/index.js';
import {
  getPayout,
  listSettlementLines,
  listUnmatchedSettlementLines,
  replaceSettlementLines,
  saveSettlementMatches,
  setPayoutLinesState,
  upsertPayout,
  type Db,
  type PayoutRow,
  type Store,
} from '../../store/index.js';
import type { InboundSink } from '../inbound/index.js';
import type { Ledger } from '../ledger/index.js';
import { payoutPosting } from '../finance/index.js';
import { gatherSettlementFacts } from './facts.js';
import { lineOf, lineRows } from './line-rows.js';
import { matchSettlementLines, type LineMatch } from './match.js';
import { explainPayout, listPayoutViews, listUnmatchedViews, type PayoutExplanation, type PayoutView, type UnmatchedView } from './views.js';
import { settlementFetch, settlementMatch, settlementOrderingKey } from './messages.js';
import type { FetchedPayout, SettlementSources } from './ports.js';

type PayoutEvent = Extract<ParsedInboundEvent, { kind: 'payout' }>;

/** What the settlement flow needs. */
export interface SettlementDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  /** The connections that can list a payout's lines. */
  sources: SettlementSources;
  /** How far (absolute minor units) a settled amount may differ from the hub's and still match; default 0. */
  tolerance?: number | undefined;
  /** The journal, for the entries a payout's orders produced. */
  ledger?: Pick<Ledger, 'list'> | undefined;
}

/** Payouts kept with their settlement lines and matched to the hub's orders, captures, refunds and fees. */
export interface Settlement {
  /** Stores payouts as they arrive (queueing a fetch of their lines when the event has none) and re-tries unmatched lines when payments arrive. */
  sink: InboundSink;
  handlers: HandlerRegistration[];
  /** Newest payouts first, optionally of one status, a page at a time before a position. */
  list(filter: { status?: string | undefined; before?: { createdAt: number; id: string } | undefined; limit: number }): Promise<(PayoutView & { position: { createdAt: number; id: string } })[]>;
  /** A payout (by hub id or provider reference) down to its lines, their orders, refunds, fees and journal entries; undefined when unknown. */
  explain(id: string): Promise<PayoutExplanation | undefined>;
  /** The lines waiting for a match, oldest first, with their reasons. */
  unmatched(filter: { connectionId?: string | undefined; after?: { firstSeenAt: number; payoutId: string; lineId: string } | undefined; limit: number }): Promise<(UnmatchedView & { position: { firstSeenAt: number; payoutId: string; lineId: string } })[]>;
  /** Records a payout read back from its provider (e.g. one whose webhook was missed) with all its lines, matches them, and asks for its booking. */
  recordFetched(tx: HandlerTransaction, connectionId: string, fetched: FetchedPayout, trace: { correlationId: string; causationId: string }): Promise<{ payoutId: string; created: boolean }>;
}

/** Trace of the event behind a payout, carried to its journal entry. */
interface PayoutTrace {
  causationId: string;
  sourceEvents: string[];
}

/** Unmatched lines re-tried per message. */
const rematchBatch = 500;
/** How long after a payment event its waiting lines are re-tried. */
const rematchDelayMs = 2000;

/** The settlement flow over a store and the configured settlement sources. */
export function createSettlement(deps: SettlementDeps): Settlement {
  const tolerance = deps.tolerance ?? 0;

  /** Matches lines of a payout and saves the outcome (only of `only` lines, when given). */
  async function matchPayout(db: Db, payout: PayoutRow, now: number, only?: ReadonlySet<string>): Promise<LineMatch[]> {
    const stored = (await listSettlementLines(db, payout.id)).map(lineOf);
    const { lines, facts } = await gatherSettlementFacts(db, stored);
    const matches = matchSettlementLines(lines, facts, { tolerance, payout: { reference: payout.reference, amount: Number(payout.amount), currency: payout.currency } });
    const chosen = only ? matches.filter((m) => only.has(m.lineId)) : matches;
    await saveSettlementMatches(
      db,
      chosen.map((m) => ({
        payout_id: payout.id,
        line_id: m.lineId,
        connection_id: payout.connection_id,
        status: m.status,
        reason: m.reason,
        order_id: m.orderId,
        target_kind: m.target?.kind ?? null,
        target_reference: m.target?.reference ?? null,
        expected: m.expected,
        actual: m.actual,
        tolerance: m.tolerance,
        updated_at: now,
      })),
      now,
    );
    return chosen;
  }

  const queueRematch = (tx: HandlerTransaction, connectionId: string, availableAt?: number) =>
    tx.emit(settlementMatch, { connectionId }, { subject: connectionId, orderingKey: settlementOrderingKey(connectionId), ...(availableAt !== undefined ? { availableAt } : {}) });

  async function storeLines(tx: HandlerTransaction, payout: PayoutRow, lines: readonly SettlementLine[], violations: Violation[], state: string, related?: Record<string, string[]>): Promise<void> {
    await replaceSettlementLines(tx.db, payout.id, lineRows(payout.id, lines, related));
    await setPayoutLinesState(tx.db, payout.id, { lines_state: state, violations: violations.length > 0 ? JSON.stringify(violations) : null, updated_at: tx.now });
    await matchPayout(tx.db, payout, tx.now);
  }

  /**
   * Stores a payout's fetched lines and, when the payout is paid or in transit, asks finance to book it
   * from them: the lines are read from the provider once, here, and the booking uses the stored ones.
   */
  async function storeFetched(tx: HandlerTransaction, payout: PayoutRow, fetched: FetchedPayout, trace: PayoutTrace): Promise<void> {
    const violations = fetched.violations.length > 0 ? fetched.violations : validatePayout(fetched.payout);
    await storeLines(tx, payout, fetched.payout.lines, violations, 'fetched', fetched.related);
    queueRematch(tx, payout.connection_id);
    const current = (await getPayout(tx.db, payout.id)) ?? payout;
    if (current.status !== 'paid' && current.status !== 'in_transit') return;
    tx.emit(
      payoutPosting,
      { connectionId: current.connection_id, payout: payoutOfRow(current), causationId: trace.causationId, sourceEvents: trace.sourceEvents },
      { subject: current.reference },
    );
  }

  const fetch = handlerFor(settlementFetch, async (ctx) => {
    const payout = await getPayout(deps.store.db, ctx.message.data.payoutId);
    if (!payout) throw permanentError('unknown_payout', `payout ${ctx.message.data.payoutId} does not exist`);
    const source = deps.sources(payout.connection_id);
    if (!source) {
      const violations: Violation[] = [{ pointer: '/lines', detail: `connection ${payout.connection_id} cannot list a payout's settlement lines` }];
      await ctx.commit((tx) => setPayoutLinesState(tx.db, payout.id, { lines_state: 'unavailable', violations: JSON.stringify(violations), updated_at: tx.now }));
      return;
    }
    const fetched = await source.fetch(payout.reference, ctx.signal);
    const { causationId, sourceEvents } = ctx.message.data;
    // An inconsistent payout is kept with what is wrong with it, never dropped.
    await ctx.commit((tx) => storeFetched(tx, payout, fetched, { causationId: causationId ?? ctx.message.id, sourceEvents: sourceEvents ?? [] }));
  });

  const rematch = handlerFor(settlementMatch, async (ctx) => {
    const { connectionId, payoutId } = ctx.message.data;
    await ctx.commit(async (tx) => {
      if (payoutId) {
        const payout = await getPayout(tx.db, payoutId);
        if (payout) await matchPayout(tx.db, payout, tx.now);
        return;
      }
      const waiting = await listUnmatchedSettlementLines(tx.db, { connectionId, limit: rematchBatch });
      const byPayout = new Map<string, Set<string>>();
      for (const row of waiting) byPayout.set(row.payout_id, (byPayout.get(row.payout_id) ?? new Set()).add(row.line_id));
      for (const [id, lines] of byPayout) {
        const payout = await getPayout(tx.db, id);
        if (payout) await matchPayout(tx.db, payout, tx.now, lines);
      }
    });
  });

  const sink: InboundSink = {
    kinds: ['payout', 'payment'],
    async apply(tx, event, source) {
      if (event.kind === 'payment') {
        // A capture, refund or dispute that arrives after its settlement may explain a waiting line.
        // Delayed a little: the hub's own capture is committed just after the provider reports it.
        const [waiting] = await listUnmatchedSettlementLines(tx.db, { connectionId: source.connection.id, limit: 1 });
        if (waiting) queueRematch(tx, source.connection.id, tx.now + rematchDelayMs);
        return;
      }
      const { payout } = event as PayoutEvent;
      const row = payoutRow(deps.newId('po'), source.connection.id, payout, source.correlationId, tx.now);
      const { payout: stored, created } = await upsertPayout(tx.db, row);
      if (payout.lines.length > 0) {
        await storeLines(tx, stored, payout.lines, validatePayout(payout), 'reported');
      } else if (created || stored.lines_state === 'missing') {
        const trace = { causationId: source.inboxId, sourceEvents: [`${source.connection.id}:${source.inboxId}`] };
        tx.emit(settlementFetch, { payoutId: stored.id, ...trace }, { subject: payout.reference, orderingKey: settlementOrderingKey(source.connection.id) });
      }
      if (created) queueRematch(tx, source.connection.id);
    },
  };

  return {
    sink,
    handlers: [fetch, rematch],
    list: (filter) => listPayoutViews(deps.store.db, filter),
    explain: (id) => explainPayout(deps.store.db, deps.ledger, id),
    unmatched: (filter) => listUnmatchedViews(deps.store.db, filter),
    async recordFetched(tx, connectionId, fetched, trace) {
      const row = { ...payoutRow(deps.newId('po'), connectionId, fetched.payout, trace.correlationId, tx.now), lines_state: 'missing' };
      const { payout: stored, created } = await upsertPayout(tx.db, row);
      await storeFetched(tx, stored, fetched, { causationId: trace.causationId, sourceEvents: [] });
      return { payoutId: stored.id, created };
    },
  };
}

/** A stored payout as finance books it (its lines are read from the store). */
function payoutOfRow(row: PayoutRow): Payout {
  return {
    id: row.reference,
    provider: row.provider,
    reference: row.reference,
    currency: row.currency,
    amount: Number(row.amount),
    status: row.status as Payout['status'],
    ...(row.arrival_date !== null ? { arrivalDate: row.arrival_date } : {}),
    lines: [],
  };
}

function payoutRow(id: string, connectionId: string, payout: Payout, correlationId: string, now: number): PayoutRow {
  return {
    id,
    provider: payout.provider,
    connection_id: connectionId,
    reference: payout.reference,
    currency: payout.currency,
    amount: payout.amount,
    status: payout.status,
    arrival_date: payout.arrivalDate ?? null,
    lines_state: payout.lines.length > 0 ? 'reported' : 'missing',
    violations: null,
    correlation_id: correlationId,
    created_at: now,
    updated_at: now,
  };
}
