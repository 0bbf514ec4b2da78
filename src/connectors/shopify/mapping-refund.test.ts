import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../framework/index.js';
import { shopifyRefundToEvent } from './mapping.js';
import { failure, readShopifyCorpus, type Json } from './test-support.js';

const read = readShopifyCorpus;


describe('shopifyRefundToEvent', () => {
  it('refunds_create (2026-04): exact line ids from the nested line items, amount from the refund transactions', () => {
    // Shopify's sample refunds all five lines (subtotal_set, no tax) but its transactions give back
    // 75.00 + 10.00: the amount is what the transactions moved; the lines keep their own figures.
    // order_id was rounded upstream (…500, no gid beside it); from Shopify's raw text it is exact.
    const event = shopifyRefundToEvent(read('webhooks-2026-04/refunds_create.json').response);
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event).toEqual({
      kind: 'refund',
      orderExternalId: '820982911946154500',
      refund: {
        reference: '890088186047892319',
        currency: 'USD',
        amount: 8500,
        lines: [
          { lineId: '487817672276298554', quantity: 1, amount: 8999 },
          { lineId: '789012345678901234', quantity: 1, amount: 1999 },
          { lineId: '890123456789012345', quantity: 1, amount: 2499 },
          { lineId: '976318377106520349', quantity: 1, amount: 15999 },
          { lineId: '315789986012684393', quantity: 1, amount: 11999 },
        ],
        reason: 'Things were damaged',
        restock: false,
        createdAt: '2021-12-31T19:00:00-05:00',
      },
    });
  });

  it('refund.json (REST): line amounts from the line items\' price and tax_lines, currency from the transaction', () => {
    // No subtotal_set: each line is 199.00 + its State Tax 3.98; the transaction refunded 209.00.
    const event = shopifyRefundToEvent(read('rest-fixtures/refund.json').refund);
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event).toEqual({
      kind: 'refund',
      orderExternalId: '450789469',
      refund: {
        reference: '509562969',
        currency: 'USD',
        amount: 20900,
        lines: [
          { lineId: '703073504', quantity: 1, amount: 20298 },
          { lineId: '466157049', quantity: 1, amount: 20298 },
        ],
        reason: 'it broke during shipping',
        restock: true,
        createdAt: '2016-06-20T13:35:06-04:00',
      },
    });
  });

  it('adds refunded shipping, restocks on return, and sums lines when no transaction succeeded', () => {
    const raw = read('webhooks-2026-04/refunds_create.json').response;
    raw.refund_line_items = raw.refund_line_items.slice(0, 2);
    raw.refund_line_items[0].restock_type = 'return';
    raw.refund_line_items[1].total_tax_set.shop_money.amount = '1.60';
    raw.order_adjustments = [
      { kind: 'shipping_refund', amount: '-5.00', tax_amount: '-0.40', amount_set: { shop_money: { amount: '-5.00', currency_code: 'USD' }, presentment_money: { amount: '-5.00', currency_code: 'USD' } } },
      { kind: 'refund_discrepancy', amount: '-1.00' },
    ];
    raw.transactions = raw.transactions.map((t: Json) => ({ ...t, status: 'failure' }));
    const event = shopifyRefundToEvent(raw);
    expect(event.refund).toMatchObject({
      lines: [
        { lineId: '487817672276298554', quantity: 1, amount: 8999 },
        { lineId: '789012345678901234', quantity: 1, amount: 2159 },
      ],
      shipping: 540,
      restock: true,
      // 89.99 + 21.59 + 5.40 − 1.00
      amount: 11598,
    });
  });

  it('prefers refund_shipping_lines over shipping adjustments', () => {
    const raw = read('webhooks-2026-04/refunds_create.json').response;
    raw.refund_shipping_lines = [{ subtotal_amount_set: { shop_money: { amount: '10.00', currency_code: 'USD' }, presentment_money: { amount: '10.00', currency_code: 'USD' } } }];
    raw.order_adjustments = [{ kind: 'shipping_refund', amount: '-10.00', tax_amount: '0.00' }];
    expect(shopifyRefundToEvent(raw).refund.shipping).toBe(1000);
  });

  it('refuses a refund with no currency anywhere unless one is given', () => {
    const raw = read('rest-fixtures/refund.json').refund;
    for (const t of raw.transactions) delete t.currency;
    expect(failure(() => shopifyRefundToEvent(raw))).toMatchObject({
      code: 'invalid_payload',
      message: '/currency is required: the payload names no currency (no *_set amounts), so pass options.currency',
    });
    expect(shopifyRefundToEvent(raw, { currency: 'USD' }).refund.amount).toBe(20900);
  });

  it('names the path of a malformed refund line', () => {
    const raw = read('webhooks-2026-04/refunds_create.json').response;
    raw.refund_line_items[2].subtotal_set.shop_money.amount = '24.999';
    expect(failure(() => shopifyRefundToEvent(raw))).toMatchObject({
      code: 'invalid_payload',
      message: '/refund_line_items/2/subtotal_set/shop_money/amount is not a valid USD amount: 24.999 has more than 2 decimal places, the minor unit of USD',
    });
  });
});
