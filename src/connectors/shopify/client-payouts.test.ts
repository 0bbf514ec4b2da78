import { afterEach, describe, expect, it } from 'vitest';
import { validatePayout } from '../../model/index.js';
import { createShopifyClient } from './client.js';
import { ShopifySettings } from './config.js';
import { startShopifyEmulator, type RunningShopifyEmulator } from './emulator/server.js';
import { stringifyExact } from './emulator/support.js';
import { shopifyPayoutToCanonical } from './mapping-payout.js';
import { readShopifyCorpus, type Json } from './test-support.js';

const emulators: RunningShopifyEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function setup() {
  const emulator = await startShopifyEmulator();
  emulators.push(emulator);
  const shopify = createShopifyClient({
    connectionId: 'shop-test',
    settings: ShopifySettings.parse({ shopDomain: emulator.shopDomain, baseUrl: emulator.url, locationId: emulator.locationId, timeoutMs: 2000 }),
    secrets: { accessToken: emulator.credentials.accessToken },
    baseDelayMs: 20,
    maxAttempts: 1,
  });
  const seed = async (body: unknown) => {
    const response = await fetch(`${emulator.url}/_sandbox/payouts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringifyExact(body) });
    return { status: response.status, body: (await response.json()) as Json };
  };
  return { emulator, shopify, seed };
}

/** Corpus rows that add up to 130.90 (charge with fee, refund, credit, dispute with fee, the payout itself). */
function corpusPayout(): { payout: Json; transactions: Json[] } {
  const { transactions } = readShopifyCorpus('rest-fixtures/payouts_transactions.json') as { transactions: Json[] };
  const pick = (id: number) => transactions.find((txn) => txn.id === id);
  const { payout } = readShopifyCorpus('rest-fixtures/payout.json') as { payout: Json };
  return {
    payout: { ...payout, amount: '130.90' },
    transactions: [pick(567994517), pick(1006917261), pick(427940661), pick(726130462), { ...pick(854848137), amount: '-130.90', net: '-130.90' }],
  };
}

describe('Shopify Payments payouts through the client and the emulator', () => {
  it('reads a seeded payout and all its transactions across pages, and maps them to a payout that reconciles', async () => {
    const { shopify, seed } = await setup();
    const seeded = corpusPayout();
    expect((await seed(seeded)).status).toBe(201);
    const payout = await shopify.payout('623721858');
    expect(payout).toMatchObject({ id: 623721858, status: 'paid', amount: '130.90', currency: 'USD' });
    const firstPage = await shopify.payoutTransactionsPage({ payoutId: '623721858', limit: 2 });
    expect(firstPage.transactions).toHaveLength(2);
    expect(firstPage.nextPageInfo).not.toBeNull();
    const transactions = await shopify.payoutTransactions('623721858');
    expect(transactions).toHaveLength(5);
    const canonical = shopifyPayoutToCanonical(payout, transactions);
    expect(canonical).toMatchObject({ id: '623721858', amount: 13090, status: 'paid', arrivalDate: '2019-11-12' });
    expect(validatePayout(canonical)).toEqual([]);
  });

  it('lists payouts newest first with Shopify’s filters, and answers 404 for an unknown payout', async () => {
    const { shopify, seed } = await setup();
    const { payouts } = readShopifyCorpus('rest-fixtures/payouts.json') as { payouts: Json[] };
    for (const payout of payouts) expect((await seed({ payout })).status).toBe(201);
    expect((await seed({ payout: 'nope' })).status).toBe(422);
    const all = (await shopify.payouts()) as Json[];
    expect(all.map((payout) => payout.id)).toEqual([710174591, 974708905, 623721858, 854088011, 512467833, 39438702]);
    expect(((await shopify.payouts({ status: 'paid', dateMax: '2019-11-30' })) as Json[]).map((payout) => payout.id)).toEqual([974708905, 623721858]);
    expect(await shopify.payouts({ limit: 1 })).toHaveLength(1);
    await expect(shopify.payout('1')).rejects.toMatchObject({ retryable: false, httpStatus: 404 });
    await expect(shopify.payout('abc')).rejects.toMatchObject({ code: 'invalid_shopify_input' });
  });
});
