import { permanentError, type Order, type PaymentTransaction, type Refund } from '../../model/index.js';
import { clearingAccount } from './accounts.js';
import type { PostingConfig } from './config.js';
import { buildEntry, utcDate, type EventTrace, type PostingEntry } from './entry.js';
import type { OrderPostingData } from './messages.js';
import { postCapture } from './payments.js';
import { postRefund } from './refund.js';
import { saleKey, postSale } from './sale.js';

/** An entry to record, and the ERP documents that already post it (then no second document is made). */
export interface OrderPosting {
  entry: PostingEntry;
  postedAs?: { connectionId: string; documents: Record<string, string> };
  /** Post it as a payment against the invoice of the sale recorded under this key. */
  paymentAgainstInvoiceOf?: string;
}

/**
 * The part of an order that was invoiced: units cancelled before invoicing taken out of their lines,
 * with their share of the line's discount and taxes (rounded half up, as the final capture rounds
 * them), and out of the totals.
 */
export function invoicedOrder(order: Order, cancelled: readonly { lineId: string; quantity: number }[]): Order {
  const byLine = new Map<string, number>();
  for (const c of cancelled) byLine.set(c.lineId, (byLine.get(c.lineId) ?? 0) + c.quantity);
  if ([...byLine.values()].every((q) => q === 0)) return order;
  let gross = 0;
  let discount = 0;
  let tax = 0;
  const lines = order.lines.flatMap((line) => {
    const units = byLine.get(line.lineId) ?? 0;
    if (units > line.quantity) throw permanentError('cancelled_exceeds_ordered', `${units} units of line ${line.lineId} cancelled, but ${line.quantity} were ordered`);
    if (units === 0) return [line];
    const share = (amount: number) => Math.round((amount * units) / line.quantity);
    gross += units * line.unitPrice;
    discount += share(line.discount);
    const taxes = line.taxes.map((t) => ({ ...t, amount: t.amount - share(t.amount) }));
    tax += line.taxes.reduce((sum, t) => sum + t.amount, 0) - taxes.reduce((sum, t) => sum + t.amount, 0);
    return units === line.quantity ? [] : [{ ...line, quantity: line.quantity - units, discount: line.discount - share(line.discount), taxes }];
  });
  if (lines.length === 0) throw permanentError('nothing_invoiced', `every unit of order ${order.externalId} was cancelled: there is no sale to post`);
  const { totals } = order;
  return {
    ...order,
    lines,
    totals: {
      ...totals,
      subtotal: totals.subtotal - gross,
      discount: totals.discount - discount,
      tax: totals.tax - tax,
      total: totals.total - gross + discount - (order.taxesIncluded ? 0 : tax),
    },
  };
}

/** The entry with `party` (a customer) on its lines of `account` (the receivables), as the ERP requires there. */
export function withParty(entry: PostingEntry, account: string, party: string | undefined): PostingEntry {
  if (party === undefined) return entry;
  return { ...entry, lines: entry.lines.map((l) => (l.account === account ? { ...l, partyType: 'Customer' as const, party } : l)) };
}

/**
 * A refund entry split as the ERP holds it once a credit note reversed the sale: the credit note's
 * part (its debits against the customer's receivable) and the money paid back (the receivable
 * against its credits, the payment clearing). Together they are the refund entry.
 */
export function splitByCreditNote(entry: PostingEntry, config: PostingConfig, party: string | undefined): { creditNote: PostingEntry; payment: PostingEntry } {
  const receivable = config.accounts.receivables;
  const partyOf = party === undefined ? {} : { partyType: 'Customer' as const, party };
  const debits = entry.lines.filter((l) => l.debit > 0);
  const credits = entry.lines.filter((l) => l.credit > 0);
  const totals = new Map<string, number>();
  for (const l of credits) totals.set(l.currency, (totals.get(l.currency) ?? 0) + l.credit);
  const through = (side: 'debit' | 'credit') => [...totals].map(([currency, amount]) => ({ account: receivable, debit: side === 'debit' ? amount : 0, credit: side === 'credit' ? amount : 0, currency, ...partyOf }));
  return {
    creditNote: { ...entry, key: `${entry.key}:credit-note`, lines: [...debits, ...through('credit')], memo: `${entry.memo} (credit note)` },
    payment: { ...entry, key: `${entry.key}:payment`, lines: [...through('debit'), ...credits], memo: `${entry.memo} (paid back)` },
  };
}

/** Money captured in advance and given back before anything was invoiced. */
export interface PaymentReturnEvent {
  provider: string | undefined;
  reference: string;
  amount: number;
  currency: string;
  occurredAt: string;
  orderId?: string;
  party?: string;
}

/** An advance given back: receivables (the customer's, which the capture credited) against payment clearing. */
export function postPaymentReturn(event: PaymentReturnEvent, trace: EventTrace, config: PostingConfig): PostingEntry | null {
  const { accounts } = config;
  const { currency, amount } = event;
  const provider = event.provider ?? 'unknown';
  return buildEntry(
    { key: `refund:${provider}:${event.reference}`, kind: 'refund', date: utcDate(event.occurredAt), memo: `Payment returned: ${provider} ${event.reference}${event.orderId ? ` for order ${event.orderId}` : ''}`, orderId: event.orderId },
    [
      { account: accounts.receivables, amount, currency, ...(event.party ? { partyType: 'Customer' as const, party: event.party } : {}) },
      { account: clearingAccount(accounts, event.provider, currency), amount: -amount, currency },
    ],
    trace,
    config,
  );
}

function refundOf(data: Extract<OrderPostingData, { event: 'refund' }>, order: Order): Refund {
  const itemised = data.lines.reduce((sum, l) => sum + l.amount, 0) + data.shipping;
  return {
    id: data.refundId,
    orderId: data.orderId,
    ...(data.reference ? { reference: data.reference } : {}),
    currency: order.currency,
    amount: data.amount,
    // Itemised only when the parts fit the amount (a channel may refund less than the units are worth).
    ...(itemised <= data.amount && itemised > 0 ? { lines: data.lines, shipping: data.shipping } : {}),
    createdAt: data.createdAt,
  };
}

/** The journal entries an order's money event makes: the sale (posted as its Sales Invoice), a capture, a refund (split by its credit note) or an advance returned. */
export function orderPostings(data: OrderPostingData, order: Order, trace: EventTrace, config: PostingConfig): OrderPosting[] {
  const { receivables } = config.accounts;
  const provider = ('provider' in data ? data.provider : undefined) ?? order.payments[0]?.provider;
  switch (data.event) {
    case 'sale': {
      const entry = postSale({ order: invoicedOrder(order, data.cancelled), orderId: data.orderId }, { ...trace, date: trace.date ?? data.postingDate }, config);
      if (!entry) return [];
      const documents = Object.fromEntries([...new Set(entry.lines.map((l) => l.currency))].map((c) => [c, data.salesInvoice]));
      return [{ entry: { ...withParty(entry, receivables, data.customer), memo: `${entry.memo}: ${data.salesInvoice}` }, postedAs: { connectionId: data.erp, documents } }];
    }
    case 'capture': {
      const tx: PaymentTransaction = { id: data.reference, provider: provider ?? 'unknown', reference: data.reference, orderId: data.orderId, kind: 'capture', status: 'succeeded', amount: { amount: data.amount, currency: data.currency }, occurredAt: data.occurredAt };
      const entry = data.amount === 0 ? null : postCapture(tx, trace, config);
      if (!entry) return [];
      return [{ entry: withParty(entry, receivables, data.customer), ...(data.againstInvoice ? { paymentAgainstInvoiceOf: saleKey(order) } : {}) }];
    }
    case 'refund': {
      const entry = data.amount === 0 ? null : postRefund({ order, refund: refundOf(data, order), orderId: data.orderId, ...(provider ? { provider } : {}) }, trace, config);
      if (!entry) return [];
      if (!data.creditNote) return [{ entry }];
      const { creditNote, payment } = splitByCreditNote(entry, config, data.customer);
      const documents = Object.fromEntries([...new Set(creditNote.lines.map((l) => l.currency))].map((c) => [c, data.creditNote!.document]));
      return [{ entry: creditNote, postedAs: { connectionId: data.creditNote.erp, documents } }, { entry: payment }];
    }
    case 'payment-return': {
      const entry = data.amount === 0 ? null : postPaymentReturn({ provider, reference: data.reference, amount: data.amount, currency: data.currency, occurredAt: data.occurredAt, orderId: data.orderId, ...(data.customer ? { party: data.customer } : {}) }, trace, config);
      return entry ? [{ entry }] : [];
    }
  }
}
