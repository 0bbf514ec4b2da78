import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalToMinor } from '../src/model/index.js';
import { basketToShopifyOrder, type Basket, type Sandbox } from '../src/runtime/sandbox/index.js';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';

/**
 * A Stripe payout whose webhooks the hub never got, read back by reconciliation: the capture shows as
 * not settled with the `fetch-payouts` correction, resolving it lists Stripe's payouts since the capture
 * and stores, matches and books the one the hub lacked, and a second run finds nothing for the capture.
 */
const key = 'recon-stripe-payouts-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;
let number = 8600;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const stripeAuth = () => ({ authorization: `Bearer ${sandbox.connections['stripe-main']!.secretKey}` });

interface Drift {
  id: string;
  kind: string;
  entity: string;
  systems: string[];
  expected: Record<string, unknown> | null;
  actual: Record<string, unknown> | null;
  correction: string | null;
  status: string;
  resolution: string | null;
}

interface Run {
  status: string;
  drift: Drift[];
  checks: { name: string; error?: string }[];
}

interface HubPayout {
  id: string;
  reference: string;
  linesState: string;
  matched: number;
  unmatched: number;
}

/** A shopper's order: authorised at Stripe (manual capture), then placed in Shopify, which tells the hub. */
async function placeOrder(basket: Basket): Promise<{ externalId: string; intent: string; total: number }> {
  const draft = basketToShopifyOrder(basket, { number: ++number, paymentIntent: 'pending', random: () => 0.5, now: new Date() });
  const total = decimalToMinor(draft.total_price, 'USD');
  const intent = await call('POST', `${url('stripe-main')}/v1/payment_intents`, new URLSearchParams({ amount: String(total), currency: 'usd', capture_method: 'manual', confirm: 'true', payment_method: 'pm_card_visa' }).toString(), stripeAuth());
  expect(intent.status).toBe(200);
  const created = await call('POST', `${url('shop-main')}/_sandbox/orders`, { ...draft, note_attributes: [{ name: 'payment_intent', value: intent.body['id'] }] });
  expect(created.status).toBeLessThan(300);
  const order = (created.body['order'] ?? created.body) as { id: number | string };
  return { externalId: String(order.id), intent: String(intent.body['id']), total };
}

/** The hub order's id once its payment was captured at acceptance. */
async function capturedOrder(externalId: string): Promise<string> {
  return (await waitFor(async () => {
    const page = await api('GET', '/v1/orders?source=shop-main&limit=500');
    const id = (page.body['data'] as { id: string; externalId: string }[]).find((o) => o.externalId === externalId)?.id;
    if (!id) return undefined;
    const order = (await api('GET', `/v1/orders/${id}`)).body as unknown as { workflows: { steps: { name: string; status: string; documents: Record<string, unknown> }[] }[] };
    const payment = order.workflows.flatMap((w) => w.steps).find((s) => s.name === 'payment');
    return payment?.status === 'done' && payment.documents['capture'] ? id : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100, what: `order ${externalId} captured` }))!;
}

async function runReconciliation(scope: string[]): Promise<Run> {
  const started = await api('POST', '/v1/reconciliation/runs', { scope });
  expect(started.status).toBe(202);
  const id = String(started.body['id']);
  return (await waitFor(async () => {
    const run = await api('GET', `/v1/reconciliation/runs/${id}`);
    return run.body['status'] === 'succeeded' || run.body['status'] === 'failed' ? (run.body as unknown as Run) : undefined;
  }, { timeoutMs: 30_000, what: `reconciliation run ${id}` }))!;
}

const hubPayouts = async () => (await api('GET', '/v1/payouts')).body['data'] as HubPayout[];

beforeAll(async () => {
  env = await startSandboxHub({
    name: 'recon-stripe-payouts',
    key,
    configure: (config) => {
      config['orderToCash']!['captureOn'] = 'acceptance';
      // Money is expected in a payout a moment after its capture (a week by default).
      config['settlement'] = { delay: '200ms', tolerance: 0 };
    },
  });
  ({ sandbox, api } = env);
  expect((await call('POST', `${url('wh-main')}/_sandbox/behaviour`, { shipDelayMs: 600_000 })).status).toBe(200);
}, 60_000);

afterAll(() => env?.stop());

describe('reconciliation reads back a Stripe payout whose webhooks were missed', () => {
  it('finds the capture not settled with fetch-payouts, fetches, matches and books the payout on resolution, then finds nothing', async () => {
    const placed = await placeOrder({ lines: [{ sku: 'TEE-RED-M', title: 'Tee red M', quantity: 2, unitPrice: 2500 }], shipping: 599, taxRate: '0.0625' });
    const orderId = await capturedOrder(placed.externalId);

    // Stripe pays out while its webhooks go nowhere: the hub hears of neither payout.created nor payout.paid.
    const hookUrl = `${env!.hub.url}/webhooks/stripe/stripe-main`;
    expect((await call('POST', `${url('stripe-main')}/_sandbox/webhooks`, { url: null })).status).toBe(200);
    const made = await call('POST', `${url('stripe-main')}/_sandbox/payouts`, {});
    expect(made.status).toBe(200);
    const reference = String(made.body['id']);
    await waitFor(async () => (await call('GET', `${url('stripe-main')}/v1/payouts/${reference}`, undefined, stripeAuth())).body['status'] === 'paid', {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: `payout ${reference} paid at Stripe`,
    });
    expect((await call('POST', `${url('stripe-main')}/_sandbox/webhooks`, { url: hookUrl })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await hubPayouts()).find((p) => p.reference === reference)).toBeUndefined();

    const entity = `capture:stripe:${placed.intent}`;
    const first = await runReconciliation(['payments']);
    expect(first.status).toBe('succeeded');
    expect(first.checks.filter((c) => c.error)).toEqual([]);
    const missed = first.drift.find((d) => d.entity === entity);
    expect(missed).toMatchObject({ kind: 'capture_not_settled', systems: ['hub', 'stripe-main'], correction: 'fetch-payouts', status: 'open', actual: null, expected: expect.objectContaining({ orderId }) });

    const resolved = await api('POST', `/v1/reconciliation/drift/${missed!.id}/resolve`, { note: 'payout webhook missed' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: expect.stringContaining(reference) });

    // Stored with its lines, the capture's charge matched, and booked.
    const payout = (await waitFor(async () => {
      const found = (await hubPayouts()).find((p) => p.reference === reference);
      return found && found.linesState === 'fetched' && found.matched > 0 ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: `payout ${reference} fetched and matched` }))!;
    expect(payout.unmatched).toBe(0);
    const explained = (await waitFor(async () => {
      const body = (await api('GET', `/v1/payouts/${payout.id}/explain`)).body as unknown as { payoutEntry: { lines: { account: string; debit: number; credit: number }[] } | null; totals: { fees: number; amount: number } };
      return body.payoutEntry ? body : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: `payout ${reference} booked` }))!;
    expect(explained.totals.amount).toBe(made.body['amount']);
    expect(explained.payoutEntry!.lines.find((l) => l.debit === explained.totals.amount)?.account).toMatch(/^Bank/);

    const second = await runReconciliation(['payments']);
    expect(second.status).toBe('succeeded');
    expect(second.checks.filter((c) => c.error)).toEqual([]);
    expect(second.drift.filter((d) => d.entity === entity || d.entity.startsWith(`settlement:${reference}:`))).toEqual([]);
    expect(second.drift).toEqual([]);
  }, 120_000);
});
