import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../framework/index.js';
import { shopifyTransactionToEvent } from './mapping.js';
import { failure, readShopifyCorpus } from './test-support.js';

const read = readShopifyCorpus;


const restAuthorization = {
  kind: 'payment',
  orderExternalId: '450789469',
  transaction: {
    id: '389404469',
    provider: 'bogus',
    reference: '389404469',
    orderId: '450789469',
    kind: 'authorization',
    status: 'succeeded',
    amount: { amount: 40994, currency: 'USD' },
    occurredAt: '2005-08-01T11:57:11-04:00',
  },
};

describe('shopifyTransactionToEvent', () => {
  it('order_transactions_create (2026-04): exact transaction id from the gid', () => {
    // order_id was rounded upstream in the corpus (no gid beside it); Shopify's raw text is exact.
    const event = shopifyTransactionToEvent(read('webhooks-2026-04/order_transactions_create.json').response);
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event).toEqual({
      kind: 'payment',
      orderExternalId: '820982911946154500',
      transaction: {
        id: '120560818172775265',
        provider: 'visa',
        reference: '120560818172775265',
        orderId: '820982911946154500',
        kind: 'authorization',
        status: 'succeeded',
        amount: { amount: 41995, currency: 'USD' },
        occurredAt: '2021-12-31T19:00:00-05:00',
      },
    });
  });

  it('transaction.json and transactions.json (REST, no currency field): need the shop currency', () => {
    const single = read('rest-fixtures/transaction.json').transaction;
    expect(failure(() => shopifyTransactionToEvent(single))).toMatchObject({
      code: 'invalid_payload',
      message: '/currency is required: the payload names no currency (no *_set amounts), so pass options.currency',
    });
    expect(shopifyTransactionToEvent(single, { currency: 'USD' })).toEqual(restAuthorization);
    const list = read('rest-fixtures/transactions.json');
    expect(list).toHaveLength(1);
    for (const raw of list) {
      const event = shopifyTransactionToEvent(raw, { currency: 'USD' });
      expect(InboundEvent.parse(event)).toEqual(event);
      expect(event).toEqual(restAuthorization);
    }
  });

  it('maps kinds and statuses, with the parent transaction as parentReference', () => {
    const raw = read('webhooks-2026-04/order_transactions_create.json').response;
    raw.parent_id = '120560818172775265';
    raw.processed_at = '2022-01-01T10:00:00-05:00';
    const cases: [string, string, string, string][] = [
      ['capture', 'success', 'capture', 'succeeded'],
      ['sale', 'success', 'capture', 'succeeded'],
      ['refund', 'pending', 'refund', 'pending'],
      ['void', 'failure', 'void', 'failed'],
      ['authorization', 'error', 'authorization', 'failed'],
    ];
    for (const [kind, status, canonicalKind, canonicalStatus] of cases) {
      const event = shopifyTransactionToEvent({ ...raw, kind, status });
      expect(event?.transaction).toMatchObject({ kind: canonicalKind, status: canonicalStatus, parentReference: '120560818172775265', occurredAt: '2022-01-01T10:00:00-05:00' });
    }
    expect(shopifyTransactionToEvent({ ...raw, kind: 'change' })).toBeUndefined();
    expect(failure(() => shopifyTransactionToEvent({ ...raw, status: 'weird' }))).toMatchObject({
      code: 'invalid_payload',
      message: '/status is "weird", not a known Shopify transaction status',
    });
  });
});
