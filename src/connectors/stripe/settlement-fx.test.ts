import { afterEach, describe, expect, it } from 'vitest';
import { applyRate, validatePayout } from '../../model/index.js';
import { createStripeClient } from './client.js';
import { StripeSettings } from './config.js';
import { startStripeEmulator, type RunningStripeEmulator, type StripeEmulatorOptions } from './emulator/server.js';
import { emulatorState, sandboxPost } from './test-support.js';

const emulators: RunningStripeEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function setup(options: StripeEmulatorOptions = {}) {
  const emulator = await startStripeEmulator({ payoutDelayMs: 5, ...options });
  emulators.push(emulator);
  const stripe = createStripeClient({
    connectionId: 'stripe-test',
    settings: StripeSettings.parse({ baseUrl: emulator.url, timeoutMs: 2000 }),
    secrets: { secretKey: emulator.credentials.secretKey },
    baseDelayMs: 1,
  });
  const payments = async (body: Record<string, unknown>) =>
    (await sandboxPost<{ data: { id: string; latest_charge: string; status: string }[] }>(emulator.url, '/_sandbox/payments', body)).data;
  return { emulator, stripe, payments };
}

/** Stripe's 2.9% + 30 on an amount in the settlement currency. */
const fee = (amount: number) => applyRate(amount, '0.029', 'half_up') + 30;

describe('Stripe presentment currencies settled in the account currency', () => {
  it('a EUR PaymentIntent captured and paid out on a USD account: a USD settlement line with the EUR original and the exchange rate, and the payout reconciles', async () => {
    const { emulator, stripe, payments } = await setup();
    const [eur] = await payments({ amount: 10_000, currency: 'eur', captureMethod: 'manual', metadata: { order_id: '1001' } });
    const captured = await stripe.capturePaymentIntent(eur!.id, { amountToCapture: { amount: 9000, currency: 'EUR' }, idempotencyKey: 'capture-1001' });
    expect(captured.paymentIntent).toMatchObject({ currency: 'eur', amount_received: 9000 });
    const { refund } = await stripe.createRefund({ paymentIntent: eur!.id, amount: { amount: 2500, currency: 'EUR' }, metadata: { order_id: '1001' }, idempotencyKey: 'refund-1001' });
    const [usd] = await payments({ amount: 5000, currency: 'usd', metadata: { order_id: '1002' } });
    const payout = await sandboxPost<{ id: string; amount: number; currency: string }>(emulator.url, '/_sandbox/payouts', {});

    // 90.00 EUR × 1.0842 = 97.578 USD → 97.58; the 25.00 EUR refund × 1.0842 = 27.105 → 27.11 (half away from zero).
    const chargeGross = 9758;
    const refundGross = -2711;
    expect(payout).toMatchObject({ currency: 'usd', amount: chargeGross - fee(chargeGross) + refundGross + 5000 - fee(5000) });

    const { payout: canonical, violations } = await stripe.payoutSettlement(payout.id);
    expect(violations).toEqual([]);
    expect(validatePayout(canonical)).toEqual([]);
    expect(canonical).toMatchObject({ currency: 'USD', amount: payout.amount });
    const byReference = (reference: string) => canonical.lines.find((line) => line.reference === reference);
    expect(byReference(eur!.latest_charge)).toEqual({
      id: expect.stringMatching(/^txn_/),
      kind: 'charge',
      reference: eur!.latest_charge,
      orderReference: '1001',
      gross: chargeGross,
      fee: fee(chargeGross),
      net: chargeGross - fee(chargeGross),
      currency: 'USD',
      original: { amount: 9000, currency: 'EUR' },
      exchangeRate: '1.0842',
    });
    expect(byReference(refund.id)).toMatchObject({ kind: 'refund', gross: refundGross, fee: 0, currency: 'USD', original: { amount: -2500, currency: 'EUR' }, exchangeRate: '1.0842' });
    const domestic = byReference(usd!.latest_charge);
    expect(domestic).toMatchObject({ kind: 'charge', gross: 5000, currency: 'USD' });
    expect(domestic).not.toHaveProperty('original');
    expect(domestic).not.toHaveProperty('exchangeRate');

    const state = await emulatorState(emulator.url);
    expect(state.balance.available.map((entry) => entry.currency)).toEqual(['usd']);
    expect(state.charges.find((charge) => charge['id'] === eur!.latest_charge)).toMatchObject({ currency: 'eur', amount: 10_000, amount_captured: 9000 });
  });

  it('settles in the configured currency at the cross rate of the fixed table, and at a rate set later through the sandbox', async () => {
    const { emulator, stripe, payments } = await setup({ settlementCurrency: 'EUR' });
    const [first] = await payments({ amount: 5000, currency: 'jpy', metadata: { order_id: 'Y1' } });
    // 0.0066 USD per yen ÷ 1.0842 USD per euro = 0.006087 EUR per yen (6 decimals); ¥5000 → 30.435 EUR → 30.44.
    await sandboxPost(emulator.url, '/_sandbox/account', { exchangeRates: { JPY: '0.0061' } });
    const [second] = await payments({ amount: 5000, currency: 'jpy', metadata: { order_id: 'Y2' } });
    const payout = await sandboxPost<{ id: string; currency: string }>(emulator.url, '/_sandbox/payouts', {});
    expect(payout.currency).toBe('eur');

    const { payout: canonical, violations } = await stripe.payoutSettlement(payout.id);
    expect(violations).toEqual([]);
    expect(canonical.currency).toBe('EUR');
    const line = (reference: string) => canonical.lines.find((candidate) => candidate.reference === reference);
    expect(line(first!.latest_charge)).toMatchObject({ gross: 3044, fee: fee(3044), currency: 'EUR', original: { amount: 5000, currency: 'JPY' }, exchangeRate: '0.006087' });
    expect(line(second!.latest_charge)).toMatchObject({ gross: 3050, currency: 'EUR', original: { amount: 5000, currency: 'JPY' }, exchangeRate: '0.0061' });
    expect(await (await fetch(`${emulator.url}/_sandbox/account`)).json()).toEqual({ settlementCurrency: 'eur', exchangeRates: { jpy: '0.0061' } });
  });

  it('refuses a presentment currency the sandbox has no rate for, until one is set', async () => {
    const { emulator, payments } = await setup();
    const refused = await fetch(`${emulator.url}/_sandbox/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 10_000, currency: 'thb' }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'currency_not_supported', param: 'currency' } });
    await sandboxPost(emulator.url, '/_sandbox/account', { exchangeRates: { thb: '0.0281' } });
    const [paid] = await payments({ amount: 10_000, currency: 'thb' });
    expect(paid?.status).toBe('succeeded');
    const state = await emulatorState(emulator.url);
    expect(state.balanceTransactions[0]).toMatchObject({ currency: 'usd', amount: 281, exchange_rate: 0.0281 });
  });
});
