import { rateToString, type Money, type Payout, type SettlementLine } from '../../model/index.js';
import { stripeAmountToMinor, stripeCurrency, stripeMoney } from './amounts.js';
import { dateFromEpoch, definedOnly, orderIdOf, parseWire } from './mapping-support.js';
import { expandableId, StripeBalanceTransaction, StripePayout } from './wire.js';

type LineKind = SettlementLine['kind'];

const kindsByType: Readonly<Record<string, LineKind>> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  payment_refund: 'refund',
  payment_failure_refund: 'refund',
  refund_failure: 'refund',
  stripe_fee: 'fee',
  application_fee: 'fee',
  stripe_fx_fee: 'fee',
  tax_fee: 'fee',
  payout: 'payout',
};

/** Reporting categories of dispute movements (Stripe books them as type `adjustment`). */
const disputeCategories = new Set(['dispute', 'dispute_reversal']);

/**
 * The settlement line kind of a balance transaction: charge/payment → charge; refund and
 * payment_refund (and their failures) → refund; adjustment → chargeback when its reporting
 * category is a dispute, else adjustment (also type `dispute`); Stripe and application fees → fee;
 * payout → payout; anything else → adjustment.
 */
export function settlementLineKind(type: string, reportingCategory?: string): LineKind {
  if (type === 'dispute' || (type === 'adjustment' && reportingCategory !== undefined && disputeCategories.has(reportingCategory))) return 'chargeback';
  return kindsByType[type] ?? 'adjustment';
}

/** Signs of the source objects whose amount a converted balance transaction moves: a charge adds, a refund or a dispute takes away. */
const sourceSigns: Readonly<Record<string, 1 | -1>> = { charge: 1, refund: -1, dispute: -1 };

/**
 * The amount an expanded source moved in its own currency (a charge: what was captured; a refund
 * or dispute: its amount, negative), when that currency is not the balance transaction's; else undefined.
 */
function originalOf(source: StripeBalanceTransaction['source'], currency: string): Money | undefined {
  if (!source || typeof source === 'string') return undefined;
  const sign = sourceSigns[source.object ?? ''];
  const record = source as Record<string, unknown>;
  const sourceCurrency = record['currency'];
  const captured = record['amount_captured'];
  const amount = source.object === 'charge' && typeof captured === 'number' && captured > 0 ? captured : record['amount'];
  if (sign === undefined || typeof sourceCurrency !== 'string' || typeof amount !== 'number') return undefined;
  const original = stripeMoney(sign * amount, sourceCurrency);
  return original.currency === currency ? undefined : original;
}

/**
 * One balance transaction as a settlement line: gross = amount, fee = fee, net = net (Stripe's own
 * figures, signed, converted to canonical minor units), reference = the source object's id (the
 * transaction's own id when it has no source), orderReference from the source's metadata
 * `order_id` when the source was expanded. A transaction Stripe converted from another currency
 * carries `exchangeRate` (its `exchange_rate` as an exact decimal string: a JSON number is read by
 * its shortest round-trip form, which is the text Stripe wrote) and, when the source was expanded,
 * `original` (the charge, refund or dispute amount in its own currency).
 */
export function balanceTransactionToSettlementLine(value: unknown): SettlementLine {
  const txn = parseWire(StripeBalanceTransaction, value, 'balance_transaction');
  const currency = stripeCurrency(txn.currency);
  const source = txn.source;
  const orderReference = source && typeof source !== 'string' ? orderIdOf(source.metadata ?? undefined) : undefined;
  return {
    id: txn.id,
    kind: settlementLineKind(txn.type, txn.reporting_category),
    reference: expandableId(source) ?? txn.id,
    ...definedOnly({ orderReference }),
    gross: stripeAmountToMinor(txn.amount, currency),
    fee: stripeAmountToMinor(txn.fee, currency),
    net: stripeAmountToMinor(txn.net, currency),
    currency,
    ...definedOnly({
      original: txn.exchange_rate == null ? undefined : originalOf(source, currency),
      exchangeRate: txn.exchange_rate == null ? undefined : rateToString(txn.exchange_rate),
    }),
  };
}

/**
 * The balance transactions of a payout (`GET /v1/balance_transactions?payout=…`, which lists the
 * payout's own debit too) as settlement lines; `payout` is the Payout or its id. The payout's own transaction is a `payout` line,
 * which reconciliation leaves out of the sum.
 */
export function balanceTransactionsToSettlementLines(payout: unknown, transactions: readonly unknown[]): SettlementLine[] {
  const id = typeof payout === 'string' ? payout : parseWire(StripePayout, payout, 'payout').id;
  return transactions.map((value) => {
    const line = balanceTransactionToSettlementLine(value);
    return line.reference === id && line.kind !== 'payout' ? { ...line, kind: 'payout' as const } : line;
  });
}

const payoutStatuses: Readonly<Record<string, Payout['status']>> = {
  pending: 'pending',
  in_transit: 'in_transit',
  paid: 'paid',
  failed: 'failed',
  canceled: 'cancelled',
};

/**
 * A Stripe payout as a canonical payout: amount in minor units, status (canceled → cancelled),
 * arrivalDate from `arrival_date` (UTC date), and the settlement lines of its balance transactions
 * when given (else none). The lines reconcile (`validatePayout`) when the transactions are all of
 * the payout's.
 */
export function payoutToCanonical(value: unknown, transactions: readonly unknown[] = [], status?: Payout['status']): Payout {
  const payout = parseWire(StripePayout, value, 'payout');
  const currency = stripeCurrency(payout.currency);
  return {
    id: payout.id,
    provider: 'stripe',
    reference: payout.id,
    currency,
    amount: stripeAmountToMinor(payout.amount, currency),
    status: status ?? payoutStatuses[payout.status] ?? 'pending',
    arrivalDate: dateFromEpoch(payout.arrival_date),
    lines: transactions.length > 0 ? balanceTransactionsToSettlementLines(payout, transactions) : [],
  };
}

/** Totals of settlement lines other than the payout's own: Σ gross, Σ fee, Σ net (the payout amount when they reconcile). */
export function settlementTotals(lines: readonly SettlementLine[]): { gross: number; fees: number; net: number } {
  return lines
    .filter((line) => line.kind !== 'payout')
    .reduce((sum, line) => ({ gross: sum.gross + line.gross, fees: sum.fees + line.fee, net: sum.net + line.net }), { gross: 0, fees: 0, net: 0 });
}
