import type { InboundEvent } from '../framework/index.js';
import type { ShopifyMoneyMode } from './mapping-order.js';
import { definedOnly, exactId, prorate, readMoney, readOptionalMoney, ShopifyNode, sum, type MoneyContext } from './mapping-support.js';

/** A canonical refund event. */
export type RefundEvent = Extract<InboundEvent, { kind: 'refund' }>;

/** Options of the refund and transaction mappers. */
export interface ShopifyMoneyOptions {
  /** 'shop' (default) reads `*_set.shop_money`, 'presentment' reads `*_set.presentment_money`. */
  money?: ShopifyMoneyMode;
  /** Currency to assume when the payload names none (older REST refunds and transactions without `currency`). */
  currency?: string;
}

type Side = MoneyContext['side'];

/** The first currency code on `side` of any `*_set` money bag inside `node` (depth first), if any. */
export function currencyInSets(node: unknown, side: Side): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = currencyInSets(item, side);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  for (const [key, value] of Object.entries(node)) {
    const bag = key.endsWith('_set') && typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[side] : undefined;
    const code = typeof bag === 'object' && bag !== null ? (bag as Record<string, unknown>).currency_code : undefined;
    if (typeof code === 'string' && code !== '') return code;
    const found = currencyInSets(value, side);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The money context of a refund or transaction: currency from its `*_set` bags, else its transactions, else options.currency. */
export function resourceMoneyContext(root: ShopifyNode, fallbacks: (string | undefined)[], options: ShopifyMoneyOptions): MoneyContext {
  const side: Side = options.money === 'presentment' ? 'presentment_money' : 'shop_money';
  const shop = currencyInSets(root.value, 'shop_money');
  const presentment = currencyInSets(root.value, 'presentment_money');
  const currency =
    (side === 'shop_money' ? shop : presentment) ??
    fallbacks.find((code) => code !== undefined) ??
    options.currency ??
    root.at('currency').fail('is required: the payload names no currency (no *_set amounts), so pass options.currency');
  return { currency, side, plainFieldsMatch: side === 'shop_money' || shop === undefined || shop === presentment };
}

const RESTOCKING = new Set(['return', 'cancel', 'legacy_restock']);
const SHIPPING_ADJUSTMENTS = new Set(['shipping_refund', 'refund_shipping']);

interface RefundLineDraft {
  lineId: string;
  quantity: number;
  amount: number;
  restockType: string | undefined;
}

/** The refunded part of a line when the refund line carries no subtotal (older REST): price × quantity less its share of the line discount. */
function lineFallbackSubtotal(item: ShopifyNode, quantity: number, money: MoneyContext): number {
  const ordered = item.at('quantity').optionalInteger() ?? quantity;
  const price = readMoney(item, 'price', 'price_set', money);
  const allocations = item.at('discount_allocations').optionalList();
  const discount =
    allocations.length > 0
      ? sum(allocations.map((a) => readMoney(a.object(), 'amount', 'amount_set', money)))
      : (readOptionalMoney(item, 'total_discount', 'total_discount_set', money) ?? 0);
  return price * quantity - prorate(discount, quantity, ordered);
}

function lineFallbackTax(item: ShopifyNode, quantity: number, money: MoneyContext): number {
  const ordered = item.at('quantity').optionalInteger() ?? quantity;
  const tax = sum(item.at('tax_lines').optionalList().map((t) => readMoney(t.object(), 'price', 'price_set', money)));
  return prorate(tax, quantity, ordered);
}

function refundLine(node: ShopifyNode, money: MoneyContext): RefundLineDraft {
  node.object();
  const item = node.at('line_item');
  const lineId = item.present ? exactId(item.object()) : node.at('line_item_id').id();
  const quantity = node.at('quantity').integer();
  const subtotal = readOptionalMoney(node, 'subtotal', 'subtotal_set', money) ?? lineFallbackSubtotal(item.object(), quantity, money);
  const tax = readOptionalMoney(node, 'total_tax', 'total_tax_set', money) ?? lineFallbackTax(item.object(), quantity, money);
  return { lineId, quantity, amount: subtotal + tax, restockType: node.at('restock_type').optionalText() };
}

/** Shipping given back: refund_shipping_lines when present, else order_adjustments of kind shipping_refund (amount and tax, as positive figures). */
function refundedShipping(root: ShopifyNode, money: MoneyContext): number | undefined {
  const lines = root.at('refund_shipping_lines').optionalList();
  if (lines.length > 0) {
    return sum(
      lines.map((line) => {
        line.object();
        return readMoney(line, 'subtotal_amount', 'subtotal_amount_set', money) + (readOptionalMoney(line, 'total_tax_amount', 'total_tax_amount_set', money) ?? 0);
      }),
    );
  }
  const adjustments = root
    .at('order_adjustments')
    .optionalList()
    .filter((adjustment) => SHIPPING_ADJUSTMENTS.has(adjustment.object().at('kind').optionalText() ?? ''));
  if (adjustments.length === 0) return undefined;
  return sum(
    adjustments.map(
      (adjustment) =>
        Math.abs(readMoney(adjustment, 'amount', 'amount_set', money)) + Math.abs(readOptionalMoney(adjustment, 'tax_amount', 'tax_amount_set', money) ?? 0),
    ),
  );
}

function discrepancy(root: ShopifyNode, money: MoneyContext): number {
  const adjustments = root
    .at('order_adjustments')
    .optionalList()
    .filter((adjustment) => adjustment.at('kind').optionalText() === 'refund_discrepancy');
  return sum(adjustments.map((adjustment) => readMoney(adjustment, 'amount', 'amount_set', money)));
}

/** Σ successful refund transactions, when they are all in the mapping's currency; undefined otherwise. */
function refundedByTransactions(root: ShopifyNode, money: MoneyContext, presentment: string | undefined): number | undefined {
  const refunds = root
    .at('transactions')
    .optionalList()
    .filter((t) => t.object().at('kind').optionalText() === 'refund' && t.at('status').optionalText() === 'success');
  if (refunds.length === 0) return undefined;
  const currencies = refunds.map((t) => t.at('currency').optionalText() ?? presentment ?? money.currency);
  if (currencies.some((code) => code !== money.currency)) return undefined;
  return sum(refunds.map((t) => readMoney(t, 'amount', 'amount_set', { ...money, plainFieldsMatch: true })));
}

/**
 * refunds/create as a canonical refund: lines from refund_line_items (subtotal + tax, exact line
 * ids), shipping from refund_shipping_lines / shipping_refund adjustments, amount = the successful
 * refund transactions (the money actually given back), else Σ lines + shipping + discrepancy.
 */
export function shopifyRefundToEvent(refund: unknown, options: ShopifyMoneyOptions = {}): RefundEvent {
  const root = new ShopifyNode(refund).object();
  const items = root.at('refund_line_items').optionalList();
  const transactionCurrencies = root
    .at('transactions')
    .optionalList()
    .map((t) => t.at('currency').optionalText());
  const money = resourceMoneyContext(root, transactionCurrencies, options);
  const lines = items
    .map((node) => refundLine(node, money))
    .filter((line) => line.quantity > 0);
  const shipping = refundedShipping(root, money);
  const computed = Math.max(0, sum(lines.map((line) => line.amount)) + (shipping ?? 0) + discrepancy(root, money));
  const amount = refundedByTransactions(root, money, currencyInSets(root.value, 'presentment_money')) ?? computed;
  const restockTypes = lines.map((line) => line.restockType).filter((type) => type !== undefined);
  const restock = restockTypes.length > 0 ? restockTypes.some((type) => RESTOCKING.has(type)) : root.at('restock').optionalBoolean();
  return {
    kind: 'refund',
    orderExternalId: root.at('order_id').id(),
    refund: {
      reference: exactId(root),
      currency: money.currency,
      amount,
      ...(lines.length > 0 ? { lines: lines.map(({ lineId, quantity, amount: lineAmount }) => ({ lineId, quantity, amount: lineAmount })) } : {}),
      ...definedOnly({ shipping, reason: root.at('note').optionalText(), restock }),
      createdAt: root.at('created_at').optionalTimestamp() ?? root.at('processed_at').timestamp(),
    },
  };
}
