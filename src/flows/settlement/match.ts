import type { SettlementLine } from '../../model/index.js';

/** A settlement line with every provider id known for its source (its own reference first). */
export interface LineToMatch extends SettlementLine {
  /** Other ids of the line's source and its parents, e.g. a charge's PaymentIntent, a refund's charge. */
  related: readonly string[];
}

/** An order as matching sees it. */
export interface OrderFact {
  id: string;
  externalId: string;
  number: string | null;
  total: number;
  currency: string;
}

/** Money the hub captured (or a provider reported captured) for an order, known by any of `references`. */
export interface CaptureFact {
  orderId: string | null;
  references: readonly string[];
  /** Captured amount, when known (else the order's total is expected). */
  amount: number | null;
  currency: string | null;
}

/** A refund the hub made (or a provider reported) for an order, known by any of `references`. */
export interface RefundFact {
  orderId: string | null;
  references: readonly string[];
  amount: number | null;
  currency: string | null;
}

/** What the hub knows that settlement lines may be matched against. */
export interface SettlementFacts {
  orders: readonly OrderFact[];
  captures: readonly CaptureFact[];
  refunds: readonly RefundFact[];
}

/** What a line was matched to. */
export type MatchTargetKind = 'capture' | 'refund' | 'charge' | 'payout' | 'dispute';

/** The outcome of matching one line: matched to its order and capture/refund/charge, or unmatched with the reason. */
export interface LineMatch {
  lineId: string;
  status: 'matched' | 'unmatched';
  reason: string | null;
  orderId: string | null;
  target: { kind: MatchTargetKind; reference: string } | null;
  /** The amount the hub expected (positive minor units), when one was compared. */
  expected: number | null;
  /** The amount the provider settled (positive minor units), when one was compared. */
  actual: number | null;
  /** The tolerance applied (absolute minor units). */
  tolerance: number;
}

/** How to match: an amount may differ by up to `tolerance` minor units (default 0). */
export interface MatchOptions {
  tolerance?: number | undefined;
  /** The payout the lines belong to (its own line matches it). */
  payout: { reference: string; amount: number; currency: string };
}

const refsOf = (line: LineToMatch): Set<string> => new Set([line.reference, ...line.related]);
const shares = (refs: ReadonlySet<string>, references: readonly string[]) => references.some((r) => refs.has(r));

/**
 * Matches a payout's settlement lines to what the hub knows: a charge to its order (by the line's
 * order reference — hub id or channel external id — else by the capture that names one of the
 * line's ids) and the captured amount within the tolerance; a refund to the order's refund; a fee
 * to its charge; a chargeback to the disputed order; the payout line to the payout. Anything else,
 * or a difference in currency or amount, is unmatched with the reason. Pure: same input, same answer.
 */
export function matchSettlementLines(lines: readonly LineToMatch[], facts: SettlementFacts, options: MatchOptions): LineMatch[] {
  const tolerance = options.tolerance ?? 0;
  const orders = new Map<string, OrderFact>();
  for (const order of facts.orders) {
    orders.set(order.id, order);
    if (!orders.has(order.externalId)) orders.set(order.externalId, order);
  }
  const base = (line: LineToMatch): LineMatch => ({ lineId: line.id, status: 'unmatched', reason: null, orderId: null, target: null, expected: null, actual: null, tolerance });
  const unmatched = (line: LineToMatch, reason: string, extra: Partial<LineMatch> = {}): LineMatch => ({ ...base(line), ...extra, status: 'unmatched', reason });
  const matched = (line: LineToMatch, extra: Partial<LineMatch>): LineMatch => ({ ...base(line), ...extra, status: 'matched', reason: null });
  const orderOf = (line: LineToMatch, refs: ReadonlySet<string>, fact: { orderId: string | null } | undefined): OrderFact | undefined =>
    (line.orderReference ? orders.get(line.orderReference) : undefined) ?? (fact?.orderId ? orders.get(fact.orderId) : undefined) ?? [...refs].map((r) => orders.get(r)).find((o) => o !== undefined);
  const captureOf = (refs: ReadonlySet<string>) => facts.captures.find((c) => shares(refs, c.references));
  const within = (expected: number, actual: number) => Math.abs(expected - actual) <= tolerance;

  function charge(line: LineToMatch): LineMatch {
    const refs = refsOf(line);
    const byRef = captureOf(refs);
    const order = orderOf(line, refs, byRef);
    const capture = byRef ?? (order ? facts.captures.find((c) => c.orderId === order.id) : undefined);
    const actual = line.gross;
    if (!order) return unmatched(line, capture ? 'no_order_for_capture' : 'no_order_for_charge', { actual });
    if (line.currency !== order.currency) return unmatched(line, `currency_differs: order ${order.currency} settled ${line.currency}`, { orderId: order.id, actual });
    if (!capture) return unmatched(line, 'no_capture', { orderId: order.id, expected: order.total, actual });
    const expected = capture.amount ?? order.total;
    const target = { kind: 'capture' as const, reference: capture.references[0] ?? line.reference };
    if (!within(expected, actual)) return unmatched(line, `amount_differs: expected ${expected} got ${actual}`, { orderId: order.id, target, expected, actual });
    return matched(line, { orderId: order.id, target, expected, actual });
  }

  function refund(line: LineToMatch): LineMatch {
    const refs = refsOf(line);
    const byRef = facts.refunds.find((r) => shares(refs, r.references));
    const order = orderOf(line, refs, byRef ?? captureOf(refs));
    const actual = -line.gross;
    // Without a shared id, a refund of the order for the same amount (within the tolerance) is the one.
    const found = byRef ?? (order ? facts.refunds.find((r) => r.orderId === order.id && r.amount !== null && within(r.amount, actual)) : undefined);
    if (!order) return unmatched(line, 'no_order_for_refund', { actual });
    if (line.currency !== order.currency) return unmatched(line, `currency_differs: order ${order.currency} settled ${line.currency}`, { orderId: order.id, actual });
    if (!found) return unmatched(line, 'no_refund', { orderId: order.id, actual });
    const expected = found.amount ?? actual;
    const target = { kind: 'refund' as const, reference: found.references[0] ?? line.reference };
    if (!within(expected, actual)) return unmatched(line, `amount_differs: expected ${expected} got ${actual}`, { orderId: order.id, target, expected, actual });
    return matched(line, { orderId: order.id, target, expected, actual });
  }

  const results = new Map<string, LineMatch>();
  const charges = lines.filter((l) => l.kind === 'charge');
  for (const line of lines) {
    if (line.kind === 'charge') results.set(line.id, charge(line));
    else if (line.kind === 'refund') results.set(line.id, refund(line));
    else if (line.kind === 'payout') {
      const target = { kind: 'payout' as const, reference: options.payout.reference };
      const ours = line.reference === options.payout.reference || line.related.includes(options.payout.reference);
      const [expected, actual] = [options.payout.amount, -line.net];
      results.set(
        line.id,
        !ours ? unmatched(line, `other_payout: ${line.reference}`)
        : expected !== actual ? unmatched(line, `amount_differs: expected ${expected} got ${actual}`, { target, expected, actual })
        : matched(line, { target, expected, actual }),
      );
    } else if (line.kind === 'chargeback') {
      const refs = refsOf(line);
      const order = orderOf(line, refs, captureOf(refs));
      results.set(line.id, order ? matched(line, { orderId: order.id, target: { kind: 'dispute', reference: line.reference }, actual: -line.gross }) : unmatched(line, 'no_order_for_chargeback', { actual: -line.gross }));
    }
  }
  for (const line of lines) {
    if (line.kind === 'fee') {
      const refs = refsOf(line);
      const parent = charges.find((c) => refs.has(c.reference) || c.related.some((r) => refs.has(r)));
      const capture = parent ? undefined : captureOf(refs);
      const orderId = parent ? (results.get(parent.id)?.orderId ?? null) : (capture?.orderId ?? null);
      results.set(line.id, parent || capture ? matched(line, { orderId, target: { kind: 'charge', reference: parent?.reference ?? capture!.references[0]! }, actual: line.fee }) : unmatched(line, 'no_charge_for_fee', { actual: line.fee }));
    } else if (line.kind === 'adjustment') {
      results.set(line.id, unmatched(line, 'unexplained_adjustment', { actual: line.net }));
    }
  }
  return lines.map((line) => results.get(line.id)!);
}

/** Totals of a payout's lines other than its own: Σ gross, Σ fees, Σ net (the payout amount when they reconcile). */
export function settlementTotalsOf(lines: readonly SettlementLine[]): { gross: number; fees: number; net: number } {
  return lines
    .filter((line) => line.kind !== 'payout')
    .reduce((sum, line) => ({ gross: sum.gross + line.gross, fees: sum.fees + line.fee, net: sum.net + line.net }), { gross: 0, fees: 0, net: 0 });
}
