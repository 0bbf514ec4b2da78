import { allocate, permanentError, type Order, type Refund } from '../../model/index.js';
import { clearingAccount, refundAccount, taxAccount } from './accounts.js';
import type { PostingAccounts, PostingConfig } from './config.js';
import { buildEntry, utcDate, type EventTrace, type Posting, type PostingEntry } from './entry.js';
import { saleBreakdown, type SaleBreakdown, type TaxShare } from './sale.js';

/** One share of a refund: the merchandise, shipping or a tax of one order line or of the shipping. */
export interface RefundPart {
  component: 'merchandise' | 'shipping' | 'tax';
  /** The order line, for merchandise and line taxes. */
  lineId?: string;
  /** The tax title or jurisdiction, for taxes. */
  name?: string;
  amount: number;
}

type Component = Omit<RefundPart, 'amount'> & { key: string; weight: number };

function taxComponents(taxes: readonly TaxShare[], prefix: string, lineId?: string): Component[] {
  return taxes.map((t, i) => ({ component: 'tax' as const, ...(lineId === undefined ? {} : { lineId }), name: t.name, key: `${prefix}:tax:${i}`, weight: Math.max(0, t.amount) }));
}

function lineComponents(sale: SaleBreakdown, lineId: string): Component[] {
  const index = sale.lines.findIndex((l) => l.lineId === lineId);
  const line = sale.lines[index];
  if (!line) throw permanentError('unknown_order_line', `the refund names line ${lineId}, which the order does not have`);
  return [{ component: 'merchandise', lineId, key: `line:${index}`, weight: Math.max(0, line.net) }, ...taxComponents(line.taxes, `line:${index}`, lineId)];
}

function shippingComponents(sale: SaleBreakdown): Component[] {
  return sale.shipping.flatMap((s, j) => [{ component: 'shipping' as const, key: `shipping:${j}`, weight: Math.max(0, s.net) }, ...taxComponents(s.taxes, `shipping:${j}`)]);
}

/** Adds `amount` split over `components` by weight into `parts` (keyed by component, so a component appears once). */
function split(parts: Map<string, RefundPart>, amount: number, components: readonly Component[], what: string): void {
  if (amount === 0) return;
  if (components.length === 0) throw permanentError('refund_not_attributable', `${what}: nothing on the order to attribute ${amount} to`);
  const amounts = allocate(amount, components.map((c) => c.weight));
  components.forEach(({ key, weight: _weight, ...component }, i) => {
    const part = parts.get(key) ?? { ...component, amount: 0 };
    part.amount += amounts[i] ?? 0;
    parts.set(key, part);
  });
}

/**
 * Splits a refund into merchandise, shipping and tax shares by largest remainder: itemised line amounts over
 * that line's net price and taxes, the shipping amount over the shipping and its taxes, and any rest over what of
 * the whole order this refund has not already given back. The parts sum to the refund amount.
 */
export function refundSplit(order: Order, refund: Refund): RefundPart[] {
  if (refund.currency !== order.currency) {
    throw permanentError('currency_mismatch', `refund in ${refund.currency} for an order in ${order.currency}`);
  }
  if (refund.amount > order.totals.total) {
    throw permanentError('refund_exceeds_order', `refund ${refund.amount} exceeds the order total ${order.totals.total}`);
  }
  const sale = saleBreakdown(order);
  const parts = new Map<string, RefundPart>();
  let itemised = 0;
  for (const line of refund.lines ?? []) {
    split(parts, line.amount, lineComponents(sale, line.lineId), `refund line ${line.lineId}`);
    itemised += line.amount;
  }
  const shipping = refund.shipping ?? 0;
  split(parts, shipping, shippingComponents(sale), 'refunded shipping');
  itemised += shipping;
  const rest = refund.amount - itemised;
  if (rest < 0) {
    throw permanentError('refund_lines_exceed_amount', `refund lines and shipping total ${itemised}, more than the refund amount ${refund.amount}`);
  }
  const whole = [...sale.lines.flatMap((l) => lineComponents(sale, l.lineId)), ...shippingComponents(sale)];
  const remaining = whole.map((c) => ({ ...c, weight: Math.max(0, c.weight - (parts.get(c.key)?.amount ?? 0)) }));
  split(parts, rest, remaining, 'unitemised refund');
  return [...parts.values()].filter((p) => p.amount !== 0);
}

function partAccount(accounts: PostingAccounts, channel: string, part: RefundPart): string {
  if (part.component === 'tax') return taxAccount(accounts, part.name ?? '');
  if (part.component === 'shipping') return accounts.shippingIncome;
  return refundAccount(accounts, channel);
}

/** Money given back for an order, through a payment provider. */
export interface RefundEvent {
  order: Order;
  refund: Refund;
  /** The provider that paid it back; defaults to the order's first payment's provider. */
  provider?: string;
  orderId?: string;
}

/** The refund entry: its merchandise (sales returns), shipping and tax shares debited against payment clearing. */
export function postRefund(event: RefundEvent, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  const { order, refund } = event;
  const { accounts } = config;
  const provider = event.provider ?? order.payments[0]?.provider;
  const postings: Posting[] = refundSplit(order, refund).map((part) => ({
    account: partAccount(accounts, order.source, part),
    amount: part.amount,
    currency: refund.currency,
  }));
  postings.push({ account: clearingAccount(accounts, provider, refund.currency), amount: -refund.amount, currency: refund.currency });
  const id = refund.id ?? refund.reference ?? refund.createdAt;
  return buildEntry(
    { key: `refund:${order.source}:${order.externalId}:${id}`, kind: 'refund', date: utcDate(refund.createdAt), memo: `Refund ${id}: order ${order.number ?? order.externalId}`, orderId: event.orderId ?? refund.orderId },
    postings,
    trace,
    config,
  );
}
