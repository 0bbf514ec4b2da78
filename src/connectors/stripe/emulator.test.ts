import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulatorOptions } from './emulator/server.js';
import { encodeStripeForm } from './form.js';
import { emulatorState, fixture, sandboxPost, scripted } from './test-support.js';
import { verifyStripeWebhook } from './webhooks.js';

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.close()));
});

async function setup(options: StripeEmulatorOptions = {}) {
  const emulator = await startStripeEmulator({ payoutDelayMs: 5, ...options });
  running.push(emulator);
  const url = new URL(emulator.url);
  const stripe = new Stripe(emulator.credentials.secretKey, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
  const raw = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${emulator.credentials.secretKey}`, ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      ...(body !== undefined ? { body } : {}),
    });
  return { emulator, stripe, raw };
}

/** A webhook receiver on a free port that keeps every delivery's raw body and headers. */
async function receiver(status = 200) {
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${address.port}/webhooks/stripe/stripe-main`, received };
}

const keys = (value: object) => Object.keys(value).filter((key) => key !== 'lastResponse');
const stripeError = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode: number; type: string; code?: string; decline_code?: string; message: string; raw: Record<string, unknown> };
  }
  throw new Error('expected a Stripe error');
};

describe('Stripe emulator, driven by the official stripe-node SDK', () => {
  it('answers objects with every field of Stripe’s own fixtures', async () => {
    const { emulator, stripe } = await setup();
    const intent = await stripe.paymentIntents.create({ amount: 1099, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    await stripe.paymentIntents.capture(intent.id);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 99 });
    const payout = await sandboxPost<{ id: string }>(emulator.url, '/_sandbox/payouts', {});
    const dispute = await sandboxPost<{ id: string }>(emulator.url, '/_sandbox/disputes', { charge: charge.id });
    const [txn] = (await stripe.balanceTransactions.list({ limit: 1 })).data;
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    const shapes: [string, object][] = [
      ['payment_intent', await stripe.paymentIntents.retrieve(intent.id)],
      ['charge', charge],
      ['refund', refund],
      ['dispute', (await (await fetch(`${emulator.url}/v1/disputes/${dispute.id}`, { headers: { authorization: `Bearer ${emulator.credentials.secretKey}` } })).json()) as object],
      ['payout', await stripe.payouts.retrieve(payout.id)],
      ['balance_transaction', txn as object],
      ['balance', await stripe.balance.retrieve()],
      ['event', event as object],
    ];
    for (const [kind, object] of shapes) {
      const missing = keys(fixture(kind)).filter((key) => !keys(object).includes(key));
      expect(missing, kind).toEqual([]);
      expect((object as { object: string }).object).toBe(kind);
    }
  });

  it('authenticates with the secret key (Bearer or Basic) and answers 401 in Stripe’s words', async () => {
    const { emulator, raw } = await setup({ credentials: { secretKey: 'sk_test_51TillbridgeSandboxKey9876' } });
    expect((await raw('GET', '/v1/balance')).status).toBe(200);
    const basic = await fetch(`${emulator.url}/v1/balance`, { headers: { authorization: `Basic ${Buffer.from('sk_test_51TillbridgeSandboxKey9876:').toString('base64')}` } });
    expect(basic.status).toBe(200);
    const wrong = await fetch(`${emulator.url}/v1/balance`, { headers: { authorization: 'Bearer sk_test_somethingElse1234' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****1234' } });
    const none = await fetch(`${emulator.url}/v1/balance`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^You did not provide an API key/) } });
  });

  it('reads form bodies in bracket notation and refuses unknown parameters and JSON bodies', async () => {
    const { raw } = await setup();
    const created = await raw('POST', '/v1/payment_intents', encodeStripeForm({ amount: 2500, currency: 'EUR', metadata: { order_id: '1001', channel: 'web' }, expand: ['latest_charge'] }));
    expect(created.status).toBe(200);
    expect(created.headers.get('request-id')).toMatch(/^req_/);
    expect(created.headers.get('stripe-version')).toBe('2026-10-28.endive');
    expect(await created.json()).toMatchObject({ object: 'payment_intent', amount: 2500, currency: 'eur', status: 'requires_payment_method', metadata: { order_id: '1001', channel: 'web' }, latest_charge: null });
    const unknown = await raw('POST', '/v1/payment_intents', 'amount=100&currency=usd&colour=red');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'parameter_unknown', param: 'colour', message: 'Received unknown parameter: colour' } });
    const missing = await raw('POST', '/v1/payment_intents', 'currency=usd');
    expect(await missing.json()).toMatchObject({ error: { code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' } });
    const json = await raw('POST', '/v1/payment_intents', JSON.stringify({ amount: 100, currency: 'usd' }), { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/unsupported Content-Type/) } });
  });

  it('confirms with test cards: automatic capture succeeds, a declining card answers 402 card_error', async () => {
    const { stripe } = await setup();
    const paid = await stripe.paymentIntents.create({ amount: 1099, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: '1001' } });
    expect(paid).toMatchObject({ status: 'succeeded', amount_received: 1099, amount_capturable: 0 });
    const charge = await stripe.charges.retrieve(paid.latest_charge as string);
    expect(charge).toMatchObject({ captured: true, amount_captured: 1099, paid: true, payment_intent: paid.id, metadata: { order_id: '1001' } });
    const txn = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(txn).toMatchObject({ type: 'charge', amount: 1099, fee: 62, net: 1037, source: charge.id });
    const declined = await stripeError(stripe.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }));
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    expect(declined.raw['payment_intent']).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' } });
  });

  it('rounds Stripe’s 2.9% + 30 fee half up to the unit', async () => {
    const { stripe } = await setup();
    const fee = async (amount: number) => {
      const intent = await stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, expand: ['latest_charge.balance_transaction'] });
      return ((intent.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction).fee;
    };
    expect(await fee(1099)).toBe(62); // 31.871 → 32
    expect(await fee(1500)).toBe(74); // 43.5 → 44
    expect(await fee(1050)).toBe(60); // 30.45 → 30
  });

  it('captures once: a second capture is 400 payment_intent_unexpected_state; capturing more than authorized is refused', async () => {
    const { stripe } = await setup();
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 2000 });
    expect(await stripeError(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2001 }))).toMatchObject({ statusCode: 400, code: 'amount_too_large' });
    expect(await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500 })).toMatchObject({ status: 'succeeded', amount_received: 1500, amount_capturable: 0 });
    const again = await stripeError(stripe.paymentIntents.capture(intent.id));
    expect(again).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'payment_intent_unexpected_state' });
    expect(again.message).toMatch(/status of succeeded/);
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ amount_captured: 1500, amount_refunded: 500, captured: true });
  });

  it('cancels an authorization once: Stripe’s unexpected-state error (with the intent) after, and the key honoured', async () => {
    const { stripe, raw } = await setup();
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const cancel = (key: string, reason = 'requested_by_customer') => raw('POST', `/v1/payment_intents/${intent.id}/cancel`, encodeStripeForm({ cancellation_reason: reason }), { 'idempotency-key': key });
    const first = await cancel('void-1');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: intent.id, status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0, canceled_at: expect.any(Number) });
    const replay = await cancel('void-1');
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.headers.get('original-request')]).toEqual([200, 'true', first.headers.get('request-id')]);
    expect(await (await cancel('void-1', 'duplicate')).json()).toMatchObject({ error: { type: 'idempotency_error' } });
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ captured: false, refunded: true, amount_refunded: 2000 });

    const again = await stripeError(stripe.paymentIntents.cancel(intent.id));
    expect(again).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'payment_intent_unexpected_state', raw: { payment_intent: { id: intent.id, status: 'canceled' } } });
    expect(again.message).toBe(
      'You cannot cancel this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.',
    );
    expect(await stripeError(stripe.paymentIntents.capture(intent.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state', raw: { payment_intent: { status: 'canceled' } } });
    const paid = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const captured = await stripeError(stripe.paymentIntents.cancel(paid.id));
    expect(captured).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state', raw: { payment_intent: { id: paid.id, status: 'succeeded' } } });
    expect(captured.message).toMatch(/^You cannot cancel this PaymentIntent because it has a status of succeeded\./);
  });

  it('refunds up to what was captured: then amount_too_large, then charge_already_refunded', async () => {
    const { stripe } = await setup();
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    expect(await stripe.refunds.create({ payment_intent: intent.id, amount: 400, reason: 'requested_by_customer' })).toMatchObject({ amount: 400, status: 'succeeded', payment_intent: intent.id });
    const tooMuch = await stripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 601 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large' });
    expect(tooMuch.message).toBe('Refund amount (6.01 usd) is greater than unrefunded amount on charge (6.00 usd)');
    expect(await stripe.refunds.create({ payment_intent: intent.id })).toMatchObject({ amount: 600 });
    expect(await stripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 1 }))).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect(charge.refunds?.data.map((refund) => refund.amount)).toEqual([600, 400]);
  });

  it('answers 404 resource_missing and unrecognized URLs like Stripe', async () => {
    const { stripe, raw } = await setup();
    expect(await stripeError(stripe.paymentIntents.retrieve('pi_missing'))).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such payment_intent: 'pi_missing'" });
    const unknown = await raw('GET', '/v1/nothing');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/nothing\)/) } });
  });
});

describe('Stripe emulator idempotency', () => {
  const body = encodeStripeForm({ amount: 1099, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });

  it('replays the saved answer for the same key and parameters, with Idempotent-Replayed: true', async () => {
    const { emulator, raw } = await setup();
    const first = await raw('POST', '/v1/payment_intents', body, { 'idempotency-key': 'order-1001' });
    const second = await raw('POST', '/v1/payment_intents', body, { 'idempotency-key': 'order-1001' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(await second.json()).toEqual(await first.json());
    expect((await emulatorState(emulator.url)).counts['paymentIntents']).toBe(1);
  });

  it('refuses the same key with other parameters (400 idempotency_error), and keys are per 24 hours', async () => {
    let clock = Date.parse('2026-11-26T10:00:00Z');
    const { emulator, raw } = await setup({ now: () => clock });
    await raw('POST', '/v1/payment_intents', body, { 'idempotency-key': 'k-1' });
    const other = await raw('POST', '/v1/payment_intents', encodeStripeForm({ amount: 1100, currency: 'usd' }), { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      error: {
        type: 'idempotency_error',
        message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'k-1' if you meant to execute a different request.",
      },
    });
    const otherEndpoint = await raw('POST', '/v1/refunds', body, { 'idempotency-key': 'k-1' });
    expect((await otherEndpoint.json()) as object).toMatchObject({ error: { type: 'idempotency_error' } });
    clock += 24 * 60 * 60 * 1000 + 1;
    const later = await raw('POST', '/v1/payment_intents', body, { 'idempotency-key': 'k-1' });
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect((await emulatorState(emulator.url)).counts['paymentIntents']).toBe(2);
  });

  it('saves errors once the endpoint ran, but not parameter errors', async () => {
    const { stripe, raw } = await setup();
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const capture = () => raw('POST', `/v1/payment_intents/${intent.id}/capture`, '', { 'idempotency-key': 'cap-1' });
    const first = await capture();
    const second = await capture();
    expect([first.status, second.status]).toEqual([400, 400]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const invalid = await raw('POST', '/v1/refunds', `payment_intent=${intent.id}&amount=abc`, { 'idempotency-key': 'ref-1' });
    expect(await invalid.json()).toMatchObject({ error: { code: 'parameter_invalid_integer' } });
    const valid = await raw('POST', '/v1/refunds', encodeStripeForm({ payment_intent: intent.id, amount: 100 }), { 'idempotency-key': 'ref-1' });
    expect(valid.status).toBe(200);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('Stripe emulator events, webhooks and sandbox', () => {
  it('signs every change as an event, delivered to the webhook URL and accepted by the SDK', async () => {
    const hook = await receiver();
    const { emulator, stripe } = await setup({ webhookUrl: hook.url });
    const intent = await stripe.paymentIntents.create({ amount: 1099, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: '1001' } });
    await stripe.paymentIntents.capture(intent.id, undefined, { idempotencyKey: 'capture-1001' });
    await stripe.refunds.create({ payment_intent: intent.id, amount: 99 });
    await emulator.idle();
    const expected = ['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded', 'charge.refunded', 'refund.created'];
    expect((await stripe.events.list({ limit: 10 })).data.map((event) => event.type).reverse()).toEqual(expected);
    // Deliveries run concurrently, so (as with Stripe) they may arrive in any order.
    const delivered = hook.received.map((delivery) => JSON.parse(delivery.body) as { type: string; request: unknown; data: { object: { amount_captured: number } } });
    expect(delivered.map((event) => event.type).sort()).toEqual([...expected].sort());
    for (const delivery of hook.received) {
      const signature = delivery.headers['stripe-signature'] as string;
      expect(verifyStripeWebhook(Buffer.from(delivery.body), { 'stripe-signature': signature }, emulator.credentials.webhookSecret, Date.now())).toEqual({ ok: true });
      expect(stripe.webhooks.constructEvent(delivery.body, signature, emulator.credentials.webhookSecret).api_version).toBe('2026-10-28.endive');
    }
    const captured = delivered.find((event) => event.type === 'charge.captured');
    expect(captured?.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: 'capture-1001' });
    expect(captured?.data.object.amount_captured).toBe(1099);
    const state = await emulatorState(emulator.url);
    expect(state.deliveries).toHaveLength(7);
    expect(state.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  it('changes the webhook destination at runtime', async () => {
    const first = await receiver();
    const second = await receiver();
    const { emulator, stripe } = await setup({ webhookUrl: first.url });
    await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    expect(await sandboxPost(emulator.url, '/_sandbox/webhooks', { url: second.url })).toEqual({ url: second.url });
    await stripe.paymentIntents.create({ amount: 200, currency: 'usd' });
    await emulator.idle();
    expect([first.received.length, second.received.length]).toEqual([1, 1]);
    expect((await emulatorState(emulator.url)).webhookUrl).toBe(second.url);
  });

  it('pays out the available balance (pending → paid) with its balance transactions and sends payout.paid', async () => {
    const hook = await receiver();
    const { emulator, stripe } = await setup({ webhookUrl: hook.url });
    await sandboxPost(emulator.url, '/_sandbox/payments', { amount: 1099, currency: 'usd', count: 3 });
    const payout = await sandboxPost<{ id: string; amount: number; status: string }>(emulator.url, '/_sandbox/payouts', {});
    expect(payout).toMatchObject({ amount: 3 * (1099 - 62), status: 'pending' });
    await emulator.idle();
    expect(await stripe.payouts.retrieve(payout.id)).toMatchObject({ status: 'paid', amount: 3111 });
    const txns = await stripe.balanceTransactions.list({ payout: payout.id, limit: 100 });
    expect(txns.data.map((txn) => [txn.type, txn.net])).toEqual([['payout', -3111], ['charge', 1037], ['charge', 1037], ['charge', 1037]]);
    expect((await stripe.balance.retrieve()).available).toMatchObject([{ amount: 0, currency: 'usd' }]);
    const paid = hook.received.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { object: { status: string } } }).filter((event) => event.type.startsWith('payout.'));
    expect(paid.map((event) => [event.type, event.data.object.status]).sort()).toEqual([['payout.created', 'pending'], ['payout.paid', 'paid']]);
    const empty = await fetch(`${emulator.url}/_sandbox/payouts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: 'balance_insufficient' } });
  });

  it('disputes a charge: charge.dispute.created, and the amount plus a 15.00 fee leave the balance', async () => {
    const hook = await receiver();
    const { emulator, stripe } = await setup({ webhookUrl: hook.url });
    const [intent] = (await sandboxPost<{ data: { latest_charge: string }[] }>(emulator.url, '/_sandbox/payments', { amount: 5000, currency: 'usd' })).data;
    const dispute = await sandboxPost<{ id: string; amount: number; status: string; reason: string }>(emulator.url, '/_sandbox/disputes', { charge: intent?.latest_charge });
    expect(dispute).toMatchObject({ amount: 5000, status: 'needs_response', reason: 'fraudulent' });
    await emulator.idle();
    const created = hook.received.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { object: { id: string } } }).find((event) => event.type === 'charge.dispute.created');
    expect(created?.data.object.id).toBe(dispute.id);
    const [txn] = (await stripe.balanceTransactions.list({ limit: 1 })).data;
    expect(txn).toMatchObject({ type: 'adjustment', reporting_category: 'dispute', amount: -5000, fee: 1500, net: -6500, source: dispute.id });
    expect(await stripeError(stripe.refunds.create({ charge: intent?.latest_charge as string }))).toMatchObject({ code: 'charge_disputed' });
  });

  it('pages lists with limit, starting_after and has_more', async () => {
    const { emulator, stripe } = await setup();
    await sandboxPost(emulator.url, '/_sandbox/payments', { amount: 100, currency: 'usd', count: 5 });
    const first = await stripe.balanceTransactions.list({ limit: 2 });
    const second = await stripe.balanceTransactions.list({ limit: 2, starting_after: first.data[1]?.id as string });
    const third = await stripe.balanceTransactions.list({ limit: 2, starting_after: second.data[1]?.id as string });
    expect([first.has_more, second.has_more, third.has_more]).toEqual([true, true, false]);
    expect(new Set([...first.data, ...second.data, ...third.data].map((txn) => txn.id)).size).toBe(5);
    expect(await stripeError(stripe.balanceTransactions.list({ limit: 101 }))).toMatchObject({ statusCode: 400, code: 'parameter_invalid_integer' });
  });

  it('lists payouts newest first by created range and status, paged both ways', async () => {
    let now = Date.UTC(2026, 10, 1);
    const { emulator, stripe } = await setup({ now: () => now });
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      await sandboxPost(emulator.url, '/_sandbox/payments', { amount: 1000 + n, currency: 'usd' });
      ids.push((await sandboxPost<{ id: string }>(emulator.url, '/_sandbox/payouts', {})).id);
      now += 100_000;
    }
    await emulator.idle();
    const start = Date.UTC(2026, 10, 1) / 1000;
    const all = await stripe.payouts.list({ limit: 10 });
    expect(all.data.map((p) => p.id)).toEqual([...ids].reverse());
    const ranged = await stripe.payouts.list({ created: { gte: start + 100, lte: start + 200 }, limit: 10 });
    expect(ranged.data.map((p) => [p.id, p.created])).toEqual([[ids[2], start + 200], [ids[1], start + 100]]);
    expect((await stripe.payouts.list({ created: { gt: start + 200 } })).data.map((p) => p.id)).toEqual([ids[3]]);
    const first = await stripe.payouts.list({ limit: 3 });
    const next = await stripe.payouts.list({ limit: 3, starting_after: first.data[2]?.id as string });
    expect([first.has_more, next.has_more, next.data.map((p) => p.id)]).toEqual([true, false, [ids[0]]]);
    const back = await stripe.payouts.list({ limit: 2, ending_before: ids[0] as string });
    expect([back.has_more, back.data.map((p) => p.id)]).toEqual([true, [ids[2], ids[1]]]);
    const front = await stripe.payouts.list({ limit: 2, ending_before: ids[2] as string });
    expect([front.has_more, front.data.map((p) => p.id)]).toEqual([false, [ids[3]]]);
    expect((await stripe.payouts.list({ status: 'paid' })).data).toHaveLength(4);
    expect((await stripe.payouts.list({ status: 'pending' })).data).toEqual([]);
    expect(await stripeError(stripe.payouts.list({ starting_after: 'po_missing' }))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('injects faults in Stripe’s shapes: 429 rate_limit_error with Retry-After, 500 api_error, 503 in an outage', async () => {
    const { emulator, raw } = await setup({ random: scripted(0.1), retryAfterSeconds: 2 });
    await sandboxPost(emulator.url, '/_sandbox/faults', { rateLimitRate: 0.5 });
    const limited = await raw('GET', '/v1/balance');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error', message: expect.stringMatching(/^Request rate limit exceeded/) } });
    await sandboxPost(emulator.url, '/_sandbox/faults', { rateLimitRate: 0, errorRate: 0.5 });
    const failed = await raw('GET', '/v1/balance');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { type: 'api_error' } });
    await sandboxPost(emulator.url, '/_sandbox/faults', { errorRate: 0, outageSeconds: 30 });
    expect((await raw('GET', '/v1/balance')).status).toBe(503);
  });

  it('limits each key to its mode’s requests per second', async () => {
    const { emulator, raw } = await setup({ rateLimit: 2 });
    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await raw('GET', '/v1/balance')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await raw('POST', '/v1/payment_intents', 'amount=100&currency=usd')).status).toBe(200);
    expect((await emulatorState(emulator.url)).rateLimited).toBe(1);
  });
});
