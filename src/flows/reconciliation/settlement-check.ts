import { permanentError, type Clock } from '../../model/index.js';
import { getPayoutByReference, listHubCaptures, listUnmatchedSettlementLines, settledReferences, type HubCaptureRow, type Store } from '../../store/index.js';
import { settlementMatch, settlementOrderingKey, type FetchedPayout, type Settlement, type SettlementSources } from '../settlement/index.js';
import type { Drift } from './drift.js';
import type { Correction, ReconciliationCheck, StoredDrift } from './ports.js';

/** An unmatched settlement line as the queue holds it. */
export interface UnmatchedSettlementLine {
  payoutId: string;
  payoutReference: string;
  lineId: string;
  kind: string;
  reference: string;
  gross: number;
  currency: string;
  reason: string | null;
  orderId: string | null;
  expected: number | null;
  actual: number | null;
  firstSeenAt: number;
}

/** How a connection's captured-not-settled drift can be put right: a correction's name, or why there is none. */
export type SettlementCorrection = { correction: string } | { note: string };

/** Lists the provider references of a connection's payouts created since a time (a missed payout webhook shows here). */
export type RecentPayoutLister = (since: number, signal: AbortSignal) => Promise<string[]>;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The captures that no stored payout line shows although their settlement delay has passed:
 * `capture_not_settled`, a warning (the money may be late, or its payout was never seen). Pure.
 */
export function capturesNotSettled(captures: readonly HubCaptureRow[], settled: ReadonlySet<string>, options: { connectionId: string; delayMs: number; fix: SettlementCorrection }): Drift[] {
  return captures
    .filter((capture) => !settled.has(capture.reference))
    .map((capture) => ({
      kind: 'capture_not_settled',
      entity: `capture:${capture.provider}:${capture.reference}`,
      systems: ['hub', options.connectionId],
      expected: { settledBy: new Date(capture.at + options.delayMs).toISOString(), orderId: capture.orderId, amount: capture.amount, currency: capture.currency },
      actual: null,
      severity: 'warning' as const,
      correction: 'correction' in options.fix ? options.fix.correction : undefined,
      detail: {
        connectionId: options.connectionId,
        reference: capture.reference,
        orderId: capture.orderId,
        capturedAt: capture.at,
        ...('note' in options.fix ? { note: options.fix.note } : {}),
      },
    }));
}

/**
 * Settlement lines still waiting for a match: `settlement_unmatched`, with what the hub expected, what
 * the provider settled and why they differ; a difference in amount or currency is critical. Pure.
 */
export function unmatchedSettlementDrift(lines: readonly UnmatchedSettlementLine[], connectionId: string): Drift[] {
  return lines.map((line) => ({
    kind: 'settlement_unmatched',
    entity: `settlement:${line.payoutReference}:${line.lineId}`,
    systems: [connectionId, 'hub'],
    expected: line.expected === null && line.orderId === null ? null : { amount: line.expected, currency: line.currency, orderId: line.orderId },
    actual: { kind: line.kind, reference: line.reference, amount: line.actual ?? Math.abs(line.gross), currency: line.currency, reason: line.reason },
    severity: line.reason !== null && /^(amount|currency)_differs/.test(line.reason) ? ('critical' as const) : ('warning' as const),
    correction: 'rematch',
    detail: { connectionId, payoutId: line.payoutId, payoutReference: line.payoutReference, lineId: line.lineId, reason: line.reason },
  }));
}

/**
 * Captured against settled for one payment connection: the hub's captures whose settlement delay ended
 * in the window (and before now) that appear in no stored payout line, and the connection's settlement
 * lines still unmatched.
 */
export function settlementCheck(deps: { store: Store; clock: Clock; connectionId: string; providers: readonly string[]; delayMs: number; fix: SettlementCorrection; pageSize?: number | undefined }): ReconciliationCheck {
  const { store, connectionId } = deps;
  const pageSize = deps.pageSize ?? 1000;
  return {
    name: `payments:${connectionId}:settlement`,
    scope: 'payments',
    async run(window) {
      const drift: Drift[] = [];
      const dueTo = Math.min(window.to, deps.clock.now()) - deps.delayMs;
      const dueFrom = window.from - deps.delayMs;
      if (dueTo >= dueFrom) {
        const captures = await listHubCaptures(store.db, { providers: deps.providers, from: dueFrom, to: dueTo });
        const settled = await settledReferences(store.db, connectionId, captures.map((c) => c.reference));
        drift.push(...capturesNotSettled(captures, settled, { connectionId, delayMs: deps.delayMs, fix: deps.fix }));
      }
      for (let after: { firstSeenAt: number; payoutId: string; lineId: string } | undefined; ; ) {
        const page = await listUnmatchedSettlementLines(store.db, { connectionId, after, limit: pageSize });
        drift.push(
          ...unmatchedSettlementDrift(
            page.map((row) => ({
              payoutId: row.payout_id,
              payoutReference: row.payout_reference,
              lineId: row.line_id,
              kind: row.kind,
              reference: row.reference,
              gross: Number(row.gross),
              currency: row.currency,
              reason: row.reason,
              orderId: row.order_id,
              expected: row.expected === null ? null : Number(row.expected),
              actual: row.actual === null ? null : Number(row.actual),
              firstSeenAt: Number(row.first_seen_at),
            })),
            connectionId,
          ),
        );
        if (page.length < pageSize) break;
        const last = page.at(-1)!;
        after = { firstSeenAt: Number(last.first_seen_at), payoutId: last.payout_id, lineId: last.line_id };
      }
      return drift;
    },
  };
}

const field = (drift: StoredDrift, key: string): string => String(drift.detail?.[key] ?? '');

/** An unmatched settlement line: its payout is matched again (the order, capture or refund it waited for may be known now). */
export function rematchCorrection(): Correction {
  return {
    name: 'rematch',
    async commit(tx, drift) {
      const connectionId = field(drift, 'connectionId');
      const payoutId = field(drift, 'payoutId');
      tx.emit(settlementMatch, { connectionId, payoutId }, { subject: payoutId, orderingKey: settlementOrderingKey(connectionId) });
      return { summary: `queued matching of payout ${field(drift, 'payoutReference') || payoutId} again` };
    },
  };
}

/**
 * A capture in no payout: the provider's payouts since the capture are listed, those the hub lacks (or
 * holds without lines) are read with every line through the settlement source, then stored, matched and
 * booked. When the provider lists none the hub lacks, the correction fails saying so.
 */
export function fetchPayoutsCorrection(deps: { store: Store; sources: SettlementSources; recent: (connectionId: string) => RecentPayoutLister | undefined; settlement: Pick<Settlement, 'recordFetched'> }): Correction {
  return {
    name: 'fetch-payouts',
    async prepare(drift, signal): Promise<FetchedPayout[]> {
      const connectionId = field(drift, 'connectionId');
      const source = deps.sources(connectionId);
      const recent = deps.recent(connectionId);
      if (!source || !recent) throw permanentError('no_payout_listing', `connection ${connectionId} cannot list its payouts`, 422);
      const since = Number(drift.detail?.['capturedAt'] ?? 0);
      const fetched: FetchedPayout[] = [];
      for (const reference of await recent(since, signal)) {
        const known = await getPayoutByReference(deps.store.db, connectionId, reference);
        if (known && (known.lines_state === 'fetched' || known.lines_state === 'reported')) continue;
        fetched.push(await source.fetch(reference, signal));
      }
      if (fetched.length === 0) throw permanentError('no_missing_payouts', `${connectionId} lists no payout since ${day(since)} that the hub lacks: ${field(drift, 'reference')} is not paid out yet`, 422);
      return fetched;
    },
    async commit(tx, drift, prepared) {
      const connectionId = field(drift, 'connectionId');
      const payouts = prepared as FetchedPayout[];
      for (const fetched of payouts) await deps.settlement.recordFetched(tx, connectionId, fetched, { correlationId: drift.runId, causationId: drift.id });
      return { summary: `read ${payouts.length} payout(s) of ${connectionId} the hub lacked (${payouts.map((p) => p.payout.reference).join(', ')}) with their lines` };
    },
  };
}
