import { Order, type OrderInput, type PaymentTransaction } from '../../model/index.js';
import { PostingConfig } from './config.js';
import type { EventTrace, PostingEntry } from './entry.js';

/** The posting configuration the finance tests use: named accounts for a channel, a jurisdiction and Stripe. */
export const testPostingConfig: PostingConfig = PostingConfig.parse({
  baseCurrency: 'USD',
  accounts: {
    revenue: { default: 'Sales', byChannel: { 'shop-main': 'Sales - Web' } },
    taxPayable: { default: 'Tax Payable', byJurisdiction: { 'CA State Tax': 'CA Tax Payable' } },
    refunds: 'Sales Returns',
    paymentClearing: { default: 'Clearing', byProvider: { stripe: 'Stripe Clearing', 'stripe:EUR': 'Stripe Clearing EUR' } },
    processorFees: { default: 'Fees', byProvider: { stripe: 'Stripe Fees' } },
    bank: { default: 'Bank', byCurrency: { EUR: 'Bank EUR' }, byDestination: { ba_main: 'Bank - Main' } },
  },
});

/** A trace for tests. */
export const testTrace: EventTrace = { correlationId: 'corr-1', causationId: 'msg-1' };

/** A parsed order with test defaults (one channel, USD, no lines unless given). */
export function testOrder(input: Partial<OrderInput> & Pick<OrderInput, 'lines' | 'totals'>): Order {
  return Order.parse({ source: 'shop-main', externalId: '1001', number: '#1001', placedAt: '2026-11-20T10:00:00Z', currency: 'USD', ...input });
}

/** A succeeded payment transaction for tests. */
export function testTransaction(kind: PaymentTransaction['kind'], amount: number, currency = 'USD', overrides: Partial<PaymentTransaction> = {}): PaymentTransaction {
  return { id: `tx-${kind}`, provider: 'stripe', reference: `${kind}_1`, orderId: 'ord_1', kind, status: 'succeeded', amount: { amount, currency }, occurredAt: '2026-11-21T12:00:00Z', ...overrides };
}

/** Balances (debits − credits) per `account currency` over entries, zeros left out. */
export function ledgerBalances(entries: readonly (PostingEntry | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries) {
    for (const line of entry?.lines ?? []) {
      const key = `${line.account} ${line.currency}`;
      out[key] = (out[key] ?? 0) + line.debit - line.credit;
      if (out[key] === 0) delete out[key];
    }
  }
  return out;
}

/** The lines of an entry as `account currency → signed amount`, for compact assertions. */
export function signedLines(entry: PostingEntry | null): Record<string, number> {
  return ledgerBalances([entry]);
}
