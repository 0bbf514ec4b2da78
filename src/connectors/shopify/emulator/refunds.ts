import { minorToDecimal } from '../../../model/index.js';
import { connection, type ShopContext } from './context.js';
import type { OrderBook, UserErrorBody } from './orders.js';
import { amountOf, gid, graphqlTime, idText, list, moneySet, numericId, quantityOf, restId, restTime, text, type JsonObject } from './support.js';

/** `refundCreate`: refunds lines, shipping and money, updates the order and sends refunds/create and orders/updated. */
export function refundOrder(book: OrderBook, context: ShopContext, input: JsonObject): { refund: JsonObject | null; order: JsonObject | null; userErrors: UserErrorBody[] } {
  const fail = (field: string[] | null, message: string) => ({ refund: null, order: null, userErrors: [{ field, message }] });
  const order = book.find(input['orderId']);
  if (!order) return fail(['orderId'], 'Order does not exist.');
  const currency = String(order.body['currency'] ?? context.shop.currency);
  const previous = list(order.body['refunds']);
  const refundedQuantity = (lineId: string) =>
    previous.flatMap((r) => list(r['refund_line_items'])).filter((r) => idText(r['line_item_id']) === lineId).reduce((n, r) => n + quantityOf(r['quantity']), 0);

  const refundLines: JsonObject[] = [];
  for (const [i, requested] of list(input['refundLineItems']).entries()) {
    const line = book.lineOf(order, requested['lineItemId']);
    if (!line) return fail(['refundLineItems', String(i), 'lineItemId'], 'Line item does not exist.');
    const quantity = quantityOf(requested['quantity']);
    const ordered = quantityOf(line['quantity']);
    if (quantity <= 0 || quantity + refundedQuantity(idText(line['id'])!) > ordered) {
      return fail(['refundLineItems', String(i), 'quantity'], 'Quantity cannot refund more items than were purchased.');
    }
    const unit = amountOf(line, 'price', currency);
    const allocations = list(line['discount_allocations']);
    const discount = allocations.length > 0 ? allocations.reduce((n, a) => n + amountOf(a, 'amount', currency), 0) : amountOf(line, 'total_discount', currency);
    const tax = list(line['tax_lines']).reduce((n, t) => n + amountOf(t, 'price', currency), 0);
    const subtotal = unit * quantity - Math.round((discount * quantity) / Math.max(1, ordered));
    const lineTax = Math.round((tax * quantity) / Math.max(1, ordered));
    const restockType = String(requested['restockType'] ?? 'NO_RESTOCK').toLowerCase();
    const refundLineId = context.nextId();
    refundLines.push({
      id: restId(refundLineId),
      quantity,
      line_item_id: line['id'],
      location_id: restockType === 'no_restock' ? null : restId(numericId(requested['locationId']) ?? context.shop.locationId),
      restock_type: restockType,
      subtotal: Number(minorToDecimal(subtotal, currency)),
      total_tax: Number(minorToDecimal(lineTax, currency)),
      subtotal_set: moneySet(subtotal, currency),
      total_tax_set: moneySet(lineTax, currency),
      line_item: line,
    });
  }

  const shippingLines = list(order.body['shipping_lines']);
  const shippingTotal = shippingLines.reduce((n, l) => n + amountOf(l, 'price', currency), 0);
  const shippingRefunded = previous.flatMap((r) => list(r['refund_shipping_lines'])).reduce((n, l) => n + amountOf(l, 'subtotal_amount', currency), 0);
  const shippingInput = (typeof input['shipping'] === 'object' && input['shipping'] !== null ? input['shipping'] : {}) as JsonObject;
  const shipping = shippingInput['fullRefund'] === true ? shippingTotal - shippingRefunded : amountOf(shippingInput, 'amount', currency);
  if (shipping > shippingTotal - shippingRefunded) return fail(['shipping', 'amount'], 'Shipping refund amount exceeds the refundable shipping amount.');

  const transactions = list(input['transactions']);
  for (const [i, t] of transactions.entries()) {
    if (t['kind'] !== 'REFUND') return fail(['transactions', String(i), 'kind'], 'Transaction kind must be REFUND.');
    if (amountOf(t, 'amount', currency) <= 0) return fail(['transactions', String(i), 'amount'], 'Amount must be greater than zero.');
  }
  const refunding = transactions.reduce((n, t) => n + amountOf(t, 'amount', currency), 0);
  const alreadyRefunded = previous.flatMap((r) => list(r['transactions'])).reduce((n, t) => n + amountOf(t, 'amount', currency), 0);
  const paid = amountOf(order.body, 'total_price', currency);
  if (input['allowOverRefunding'] !== true && refunding + alreadyRefunded > paid) {
    return fail(['transactions'], `Refund amount ${minorToDecimal(refunding, currency)} exceeds the refundable amount ${minorToDecimal(paid - alreadyRefunded, currency)}.`);
  }
  if (refundLines.length === 0 && shipping === 0 && refunding === 0) return fail(null, 'A refund must refund line items, shipping or money.');

  const now = context.now();
  const refundId = context.nextId();
  const gateway = text(order.body['gateway']) ?? (Array.isArray(order.body['payment_gateway_names']) ? text(order.body['payment_gateway_names'][0]) : null) ?? 'manual';
  const restTransactions = transactions.map((t) => {
    const transactionId = context.nextId();
    return {
      id: restId(transactionId),
      admin_graphql_api_id: gid('OrderTransaction', transactionId),
      order_id: restId(order.id),
      kind: 'refund',
      gateway: text(t['gateway']) ?? gateway,
      status: 'success',
      message: 'Refunded',
      created_at: restTime(now),
      processed_at: restTime(now),
      test: false,
      authorization: null,
      parent_id: t['parentId'] === undefined ? null : restId(numericId(t['parentId']) ?? '0'),
      amount: minorToDecimal(amountOf(t, 'amount', currency), currency),
      currency,
      source_name: 'web',
      receipt: {},
      error_code: null,
    };
  });
  const refundShippingLines =
    shipping > 0 && shippingLines[0]
      ? [{ id: restId(context.nextId()), shipping_line_id: shippingLines[0]['id'] ?? null, subtotal_amount_set: moneySet(shipping, currency), total_tax_amount_set: moneySet(0, currency) }]
      : [];
  const rest: JsonObject = {
    id: restId(refundId),
    admin_graphql_api_id: gid('Refund', refundId),
    order_id: restId(order.id),
    created_at: restTime(now),
    processed_at: restTime(now),
    note: text(input['note']),
    user_id: null,
    restock: refundLines.some((l) => l['restock_type'] !== 'no_restock'),
    duties: [],
    total_duties_set: moneySet(0, currency),
    return: null,
    order_adjustments: [],
    refund_line_items: refundLines,
    refund_shipping_lines: refundShippingLines,
    transactions: restTransactions,
  };
  order.body['refunds'] = [...previous, rest];
  const refundedTotal = alreadyRefunded + refunding;
  if (refundedTotal >= paid && paid > 0) order.body['financial_status'] = 'refunded';
  else if (refundedTotal > 0) order.body['financial_status'] = 'partially_refunded';
  book.touch(order);
  context.emit('refunds/create', rest);
  context.emit('orders/updated', order.body);
  const money = (amount: number) => ({ amount: minorToDecimal(amount, currency), currencyCode: currency });
  return {
    refund: {
      __typename: 'Refund',
      id: gid('Refund', refundId),
      legacyResourceId: refundId,
      createdAt: graphqlTime(now),
      note: rest['note'],
      totalRefundedSet: { shopMoney: money(refunding), presentmentMoney: money(refunding) },
      transactions: (args: JsonObject) =>
        connection(
          restTransactions.map((t) => ({
            __typename: 'OrderTransaction',
            id: t.admin_graphql_api_id,
            kind: 'REFUND',
            status: 'SUCCESS',
            gateway: t.gateway,
            amountSet: { shopMoney: { amount: t.amount, currencyCode: currency }, presentmentMoney: { amount: t.amount, currencyCode: currency } },
          })),
          args,
        ),
    },
    order: book.node(order),
    userErrors: [],
  };
}
