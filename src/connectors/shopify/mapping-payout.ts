import type { Payout, SettlementLine } from '../../model/index.js';
import { definedOnly, ShopifyNode, toMinor } from './mapping-support.js';

type LineKind = SettlementLine['kind'];

/** How a balance transaction's fee appears: on its own line (kind `fee`, the default) or inline as the line's `fee`. */
export type ShopifyFeeLines = 'separate' | 'inline';

/** Options of the Shopify Payments payout mapping. */
export interface ShopifyPayoutOptions {
  /** `separate` (default): a charge with a fee gives a charge line (fee 0) and a fee line (gross 0, fee, net −fee). */
  fees?: ShopifyFeeLines;
}

const kindsByType: Readonly<Record<string, LineKind>> = {
  charge: 'charge',
  refund: 'refund',
  dispute: 'chargeback',
  payout: 'payout',
  application_fee: 'fee',
  shopify_fee: 'fee',
};

/**
 * The settlement line kind of a Shopify Payments balance transaction type: charge, refund, dispute →
 * chargeback, payout, application/Shopify fees → fee; reserve, adjustment, credit, debit, payout
 * failures and anything else → adjustment.
 */
export function shopifyBalanceTransactionKind(type: string): LineKind {
  return kindsByType[type] ?? 'adjustment';
}

const payoutStatuses: Readonly<Record<string, Payout['status']>> = {
  scheduled: 'pending',
  in_transit: 'in_transit',
  paid: 'paid',
  failed: 'failed',
  canceled: 'cancelled',
  cancelled: 'cancelled',
};

/** A payout object, unwrapped from `{"payout": {...}}` when given the response body. */
function payoutNode(value: unknown): ShopifyNode {
  const root = new ShopifyNode(value).object();
  return root.at('payout').present ? root.at('payout').object() : root;
}

/**
 * One Shopify Payments balance transaction (`GET /shopify_payments/balance/transactions.json`) as
 * settlement lines in `currency`: reference = source_id (else the transaction id), orderReference =
 * source_order_id; with `fees: 'separate'` a non-zero fee becomes its own `fee` line `<id>:fee`.
 * Throws 'invalid_payload' naming the field when the currency differs or net ≠ amount − fee.
 */
export function shopifyBalanceTransactionToLines(transaction: ShopifyNode, currency: string, options: ShopifyPayoutOptions = {}): SettlementLine[] {
  const txn = transaction.object();
  const id = txn.at('id').id();
  const currencyNode = txn.at('currency');
  const named = currencyNode.optionalText()?.toUpperCase();
  if (named !== undefined && named !== currency) currencyNode.fail(`is ${named}, expected the payout currency ${currency}`);
  const gross = toMinor(txn.at('amount'), currency);
  const fee = txn.at('fee').present ? toMinor(txn.at('fee'), currency) : 0;
  const net = txn.at('net').present ? toMinor(txn.at('net'), currency) : gross - fee;
  if (net !== gross - fee) txn.at('net').fail(`is ${JSON.stringify(txn.at('net').value)} but amount − fee is ${gross - fee} minor units of ${currency}`);
  const common = {
    reference: txn.at('source_id').optionalId() ?? id,
    ...definedOnly({ orderReference: txn.at('source_order_id').optionalId() }),
    currency,
  };
  const kind = shopifyBalanceTransactionKind(txn.at('type').text());
  if ((options.fees ?? 'separate') === 'inline' || fee === 0 || kind === 'fee') return [{ id, kind, ...common, gross, fee, net }];
  return [
    { id, kind, ...common, gross, fee: 0, net: gross },
    { id: `${id}:fee`, kind: 'fee', ...common, gross: 0, fee, net: -fee },
  ];
}

/**
 * The balance transactions of a payout (`transactions` array or the response `{"transactions": [...]}`)
 * as settlement lines; the payout's own transaction (type payout, or source_id = the payout id) is a
 * `payout` line, which reconciliation leaves out of the sum. A transaction of another payout is an
 * 'invalid_payload' error naming its path.
 */
export function shopifyPayoutTransactionsToLines(payout: unknown, transactions: unknown, options: ShopifyPayoutOptions = {}): SettlementLine[] {
  const source = payoutNode(payout);
  const payoutId = source.at('id').id();
  const currency = source.at('currency').text().toUpperCase();
  const root = new ShopifyNode(transactions);
  const list = Array.isArray(root.value) ? root.optionalList() : root.object().at('transactions').list();
  return list.flatMap((node) => {
    const payoutOf = node.object().at('payout_id').optionalId();
    if (payoutOf !== undefined && payoutOf !== payoutId) node.at('payout_id').fail(`is ${payoutOf}, not payout ${payoutId}`);
    return shopifyBalanceTransactionToLines(node, currency, options).map((line) =>
      line.reference === payoutId && line.kind !== 'payout' && line.kind !== 'fee' ? { ...line, kind: 'payout' as const } : line,
    );
  });
}

/**
 * A Shopify Payments payout (`GET /shopify_payments/payouts/{id}.json`, the body or its `payout`) as a
 * canonical payout: amount in minor units, status (scheduled → pending, canceled → cancelled),
 * arrivalDate = `date`, lines from its balance transactions when given.
 */
export function shopifyPayoutToCanonical(payout: unknown, transactions?: unknown, options: ShopifyPayoutOptions = {}): Payout {
  const source = payoutNode(payout);
  const id = source.at('id').id();
  const currency = source.at('currency').text().toUpperCase();
  const statusNode = source.at('status');
  const status = payoutStatuses[statusNode.text()] ?? statusNode.fail(`is ${JSON.stringify(statusNode.value)}, not a known payout status`);
  const dateNode = source.at('date');
  const date = dateNode.optionalText();
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) dateNode.fail(`must be a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return {
    id,
    provider: 'shopify_payments',
    reference: id,
    currency,
    amount: toMinor(source.at('amount'), currency),
    status,
    ...definedOnly({ arrivalDate: date }),
    lines: transactions === undefined ? [] : shopifyPayoutTransactionsToLines(source.value, transactions, options),
  };
}

/** Gross and fee of one category of a payout summary, in minor units. */
export interface ShopifyPayoutSummaryPart {
  gross: number;
  fee: number;
}

/** Shopify's own summary of a payout by category, and the net it implies (Σ gross − Σ fee). */
export interface ShopifyPayoutSummary {
  currency: string;
  charges: ShopifyPayoutSummaryPart;
  refunds: ShopifyPayoutSummaryPart;
  adjustments: ShopifyPayoutSummaryPart;
  reservedFunds: ShopifyPayoutSummaryPart;
  retriedPayouts: ShopifyPayoutSummaryPart;
  net: number;
}

/** The payout's `summary` in minor units, with its implied net, to check a payout without fetching its transactions. */
export function shopifyPayoutSummary(payout: unknown): ShopifyPayoutSummary {
  const source = payoutNode(payout);
  const currency = source.at('currency').text().toUpperCase();
  const summary = source.at('summary').object();
  const part = (prefix: string): ShopifyPayoutSummaryPart => ({
    gross: summary.at(`${prefix}_gross_amount`).present ? toMinor(summary.at(`${prefix}_gross_amount`), currency) : 0,
    fee: summary.at(`${prefix}_fee_amount`).present ? toMinor(summary.at(`${prefix}_fee_amount`), currency) : 0,
  });
  const parts = {
    charges: part('charges'),
    refunds: part('refunds'),
    adjustments: part('adjustments'),
    reservedFunds: part('reserved_funds'),
    retriedPayouts: part('retried_payouts'),
  };
  const net = Object.values(parts).reduce((sum, { gross, fee }) => sum + gross - fee, 0);
  return { currency, ...parts, net };
}
