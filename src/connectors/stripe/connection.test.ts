import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../model/index.js';
import { InboundEvent, type ConnectionInstance } from '../framework/index.js';
import { startStripeEmulator, stripeConnector, type RunningStripeEmulator, type StripeClient } from './index.js';
import { sandboxPost } from './test-support.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A webhook endpoint that keeps each delivery's raw bytes and headers, as the hub receives them. */
async function hub() {
  const deliveries: { raw: Buffer; headers: Record<string, string | string[] | undefined> }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ raw: Buffer.concat(chunks), headers: request.headers });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/stripe/stripe-main`, deliveries };
}

function connect(emulator: RunningStripeEmulator, secrets: Partial<{ secretKey: string; webhookSecret: string }> = {}): ConnectionInstance<StripeClient> {
  return stripeConnector.create({
    connectionId: 'stripe-main',
    settings: stripeConnector.settings.parse({ baseUrl: emulator.url }),
    secrets: stripeConnector.secrets.parse({ ...emulator.credentials, ...secrets }),
    clock: systemClock,
  });
}

describe('a Stripe connection against the emulator', () => {
  it('check() reports mode, API version and balance, or invalid credentials (401)', async () => {
    const emulator = await startStripeEmulator({ payoutDelayMs: 5 });
    closers.push(() => emulator.close());
    await sandboxPost(emulator.url, '/_sandbox/payments', { amount: 1099, currency: 'usd' });
    expect(await connect(emulator).check()).toMatchObject({ ok: true, apiVersion: '2026-10-28.endive', detail: 'Stripe test mode, API version 2026-10-28.endive; available 10.37 USD' });
    const bad = await connect(emulator, { secretKey: 'sk_test_notTheKey9999' }).check();
    expect(bad).toMatchObject({ ok: false });
    expect(bad.detail).toMatch(/^invalid credentials \(401\): .*Invalid API Key provided: sk_test_\*\*\*\*9999/);
  });

  it('turns the emulator’s signed webhooks into canonical events: verify, identify, interpret', async () => {
    const receiver = await hub();
    const emulator = await startStripeEmulator({ payoutDelayMs: 5, webhookUrl: receiver.url });
    closers.push(() => emulator.close());
    const connection = connect(emulator);
    const [intent] = (await sandboxPost<{ data: { id: string; latest_charge: string }[] }>(emulator.url, '/_sandbox/payments', { amount: 5000, currency: 'usd', captureMethod: 'manual', metadata: { order_id: '1001' } })).data;
    await connection.client.capturePaymentIntent(intent?.id as string, { idempotencyKey: 'capture-1001' });
    await connection.client.createRefund({ paymentIntent: intent?.id as string, amount: { amount: 1000, currency: 'USD' }, metadata: { order_id: '1001' }, idempotencyKey: 'refund-1001' });
    await sandboxPost(emulator.url, '/_sandbox/disputes', { charge: intent?.latest_charge });
    await sandboxPost(emulator.url, '/_sandbox/payments', { amount: 10_000, currency: 'usd' });
    await sandboxPost(emulator.url, '/_sandbox/payouts', {});
    await emulator.idle();

    const seen = new Set<string>();
    const events: InboundEvent[] = [];
    for (const delivery of receiver.deliveries) {
      expect(connection.webhooks?.verify(delivery.raw, delivery.headers, Date.now())).toEqual({ ok: true });
      const identity = connection.webhooks!.identify(delivery.raw, delivery.headers);
      expect(seen.has(identity.dedupKey)).toBe(false);
      seen.add(identity.dedupKey);
      expect(identity.apiVersion).toBe('2026-10-28.endive');
      events.push(...connection.interpret!(identity.topic, delivery.raw.toString('utf8')).map((event) => InboundEvent.parse(event)));
    }
    const payments = events.flatMap((event) => (event.kind === 'payment' ? [event.transaction] : []));
    const summary = (kind: string) => payments.filter((t) => t.kind === kind).map((t) => [t.id, t.reference, t.amount.amount, t.status]);
    expect(summary('authorization')).toEqual([[intent?.id, intent?.id, 5000, 'succeeded']]);
    // charge.captured and payment_intent.succeeded report the same capture under one id (the charge).
    const captures = summary('capture').filter(([id]) => id === intent?.latest_charge);
    expect(captures.map(([, reference, amount]) => `${reference}:${amount}`).sort()).toEqual([`${intent?.latest_charge}:5000`, `${intent?.id}:5000`].sort());
    // charge.refunded and refund.created report the same refund movement under one id (the refund).
    const refunds = summary('refund');
    expect(refunds).toHaveLength(2);
    expect(refunds[0]).toEqual(refunds[1]);
    expect(refunds[0]).toEqual([expect.stringMatching(/^re_/), expect.stringMatching(/^re_/), 1000, 'succeeded']);
    expect(summary('chargeback')).toEqual([[expect.stringMatching(/^dp_/), expect.stringMatching(/^dp_/), 4000, 'succeeded']]);
    expect(payments.filter((t) => t.kind !== 'chargeback' && t.orderId !== '1001').map((t) => t.reference)).toEqual([payments.find((t) => t.amount.amount === 10_000)?.reference]);
    expect(events.filter((event) => event.kind === 'refund')).toMatchObject([{ orderExternalId: '1001', refund: { amount: 1000, currency: 'USD' } }]);
    const payouts = events.flatMap((event) => (event.kind === 'payout' ? [event.payout] : []));
    expect(payouts.map((payout) => [payout.status, payout.amount])).toEqual(expect.arrayContaining([['paid', 5000 - 175 - 1000 - 4000 - 1500 + 10_000 - 320]]));
  });
});
