import type { SettlementLine } from '../../model/index.js';
import type { SettlementLineRow } from '../../store/index.js';
import type { LineToMatch } from './match.js';

/** A stored line as matching takes it. */
export function lineOf(row: SettlementLineRow): LineToMatch {
  return {
    id: row.line_id,
    kind: row.kind as SettlementLine['kind'],
    reference: row.reference,
    ...(row.order_reference !== null ? { orderReference: row.order_reference } : {}),
    related: JSON.parse(row.related) as string[],
    gross: Number(row.gross),
    fee: Number(row.fee),
    net: Number(row.net),
    currency: row.currency,
  };
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
  }));
}
