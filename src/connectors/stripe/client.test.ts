import { afterEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { createStripeClient, type StripeClientOptions } from './client.js';
import { StripeSettings, type StripeSettingsInput } from './config.js';
import { startStripeEmulator, type RunningStripeEmulator, type StripeEmulatorOptions } from './emulator/server.js';
import { emulatorState, sandboxPost, scripted } from './test-support.js';

const emulators: RunningStripeEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function setup(options: StripeEmulatorOptions = {}, settings: Partial<StripeSettingsInput> = {}, client: Partial<StripeClientOptions> = {}) {
  const emulator = await startStripeEmulator({ payoutDelayMs: 5, ...options });
  emulators.push(emulator);
  const stripe = createStripeClient({
    connectionId: 'stripe-test',
    settings: StripeSettings.parse({ baseUrl: emulator.url, timeoutMs: 2000, ...settings }),
    secrets: { secretKey: emulator.credentials.secretKey },
    baseDelayMs: 1,
    ...client,
  });
  const payments = async (body: Record<string, unknown>) =>
    (await sandboxPost<{ data: { id: string; latest_charge: string; status: string }[] }>(emulator.url, '/_sandbox/payments', body)).data;
  const authorized = async (amount = 2000) => (await payments({ amount, currency: 'usd', captureMethod: 'manual', metadata: { order_id: '1001' } }))[0] as { id: string; latest_charge: string };
  const state = () => emulatorState(emulator.url);
  return { emulator, stripe, payments, authorized, state };
}

async function rejection(promise: Promise<unknown>): Promise<TillbridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TillbridgeError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Stripe client', () => {
  it('captures an authorized PaymentIntent, all or part, in canonical minor units', async () => {
    const { stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    const result = await stripe.capturePaymentIntent(intent.id, { amountToCapture: { amount: 1500, currency: 'USD' }, idempotencyKey: 'capture-1001' });
    expect(result.outcome).toBe('captured');
    expect(result.paymentIntent).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 1500, amount_capturable: 0, latest_charge: intent.latest_charge });
    const request = (await state()).requests.find((entry) => entry.path.endsWith('/capture'));
    expect(request).toMatchObject({ method: 'POST', status: 200, idempotencyKey: 'capture-1001' });
  });

  it('a capture whose answer was lost is retried with the same key and happens exactly once', async () => {
    const { emulator, stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    await sandboxPost(emulator.url, '/_sandbox/behaviour', { lostResponses: 1 });
    const result = await stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'capture-1001' });
    expect(result).toMatchObject({ outcome: 'replayed', paymentIntent: { status: 'succeeded', amount_received: 2000 } });
    const after = await state();
    expect(after.requests.filter((entry) => entry.path.endsWith('/capture'))).toEqual([
      { method: 'POST', path: `/v1/payment_intents/${intent.id}/capture`, status: 500, idempotencyKey: 'capture-1001', lost: true },
      { method: 'POST', path: `/v1/payment_intents/${intent.id}/capture`, status: 200, idempotencyKey: 'capture-1001', replayed: true },
    ]);
    expect(after.events.filter((event) => event.type === 'charge.captured')).toHaveLength(1);
    expect(after.balanceTransactions.filter((txn) => txn['source'] === intent.latest_charge)).toHaveLength(1);
    expect(after.balance.available).toEqual([{ amount: 2000 - 88, currency: 'usd', source_types: { card: 1912 } }]);
  });

  it('a capture under injected 5xx faults is retried with the same key and captures exactly once', async () => {
    const { emulator, stripe, authorized, state } = await setup({ random: scripted(0.1, 0.1, 0.9) });
    const intent = await authorized(2000);
    await sandboxPost(emulator.url, '/_sandbox/faults', { errorRate: 0.5 });
    const result = await stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'capture-1001' });
    await sandboxPost(emulator.url, '/_sandbox/faults', { errorRate: 0 });
    expect(result).toMatchObject({ outcome: 'captured', paymentIntent: { status: 'succeeded', amount_received: 2000 } });
    const after = await state();
    expect(after.events.filter((event) => event.type === 'charge.captured')).toHaveLength(1);
    expect(after.paymentIntents.find((pi) => pi['id'] === intent.id)).toMatchObject({ status: 'succeeded', amount_received: 2000 });
    expect(stripe.health()).toMatchObject({ failures: 2, calls: 3 });
  });

  it('finds a PaymentIntent captured before under another key, and refuses to capture one that was never authorized', async () => {
    const { stripe, authorized, payments } = await setup();
    const intent = await authorized(2000);
    await stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'first' });
    expect((await stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'redelivered' })).outcome).toBe('already_captured');
    const [declined] = await payments({ amount: 500, currency: 'usd', paymentMethod: 'pm_card_chargeDeclined' });
    const error = await rejection(stripe.capturePaymentIntent(declined?.id as string, { idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'stripe_payment_intent_unexpected_state', retryable: false, httpStatus: 400, details: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state' } });
    expect(error.message).toMatch(/requires_payment_method/);
  });

  it('captures part of an authorization for a partial shipment; a second capture is a permanent stripe_already_captured', async () => {
    const { stripe, authorized, payments } = await setup();
    const intent = await authorized(2000);
    const first = await stripe.capturePaymentIntent(intent.id, { amountToCapture: { amount: 1200, currency: 'USD' }, idempotencyKey: 'capture-1001-shipment-1' });
    expect(first).toMatchObject({ outcome: 'captured', paymentIntent: { status: 'succeeded', amount_received: 1200, amount_capturable: 0 } });
    const redelivered = await stripe.capturePaymentIntent(intent.id, { amountToCapture: { amount: 1200, currency: 'USD' }, idempotencyKey: 'capture-1001-shipment-1-again' });
    expect(redelivered.outcome).toBe('already_captured');

    const second = await rejection(stripe.capturePaymentIntent(intent.id, { amountToCapture: { amount: 800, currency: 'USD' }, idempotencyKey: 'capture-1001-shipment-2' }));
    expect(second).toMatchObject({
      code: 'stripe_already_captured',
      retryable: false,
      httpStatus: 409,
      details: { paymentIntent: intent.id, intentStatus: 'succeeded', amount: 2000, amountReceived: 1200, currency: 'USD', stripe: { code: 'payment_intent_unexpected_state' } },
    });
    expect(second.message).toMatch(/cannot capture 8\.00 USD .* already captured \(12\.00 USD of 20\.00 USD\), Stripe allows one capture per PaymentIntent/);
    expect(second.message).toMatch(/could not be captured because it has a status of succeeded/);
    expect(await rejection(stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'capture-1001-rest' }))).toMatchObject({ code: 'stripe_already_captured', retryable: false });

    const [yen] = await payments({ amount: 5000, currency: 'jpy', captureMethod: 'manual' });
    const captured = await stripe.capturePaymentIntent(yen?.id as string, { amountToCapture: { amount: 3000, currency: 'JPY' }, idempotencyKey: 'capture-yen' });
    expect(captured.paymentIntent).toMatchObject({ status: 'succeeded', amount_received: 3000, currency: 'jpy' });
  });

  it('voids an authorized PaymentIntent once per key: the hold is released, the same key returns the same result', async () => {
    const { stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    const options = { idempotencyKey: 'void-1001', reason: 'requested_by_customer' as const };
    const first = await stripe.cancelPaymentIntent(intent.id, options);
    expect(first).toEqual({ paymentIntent: intent.id, status: 'canceled', amountCancelled: 2000, currency: 'USD', alreadyCanceled: false });
    expect(await stripe.cancelPaymentIntent(intent.id, options)).toEqual(first);

    const after = await state();
    expect(after.requests.filter((entry) => entry.path.endsWith('/cancel'))).toEqual([
      { method: 'POST', path: `/v1/payment_intents/${intent.id}/cancel`, status: 200, idempotencyKey: 'void-1001' },
      { method: 'POST', path: `/v1/payment_intents/${intent.id}/cancel`, status: 200, idempotencyKey: 'void-1001', replayed: true },
    ]);
    expect(after.events.filter((event) => event.type === 'payment_intent.canceled')).toHaveLength(1);
    expect(after.paymentIntents.find((pi) => pi['id'] === intent.id)).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0, amount_received: 0 });
    expect(after.balanceTransactions).toEqual([]);
  });

  it('a void whose answer was lost is retried with the same key and happens once', async () => {
    const { emulator, stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    await sandboxPost(emulator.url, '/_sandbox/behaviour', { lostResponses: 1 });
    expect(await stripe.cancelPaymentIntent(intent.id, { idempotencyKey: 'void-1001' })).toMatchObject({ status: 'canceled', alreadyCanceled: false });
    const after = await state();
    expect(after.requests.filter((entry) => entry.path.endsWith('/cancel')).map((entry) => [entry.status, entry.lost ?? entry.replayed ?? false])).toEqual([
      [500, true],
      [200, true],
    ]);
    expect(after.events.filter((event) => event.type === 'payment_intent.canceled')).toHaveLength(1);
  });

  it('a void under another key finds the intent canceled already and reports it done (alreadyCanceled)', async () => {
    const { stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    await stripe.cancelPaymentIntent(intent.id, { idempotencyKey: 'void-1001' });
    const again = await stripe.cancelPaymentIntent(intent.id, { idempotencyKey: 'void-1001-redelivered' });
    expect(again).toEqual({ paymentIntent: intent.id, status: 'canceled', amountCancelled: 2000, currency: 'USD', alreadyCanceled: true });
    expect(await stripe.cancelPaymentIntent(intent.id, { idempotencyKey: 'void-1001-redelivered' })).toEqual(again);
    const after = await state();
    expect(after.requests.filter((entry) => entry.path.endsWith('/cancel')).map((entry) => entry.status)).toEqual([200, 400, 400]);
    expect(after.events.filter((event) => event.type === 'payment_intent.canceled')).toHaveLength(1);
  });

  it('refuses to void a captured PaymentIntent: a permanent stripe_already_captured, so the caller refunds instead', async () => {
    const { stripe, authorized, payments } = await setup();
    const intent = await authorized(2000);
    await stripe.capturePaymentIntent(intent.id, { amountToCapture: { amount: 1500, currency: 'USD' }, idempotencyKey: 'capture-1001' });
    const error = await rejection(stripe.cancelPaymentIntent(intent.id, { idempotencyKey: 'void-1001' }));
    expect(error).toMatchObject({
      code: 'stripe_already_captured',
      retryable: false,
      httpStatus: 409,
      details: { paymentIntent: intent.id, intentStatus: 'succeeded', amount: 2000, amountReceived: 1500, currency: 'USD', stripe: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state' } },
    });
    expect(error.message).toMatch(/cannot void PaymentIntent pi_\w+: it was already captured \(15\.00 USD of 20\.00 USD\); refund it instead/);
    expect(error.message).toMatch(/You cannot cancel this PaymentIntent because it has a status of succeeded/);
    const [paid] = await payments({ amount: 1000, currency: 'usd' });
    expect(await rejection(stripe.cancelPaymentIntent(paid?.id as string, { idempotencyKey: 'void-paid' }))).toMatchObject({ code: 'stripe_already_captured', retryable: false });
    expect(await rejection(stripe.cancelPaymentIntent('pi_missing', { idempotencyKey: 'void-missing' }))).toMatchObject({ code: 'stripe_resource_missing', httpStatus: 404 });
    expect(await rejection(stripe.cancelPaymentIntent(intent.id, { idempotencyKey: '' }))).toMatchObject({ code: 'stripe_idempotency_key_required' });
  });

  it('reports the voided amount in canonical minor units: zero-decimal JPY as is, ISK from Stripe’s two decimals', async () => {
    const { stripe, payments } = await setup();
    const [yen] = await payments({ amount: 5000, currency: 'jpy', captureMethod: 'manual' });
    expect(await stripe.cancelPaymentIntent(yen?.id as string, { idempotencyKey: 'void-yen', reason: 'abandoned' })).toMatchObject({ amountCancelled: 5000, currency: 'JPY' });
    const [krona] = await payments({ amount: 50_000, currency: 'isk', captureMethod: 'manual' });
    expect(await stripe.cancelPaymentIntent(krona?.id as string, { idempotencyKey: 'void-isk' })).toMatchObject({ amountCancelled: 500, currency: 'ISK' });
    const [declined] = await payments({ amount: 700, currency: 'usd', paymentMethod: 'pm_card_chargeDeclined' });
    expect(await stripe.cancelPaymentIntent(declined?.id as string, { idempotencyKey: 'void-declined', reason: 'abandoned' })).toMatchObject({ status: 'canceled', amountCancelled: 700, alreadyCanceled: false });
  });

  it('refunds once per idempotency key: two calls with the same key make one refund', async () => {
    const { stripe, payments, state } = await setup();
    const [intent] = await payments({ amount: 5000, currency: 'usd' });
    const options = { paymentIntent: intent?.id as string, amount: { amount: 1250, currency: 'USD' }, reason: 'requested_by_customer' as const, metadata: { order_id: '1001' }, idempotencyKey: 'refund-1001-1' };
    const first = await stripe.createRefund(options);
    const second = await stripe.createRefund(options);
    expect(first).toMatchObject({ replayed: false, refund: { amount: 1250, status: 'succeeded', metadata: { order_id: '1001' }, reason: 'requested_by_customer' } });
    expect(second).toMatchObject({ replayed: true, refund: { id: first.refund.id } });
    const after = await state();
    expect(after.counts['refunds']).toBe(1);
    expect(after.charges[0]).toMatchObject({ amount_refunded: 1250 });
  });

  it('types Stripe’s refusals: more than captured, already refunded, a key reused with other parameters', async () => {
    const { stripe, payments } = await setup();
    const [intent] = await payments({ amount: 1000, currency: 'usd' });
    const tooMuch = await rejection(stripe.createRefund({ charge: intent?.latest_charge as string, amount: { amount: 1001, currency: 'USD' }, idempotencyKey: 'r1' }));
    expect(tooMuch).toMatchObject({ code: 'stripe_amount_too_large', retryable: false, httpStatus: 400, details: { param: 'amount' } });
    await stripe.createRefund({ charge: intent?.latest_charge as string, idempotencyKey: 'r2' });
    expect(await rejection(stripe.createRefund({ charge: intent?.latest_charge as string, idempotencyKey: 'r3' }))).toMatchObject({ code: 'stripe_charge_already_refunded', retryable: false });
    expect(await rejection(stripe.createRefund({ charge: intent?.latest_charge as string, amount: { amount: 5, currency: 'USD' }, idempotencyKey: 'r2' }))).toMatchObject({
      code: 'stripe_idempotency_error',
      retryable: false,
    });
    expect(await rejection(stripe.createRefund({ charge: intent?.latest_charge as string, idempotencyKey: '' }))).toMatchObject({ code: 'stripe_idempotency_key_required' });
  });

  it('sends amounts in Stripe’s units where they differ from ISO 4217 (ISK is two-decimal at Stripe)', async () => {
    const { stripe, payments } = await setup();
    const [intent] = await payments({ amount: 50_000, currency: 'isk' });
    const { refund } = await stripe.createRefund({ paymentIntent: intent?.id as string, amount: { amount: 120, currency: 'ISK' }, idempotencyKey: 'isk-1' });
    expect(refund.amount).toBe(12_000);
  });

  it('does not retry when Stripe says Stripe-Should-Retry: false', async () => {
    const { emulator, stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    await sandboxPost(emulator.url, '/_sandbox/behaviour', { savedErrors: 1 });
    const error = await rejection(stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'capture-1001' }));
    expect(error).toMatchObject({ code: 'stripe_should_not_retry', retryable: false, httpStatus: 500 });
    expect(stripe.health().circuit.consecutiveFailures).toBe(1);
    expect((await state()).requests.filter((entry) => entry.path.endsWith('/capture'))).toHaveLength(1);
    expect((await stripe.retrievePaymentIntent(intent.id)).status).toBe('requires_capture');
  });

  it('retries a 409 when Stripe says Stripe-Should-Retry: true (a concurrent request with the same key)', async () => {
    const { emulator, stripe, authorized, state } = await setup();
    const intent = await authorized(2000);
    await sandboxPost(emulator.url, '/_sandbox/behaviour', { conflicts: 1 });
    expect((await stripe.capturePaymentIntent(intent.id, { idempotencyKey: 'capture-1001' })).outcome).toBe('captured');
    expect((await state()).requests.filter((entry) => entry.path.endsWith('/capture')).map((entry) => entry.status)).toEqual([409, 200]);
  });

  it('honours 429 Retry-After: waits, then the call succeeds', async () => {
    const { emulator, stripe } = await setup({ random: scripted(0.1, 0.9), retryAfterSeconds: 1 });
    await sandboxPost(emulator.url, '/_sandbox/faults', { rateLimitRate: 0.5 });
    const started = Date.now();
    const { balance } = await stripe.balance();
    const elapsed = Date.now() - started;
    expect(balance.object).toBe('balance');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(stripe.health()).toMatchObject({ calls: 2, failures: 1, lastFailure: { code: 'outbound_throttled' } });
  });

  it('reads every page of a payout’s balance transactions (> 100) and they add up to the payout', async () => {
    const { emulator, stripe, payments, state } = await setup();
    const intents = await payments({ amount: 1099, currency: 'usd', count: 120, metadata: { order_id: '1001' } });
    await stripe.createRefund({ paymentIntent: intents[0]?.id as string, idempotencyKey: 'refund-all' });
    await sandboxPost(emulator.url, '/_sandbox/disputes', { charge: intents[1]?.latest_charge });
    const payout = await sandboxPost<{ id: string; amount: number }>(emulator.url, '/_sandbox/payouts', { currency: 'usd' });
    await emulator.idle();

    const result = await stripe.payoutBalanceTransactions(payout.id);
    expect(result.transactions).toHaveLength(123);
    expect((await state()).requests.filter((entry) => entry.path === '/v1/balance_transactions')).toHaveLength(2);
    const gross = 120 * 1099 - 1099 - 1099;
    const fees = 120 * 62 + 1500;
    expect(result).toMatchObject({ currency: 'USD', gross, fees, net: gross - fees });
    expect(result.net).toBe(payout.amount);
    expect(payout.amount).toBe(120_742);
    const kinds = result.lines.reduce<Record<string, number>>((count, line) => ({ ...count, [line.kind]: (count[line.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ charge: 120, refund: 1, chargeback: 1, payout: 1 });
    expect(result.lines.filter((line) => line.kind === 'charge').every((line) => line.orderReference === '1001' && line.gross === 1099 && line.fee === 62)).toBe(true);

    const settlement = await stripe.payoutSettlement(payout.id);
    expect(settlement.violations).toEqual([]);
    expect(settlement.payout).toMatchObject({ id: payout.id, amount: 120_742, currency: 'USD', status: 'paid' });
    expect(settlement.payout.lines).toHaveLength(123);
  });

  it('lists the payouts created in a range, newest first, every page (> 100) read lazily', async () => {
    let now = Date.UTC(2026, 10, 1);
    const { emulator, stripe, payments, state } = await setup({ now: () => now, rateLimit: null });
    const start = now / 1000;
    const ids: string[] = [];
    for (let n = 0; n < 104; n++) {
      await payments({ amount: 500 + n, currency: 'usd' });
      ids.push((await sandboxPost<{ id: string }>(emulator.url, '/_sandbox/payouts', {})).id);
      now += 60_000;
    }
    await emulator.idle();
    // The first and the last are outside [start + 60, start + 102 * 60].
    const pages: string[][] = [];
    for await (const page of stripe.payoutsCreated({ from: start + 60, to: start + 102 * 60 })) pages.push(page.map((p) => p.id));
    expect(pages.map((p) => p.length)).toEqual([100, 2]);
    expect(pages.flat()).toEqual(ids.slice(1, 103).reverse());
    expect((await state()).requests.filter((entry) => entry.path === '/v1/payouts')).toHaveLength(2);

    const lazy = stripe.payoutsCreated({ from: start, to: start + 200 * 60 })[Symbol.asyncIterator]();
    expect(((await lazy.next()).value as { id: string }[])[0]?.id).toBe(ids[103]);
    await lazy.return?.();
    expect((await state()).requests.filter((entry) => entry.path === '/v1/payouts')).toHaveLength(3);

    const none: unknown[] = [];
    for await (const page of stripe.payoutsCreated({ from: start + 200 * 60, to: start + 300 * 60 })) none.push(page);
    expect(none).toEqual([]);
  });

  it('sends Stripe-Version and types a missing object', async () => {
    const { stripe } = await setup({}, { apiVersion: '2026-09-30.endive' });
    expect((await stripe.balance()).apiVersion).toBe('2026-09-30.endive');
    expect(await rejection(stripe.retrievePayout('po_missing'))).toMatchObject({ code: 'stripe_resource_missing', httpStatus: 404, retryable: false });
  });
});
