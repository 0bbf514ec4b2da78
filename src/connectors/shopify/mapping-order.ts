import {
  allocate,
  minorToDecimal,
  parseOrder,
  permanentError,
  rateToString,
  type OrderInput,
  type ShippingLine,
  type TaxLine,
  type TillbridgeError,
} from '../../model/index.js';
import type { InboundEvent } from '../framework/index.js';
import { shopifyAddress, shopifyCustomer, shopifyNoteAttributes, shopifyOrderPayments, shopifyTags } from './mapping-party.js';
import { definedOnly, exactId, readMoney, readOptionalMoney, ShopifyNode, sum, type MoneyContext } from './mapping-support.js';

/** Which of Shopify's two currencies a mapping reads: the shop's own, or the one the buyer saw. */
export type ShopifyMoneyMode = 'shop' | 'presentment';

/** Options of {@link shopifyOrderToCanonical}. */
export interface ShopifyOrderOptions {
  /** 'shop' (default): shop currency and `*_set.shop_money`; 'presentment': the buyer's currency and `*_set.presentment_money`. */
  money?: ShopifyMoneyMode;
}

interface DraftLine {
  lineId: string;
  sku: string;
  title: string | undefined;
  quantity: number;
  unitPrice: number;
  discount: number;
  taxes: TaxLine[];
  taxable: boolean;
}

/** The currency and money side an order (or a resource of it) is read in. */
export function orderMoneyContext(order: ShopifyNode, mode: ShopifyMoneyMode = 'shop'): MoneyContext {
  const shopCurrency = order.at('currency').optionalText() ?? order.at('total_price_set').at('shop_money').at('currency_code').optionalText();
  if (mode === 'shop') {
    const currency = shopCurrency ?? order.at('currency').fail('is required');
    return { currency, side: 'shop_money', plainFieldsMatch: true };
  }
  const currency =
    order.at('presentment_currency').optionalText() ??
    order.at('total_price_set').at('presentment_money').at('currency_code').optionalText() ??
    shopCurrency ??
    order.at('presentment_currency').fail('is required');
  return { currency, side: 'presentment_money', plainFieldsMatch: currency === shopCurrency };
}

/** Tax lines of a line item or shipping line. */
export function shopifyTaxLines(parent: ShopifyNode, money: MoneyContext): TaxLine[] {
  return parent
    .at('tax_lines')
    .optionalList()
    .map((tax) => {
      tax.object();
      const rate = tax.at('rate').present ? rateToString(tax.at('rate').decimal()) : undefined;
      return { name: tax.at('title').optionalText() ?? 'Tax', ...(rate === undefined ? {} : { rate }), amount: readMoney(tax, 'price', 'price_set', money) };
    });
}

function allocatedDiscount(parent: ShopifyNode, money: MoneyContext): number {
  return sum(parent.at('discount_allocations').optionalList().map((allocation) => readMoney(allocation.object(), 'amount', 'amount_set', money)));
}

/** SKU of a line: its sku, else its variant id (the product mapping's fallback too), else `shopify-line-<line id>`. */
export function shopifyLineSku(line: ShopifyNode, lineId: string): string {
  return line.at('sku').optionalText()?.trim() ?? line.at('variant_id').optionalId() ?? `shopify-line-${lineId}`;
}

function draftLine(line: ShopifyNode, money: MoneyContext): DraftLine {
  line.object();
  const lineId = exactId(line);
  const hasAllocations = line.at('discount_allocations').present;
  return {
    lineId,
    sku: shopifyLineSku(line, lineId),
    title: line.at('title').optionalText() ?? line.at('name').optionalText(),
    quantity: line.at('quantity').integer(),
    unitPrice: readMoney(line, 'price', 'price_set', money),
    discount: hasAllocations ? allocatedDiscount(line, money) : (readOptionalMoney(line, 'total_discount', 'total_discount_set', money) ?? 0),
    taxes: shopifyTaxLines(line, money),
    taxable: line.at('taxable').optionalBoolean() ?? true,
  };
}

/**
 * A shipping line. Its discount is Σ discount_allocations; when it carries none but its
 * discounted_price is lower than its price (the 2026-04 orders/* sample: "Generic Shipping"
 * 10.00 discounted to 0.00), the difference is its discount.
 */
function shippingLine(node: ShopifyNode, money: MoneyContext): ShippingLine {
  node.object();
  const price = readMoney(node, 'price', 'price_set', money);
  const allocated = allocatedDiscount(node, money);
  const discounted = readOptionalMoney(node, 'discounted_price', 'discounted_price_set', money);
  const discount = allocated === 0 && discounted !== undefined && discounted < price ? price - discounted : allocated;
  const method = node.at('title').optionalText() ?? node.at('code').optionalText() ?? 'Shipping';
  return { method, price, discount, taxes: shopifyTaxLines(node, money) };
}

function net(line: DraftLine): number {
  return line.quantity * line.unitPrice - line.discount;
}

/**
 * Spreads the part of total_discounts no line or shipping line accounts for (a code applied to
 * the order without per-line allocations) across the lines by largest remainder, weighted by each
 * line's extended price less its own discount, so no line is discounted beyond its price.
 */
function spreadOrderDiscount(order: ShopifyNode, lines: DraftLine[], shipping: ShippingLine[], money: MoneyContext): void {
  const total = readOptionalMoney(order, 'total_discounts', 'total_discounts_set', money);
  if (total === undefined) return;
  const explained = sum(lines.map((line) => line.discount)) + sum(shipping.map((charge) => charge.discount));
  const rest = total - explained;
  if (rest === 0) return;
  const capacity = lines.map(net);
  if (rest < 0 || rest > sum(capacity)) {
    throw mismatch(
      `Shopify total_discounts ${show(total, money)} cannot be reconciled with the discounts allocated to lines and shipping (${show(explained, money)}) and the lines' prices`,
      { totalDiscounts: total, allocated: explained },
    );
  }
  allocate(rest, capacity).forEach((part, index) => {
    lines[index]!.discount += part;
  });
}

/**
 * Older REST orders carry taxes only at order level (`tax_lines` on the order, none on its lines):
 * each order tax line is spread across the taxable lines by largest remainder, weighted by net price.
 */
function spreadOrderTaxes(order: ShopifyNode, lines: DraftLine[], money: MoneyContext): void {
  const orderTaxes = shopifyTaxLines(order, money);
  if (orderTaxes.length === 0) return;
  const weights = lines.map((line) => (line.taxable ? net(line) : 0));
  for (const tax of orderTaxes) {
    allocate(tax.amount, weights).forEach((amount, index) => {
      if (amount !== 0) lines[index]!.taxes.push({ ...tax, amount });
    });
  }
}

function show(minor: number, money: MoneyContext): string {
  return `${minorToDecimal(minor, money.currency)} ${money.currency}`;
}

function mismatch(message: string, details: Record<string, unknown>): TillbridgeError {
  return permanentError('mapping_mismatch', message, 422, details);
}

const unmappedComponents = [
  ['total_tip_received', 'total_tip_received_set'],
  ['original_total_duties', 'original_total_duties_set'],
  ['original_total_additional_fees', 'original_total_additional_fees_set'],
  ['total_cash_rounding_payment_adjustment', 'total_cash_rounding_payment_adjustment_set'],
] as const;

function unmappedAmounts(order: ShopifyNode, money: MoneyContext): string[] {
  return unmappedComponents.flatMap(([plain, set]) => {
    const amount = readOptionalMoney(order, plain, set, money);
    return amount === undefined || amount === 0 ? [] : [`${plain} ${show(amount, money)}`];
  });
}

function lineItemsDiscrepancy(order: ShopifyNode, subtotal: number, money: MoneyContext): string {
  const declared = readOptionalMoney(order, 'total_line_items_price', 'total_line_items_price_set', money);
  if (declared === undefined || declared === subtotal) return '';
  return `; Shopify's own total_line_items_price ${show(declared, money)} differs from Σ line_items price × quantity ${show(subtotal, money)}`;
}

type Totals = OrderInput['totals'];

function checkAgainstShopify(order: ShopifyNode, totals: Totals, taxesIncluded: boolean, money: MoneyContext): void {
  const shopifyTax = readOptionalMoney(order, 'total_tax', 'total_tax_set', money);
  if (shopifyTax !== undefined && shopifyTax !== totals.tax) {
    throw mismatch(`Shopify total_tax ${show(shopifyTax, money)} does not match the mapped taxes ${show(totals.tax, money)} (Σ line and shipping tax_lines)`, {
      shopifyTotalTax: shopifyTax,
      mappedTax: totals.tax,
    });
  }
  const shopifyTotal = readMoney(order, 'total_price', 'total_price_set', money);
  if (shopifyTotal === totals.total) return;
  const extras = unmappedAmounts(order, money);
  const parts = `subtotal ${show(totals.subtotal, money)} − discount ${show(totals.discount, money)} + shipping ${show(totals.shipping, money)}`;
  const tax = taxesIncluded ? ', taxes included' : ` + tax ${show(totals.tax, money)}`;
  throw mismatch(
    `Shopify total_price ${show(shopifyTotal, money)} does not match the mapped total ${show(totals.total, money)} (${parts}${tax})` +
      lineItemsDiscrepancy(order, totals.subtotal, money) +
      (extras.length > 0 ? `; Shopify also charged ${extras.join(', ')}, which the canonical order has no place for` : ''),
    { shopifyTotal, mappedTotal: totals.total, totals, unmapped: extras },
  );
}

function orderTotals(lines: DraftLine[], shipping: ShippingLine[], taxesIncluded: boolean): Totals {
  const subtotal = sum(lines.map((line) => line.quantity * line.unitPrice));
  const discount = sum(lines.map((line) => line.discount)) + sum(shipping.map((charge) => charge.discount ?? 0));
  const shippingTotal = sum(shipping.map((charge) => charge.price));
  const taxes = [...lines.flatMap((line) => line.taxes), ...shipping.flatMap((charge) => charge.taxes ?? [])];
  const tax = sum(taxes.map((t) => t.amount));
  return { subtotal, discount, shipping: shippingTotal, tax, total: subtotal - discount + shippingTotal + (taxesIncluded ? 0 : tax) };
}

/** What is still owed on a partially paid order, when readable in the mapping's currency (2026-04 has no total_outstanding_set). */
function paidOutstanding(order: ShopifyNode, money: MoneyContext): number | undefined {
  if (order.at('financial_status').value !== 'partially_paid') return undefined;
  if (!money.plainFieldsMatch && !order.at('total_outstanding_set').present) return undefined;
  return readOptionalMoney(order, 'total_outstanding', 'total_outstanding_set', money);
}

/**
 * A Shopify order (REST/webhook shape, 2026-04 or older) as a canonical order, exactly: ids from
 * admin_graphql_api_id, money in minor units, unallocated order discounts spread over the lines;
 * throws 'mapping_mismatch' when the result does not add up to Shopify's own total_price.
 */
export function shopifyOrderToCanonical(connectionId: string, order: unknown, options: ShopifyOrderOptions = {}): OrderInput {
  const root = new ShopifyNode(order).object();
  const money = orderMoneyContext(root, options.money);
  const externalId = exactId(root);
  const items = root.at('line_items').list();
  if (items.length === 0) root.at('line_items').fail('must hold at least one line item');
  const lines = items.map((item) => draftLine(item, money));
  const shippingNodes = root.at('shipping_lines').optionalList();
  const shipping = shippingNodes.map((node) => shippingLine(node, money));
  spreadOrderDiscount(root, lines, shipping, money);
  if (![...items, ...shippingNodes].some((node) => node.at('tax_lines').present)) spreadOrderTaxes(root, lines, money);

  const taxesIncluded = root.at('taxes_included').optionalBoolean() ?? false;
  const totals = orderTotals(lines, shipping, taxesIncluded);
  const outstanding = paidOutstanding(root, money);
  const placedAt = root.at('created_at').optionalTimestamp() ?? root.at('processed_at').timestamp();
  const canonical: OrderInput = {
    source: connectionId,
    externalId,
    ...definedOnly({ number: root.at('name').optionalText() }),
    placedAt,
    currency: money.currency,
    taxesIncluded,
    ...definedOnly({
      customer: shopifyCustomer(root),
      shippingAddress: shopifyAddress(root.at('shipping_address')),
      billingAddress: shopifyAddress(root.at('billing_address')),
    }),
    lines: lines.map(({ taxable: _taxable, title, ...line }) => ({ ...line, ...definedOnly({ title }) })),
    shipping,
    payments: shopifyOrderPayments(root, externalId, totals.total, outstanding),
    totals,
    ...definedOnly({ note: root.at('note').optionalText(), tags: shopifyTags(root.at('tags')), attributes: shopifyNoteAttributes(root.at('note_attributes')) }),
  };
  const parsed = parseOrder(canonical);
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    throw permanentError('invalid_payload', `the mapped order violates the canonical model: ${first.pointer} ${first.detail}`, 422, parsed.errors);
  }
  checkAgainstShopify(root, totals, taxesIncluded, money);
  return canonical;
}

/** The channel's own statuses of an order (financial_status, fulfillment_status, cancelled_at), for the order event. */
export function shopifyOrderChannelStatus(order: unknown): Record<string, string> {
  const root = new ShopifyNode(order).object();
  return definedOnly({
    financial_status: root.at('financial_status').optionalText(),
    fulfillment_status: root.at('fulfillment_status').optionalText(),
    cancelled_at: root.at('cancelled_at').optionalTimestamp(),
  }) as Record<string, string>;
}

/** orders/cancelled as the canonical cancellation (exact order id, cancelled_at, cancel_reason). */
export function shopifyOrderCancellation(order: unknown): Extract<InboundEvent, { kind: 'order-cancelled' }> {
  const root = new ShopifyNode(order).object();
  return {
    kind: 'order-cancelled',
    orderExternalId: exactId(root),
    cancelledAt: root.at('cancelled_at').timestamp(),
    ...definedOnly({ reason: root.at('cancel_reason').optionalText() }),
  };
}
