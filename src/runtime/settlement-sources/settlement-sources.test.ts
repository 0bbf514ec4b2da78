import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyClient, ShopifySettings, startShopifyEmulator, type RunningShopifyEmulator } from '../../connectors/shopify/index.js';
import { createStripeClient, StripeSettings, startStripeEmulator, type RunningStripeEmulator } from '../../connectors/stripe/index.js';
import { shopifySettlementSourceOf } from './shopify.js';
import { stripeSettlementSourceOf } from './stripe.js';

const running: (RunningStripeEmulator | RunningShopifyEmulator)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as T;
}

describe('settlement sources', () => {
  it('Stripe: a payout with every balance transaction, each line related to its PaymentIntent and charge', async () => {
    const emulator = await startStripeEmulator({ payoutDelayMs: 5 });
    running.push(emulator);
    const client = createStripeClient({ connectionId: 'stripe-test', settings: StripeSettings.parse({ baseUrl: emulator.url, timeoutMs: 2000 }), secrets: { secretKey: emulator.credentials.secretKey }, baseDelayMs: 1 });
    const { data: intents } = await post<{ data: { id: string; latest_charge: string }[] }>(`${emulator.url}/_sandbox/payments`, { amount: 4200, count: 2 });
    const refund = await client.createRefund({ paymentIntent: intents[0]!.id, amount: { amount: 1000, currency: 'USD' }, idempotencyKey: 'refund-1' });
    const payout = await post<{ id: string; amount: number }>(`${emulator.url}/_sandbox/payouts`, {});

    const fetched = await stripeSettlementSourceOf('stripe-test', client).fetch(payout.id);
    expect(fetched.violations).toEqual([]);
    expect(fetched.payout).toMatchObject({ reference: payout.id, amount: payout.amount, currency: 'USD' });
    const byRef = (reference: string) => fetched.payout.lines.find((l) => l.reference === reference)!;
    for (const intent of intents) {
      const charge = byRef(intent.latest_charge);
      expect(charge).toMatchObject({ kind: 'charge', gross: 4200 });
      expect(charge.fee).toBeGreaterThan(0);
      expect(fetched.related?.[charge.id]).toEqual([intent.id]);
    }
    const refunded = byRef(refund.refund.id);
    expect(refunded).toMatchObject({ kind: 'refund', gross: -1000 });
    expect(fetched.related?.[refunded.id]).toEqual(expect.arrayContaining([intents[0]!.latest_charge]));
    expect(byRef(payout.id)).toMatchObject({ kind: 'payout', net: -payout.amount });
  });

  it('Shopify Payments: a payout and its transactions, fees on lines of their own, orders by the channel order id', async () => {
    const emulator = await startShopifyEmulator();
    running.push(emulator);
    const client = createShopifyClient({ connectionId: 'shop-test', settings: ShopifySettings.parse({ shopDomain: emulator.shopDomain, baseUrl: emulator.url, locationId: emulator.locationId, timeoutMs: 2000 }), secrets: { accessToken: emulator.credentials.accessToken }, baseDelayMs: 20, maxAttempts: 1 });
    const txn = (id: number, type: string, amount: string, fee: string, net: string, extra: Record<string, unknown> = {}) => ({ id, type, test: false, payout_id: 900, payout_status: 'paid', currency: 'USD', amount, fee, net, source_id: id + 1000, source_type: type, source_order_id: null, source_order_transaction_id: null, processed_at: '2026-11-20T10:00:00-05:00', ...extra });
    await post(`${emulator.url}/_sandbox/payouts`, {
      payout: { id: 900, status: 'paid', date: '2026-11-21', currency: 'USD', amount: '57.12' },
      transactions: [txn(1, 'charge', '42.00', '1.52', '40.48', { source_order_id: 5001 }), txn(2, 'charge', '17.50', '0.86', '16.64', { source_order_id: 5002 }), txn(3, 'payout', '-57.12', '0.00', '-57.12', { source_id: 900 })],
    });

    const fetched = await shopifySettlementSourceOf('shop-test', client).fetch('900');
    expect(fetched.violations).toEqual([]);
    expect(fetched.payout).toMatchObject({ reference: '900', amount: 5712, status: 'paid' });
    expect(fetched.payout.lines.map((l) => [l.kind, l.orderReference ?? null, l.gross, l.fee, l.net])).toEqual([
      ['charge', '5001', 4200, 0, 4200],
      ['fee', '5001', 0, 152, -152],
      ['charge', '5002', 1750, 0, 1750],
      ['fee', '5002', 0, 86, -86],
      ['payout', null, -5712, 0, -5712],
    ]);
  });
});
