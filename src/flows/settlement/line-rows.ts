import type { SettlementLine } from '../../model/index.js';
import type { SettlementLineRow } from '../../store/index.js';
import type { LineToMatch } from './match.js';

/** A stored line as the provider reported it. */
export function settlementLineOf(row: SettlementLineRow): SettlementLine {
  return {
    id: row.line_id,
    kind: row.kind as SettlementLine['kind'],
    reference: row.reference,
    ...(row.order_reference !== null ? { orderReference: row.order_reference } : {}),
    gross: Number(row.gross),
    fee: Number(row.fee),
    net: Number(row.net),
    currency: row.currency,
    ...(row.original_amount !== null && row.original_currency !== null ? { original: { amount: Number(row.original_amount), currency: row.original_currency } } : {}),
    ...(row.exchange_rate !== null ? { exchangeRate: row.exchange_rate } : {}),
  };
}

/** A stored line as matching takes it. */
export function lineOf(row: SettlementLineRow): LineToMatch {
  return { ...settlementLineOf(row), related: JSON.parse(row.related) as string[] };
}

/** A payout's lines as stored rows, in report order. */
export function lineRows(payoutId: string, lines: readonly SettlementLine[], related: Record<string, string[]> = {}): SettlementLineRow[] {
  return lines.map((line, position) => ({
    payout_id: payoutId,
    line_id: line.id,
    position,
    kind: line.kind,
    reference: line.reference,
    order_reference: line.orderReference ?? null,
    related: JSON.stringify(related[line.id] ?? []),
    gross: line.gross,
    fee: line.fee,
    net: line.net,
    currency: line.currency,
    original_amount: line.original?.amount ?? null,
    original_currency: line.original?.currency ?? null,
    exchange_rate: line.exchangeRate ?? null,
  }));
}
