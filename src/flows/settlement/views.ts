import {
  countSettlementMatches,
  findJournalEntriesByKey,
  findSettlementOrders,
  getPayout,
  listPayouts,
  listSettlementLines,
  listSettlementMatches,
  listUnmatchedSettlementLines,
  findPayoutsByReference,
  type Db,
  type PayoutRow,
} from '../../store/index.js';
import { journalView, type JournalView, type Ledger } from '../ledger/index.js';
import { lineOf } from './line-rows.js';
import { settlementTotalsOf } from './match.js';

/** A payout as the API shows it. */
export interface PayoutView {
  id: string;
  provider: string;
  connection: string;
  reference: string;
  currency: string;
  amount: number;
  status: string;
  arrivalDate: string | null;
  /** missing (being fetched), fetched, reported (came with the event) or unavailable. */
  linesState: string;
  /** What keeps the payout from reconciling (kept and reported, never dropped). */
  violations: { pointer: string; detail: string }[];
  /** Lines matched and waiting. */
  matched: number;
  unmatched: number;
  createdAt: string;
}

/** One line of a payout with how it matched. */
export interface ExplainedLine {
  id: string;
  kind: string;
  reference: string;
  orderReference: string | null;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  match: { status: string; reason: string | null; target: { kind: string; reference: string } | null; expected: number | null; actual: number | null; tolerance: number; attempts: number } | null;
  order: { id: string; number: string | null; externalId: string; total: number; currency: string } | null;
}

/** A payout walked down to its lines, their orders and the journal entries behind them. */
export interface PayoutExplanation {
  payout: PayoutView;
  lines: ExplainedLine[];
  /** The orders the lines matched, each with its journal entries. */
  orders: { id: string; number: string | null; externalId: string; total: number; currency: string; journal: JournalView[] }[];
  /** The payout's own journal entry (bank against clearing), when booked. */
  payoutEntry: JournalView | null;
  /** Σ over the lines other than the payout's own; net equals amount when the payout reconciles. */
  totals: { gross: number; fees: number; net: number; amount: number; reconciles: boolean };
}

/** One waiting line of the unmatched queue. */
export interface UnmatchedView {
  payoutId: string;
  payoutReference: string;
  provider: string;
  connection: string;
  lineId: string;
  kind: string;
  reference: string;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  reason: string | null;
  orderId: string | null;
  attempts: number;
  firstSeenAt: string;
  lastTriedAt: string;
}

function payoutView(row: PayoutRow, tally: { matched: number; unmatched: number }): PayoutView {
  return {
    id: row.id,
    provider: row.provider,
    connection: row.connection_id,
    reference: row.reference,
    currency: row.currency,
    amount: Number(row.amount),
    status: row.status,
    arrivalDate: row.arrival_date,
    linesState: row.lines_state,
    violations: row.violations ? (JSON.parse(row.violations) as PayoutView['violations']) : [],
    ...tally,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

/** Newest payouts first, optionally of one status. */
export async function listPayoutViews(db: Db, filter: { status?: string | undefined; before?: { createdAt: number; id: string } | undefined; limit: number }): Promise<(PayoutView & { position: { createdAt: number; id: string } })[]> {
  const rows = await listPayouts(db, filter);
  const counts = await countSettlementMatches(db, rows.map((row) => row.id));
  return rows.map((row) => ({ ...payoutView(row, counts.get(row.id)!), position: { createdAt: Number(row.created_at), id: row.id } }));
}

/** Walks a payout (by hub id, else by provider reference) down to its lines, orders, refunds, fees and journal entries. */
export async function explainPayout(db: Db, ledger: Pick<Ledger, 'list'> | undefined, id: string): Promise<PayoutExplanation | undefined> {
  const payout = (await getPayout(db, id)) ?? (await findPayoutsByReference(db, id))[0];
  if (!payout) return undefined;
  const lines = (await listSettlementLines(db, payout.id)).map(lineOf);
  const matches = new Map((await listSettlementMatches(db, payout.id)).map((m) => [m.line_id, m]));
  const orderIds = [...new Set([...matches.values()].map((m) => m.order_id).filter((o): o is string => o !== null))];
  const orders = new Map((await findSettlementOrders(db, orderIds)).map((o) => [o.id, { id: o.id, number: o.number, externalId: o.external_id, total: Number(o.total), currency: o.currency }]));
  const explained: ExplainedLine[] = lines.map((line) => {
    const m = matches.get(line.id);
    const order = m?.order_id ? orders.get(m.order_id) : undefined;
    return {
      id: line.id,
      kind: line.kind,
      reference: line.reference,
      orderReference: line.orderReference ?? null,
      gross: line.gross,
      fee: line.fee,
      net: line.net,
      currency: line.currency,
      match: m
        ? {
            status: m.status,
            reason: m.reason,
            target: m.target_kind && m.target_reference ? { kind: m.target_kind, reference: m.target_reference } : null,
            expected: m.expected === null ? null : Number(m.expected),
            actual: m.actual === null ? null : Number(m.actual),
            tolerance: Number(m.tolerance),
            attempts: Number(m.attempts),
          }
        : null,
      order: order ?? null,
    };
  });
  const withJournal = await Promise.all(
    [...orders.values()].map(async (order) => ({ ...order, journal: ledger ? await ledger.list({ orderId: order.id }, { limit: 500 }) : [] })),
  );
  const [entry] = await findJournalEntriesByKey(db, [`payout:${payout.provider}:${payout.reference}`]);
  const totals = settlementTotalsOf(lines);
  const tally = { matched: [...matches.values()].filter((m) => m.status === 'matched').length, unmatched: [...matches.values()].filter((m) => m.status === 'unmatched').length };
  return {
    payout: payoutView(payout, tally),
    lines: explained,
    orders: withJournal,
    payoutEntry: entry ? journalView(entry) : null,
    totals: { ...totals, amount: Number(payout.amount), reconciles: lines.length > 0 && totals.net === Number(payout.amount) },
  };
}

/** The unmatched queue, oldest first, with each line's reason. */
export async function listUnmatchedViews(db: Db, filter: { connectionId?: string | undefined; after?: { firstSeenAt: number; payoutId: string; lineId: string } | undefined; limit: number }): Promise<(UnmatchedView & { position: { firstSeenAt: number; payoutId: string; lineId: string } })[]> {
  const rows = await listUnmatchedSettlementLines(db, filter);
  return rows.map((row) => ({
    payoutId: row.payout_id,
    payoutReference: row.payout_reference,
    provider: row.provider,
    connection: row.connection_id,
    lineId: row.line_id,
    kind: row.kind,
    reference: row.reference,
    gross: Number(row.gross),
    fee: Number(row.fee),
    net: Number(row.net),
    currency: row.currency,
    reason: row.reason,
    orderId: row.order_id,
    attempts: Number(row.attempts),
    firstSeenAt: new Date(Number(row.first_seen_at)).toISOString(),
    lastTriedAt: new Date(Number(row.updated_at)).toISOString(),
    position: { firstSeenAt: Number(row.first_seen_at), payoutId: row.payout_id, lineId: row.line_id },
  }));
}
