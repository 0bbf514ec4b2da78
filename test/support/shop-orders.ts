import { expect } from 'vitest';
import { decimalToMinor } from '../../src/model/index.js';
import { basketToShopifyOrder, type Basket, type Sandbox } from '../../src/runtime/sandbox/index.js';
import { waitFor } from '../../src/testing/index.js';
import { call, type apiClient } from './http.js';

type Api = ReturnType<typeof apiClient>;

/** A Shopify customer to place an order as, instead of the basket's made-up one. */
export interface ShopCustomer {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
}

/** An order placed in the sandbox: its Shopify id, its Stripe PaymentIntent and its total in minor units. */
export interface PlacedOrder {
  externalId: string;
  intent: string;
  total: number;
}

/** A hub order as GET /v1/orders/:id shows it, with the parts tests read from its workflows. */
export interface HubOrderView {
  id: string;
  externalId: string;
  workflows: { steps: { name: string; status: string; documents: Record<string, unknown> }[] }[];
}

/**
 * A shopper's order: authorised at Stripe (manual capture), then placed in Shopify as order `number`, which tells
 * the hub unless `webhook` is false; as `customer` when given.
 */
export async function placeShopOrder(sandbox: Sandbox, basket: Basket, options: { number: number; webhook?: boolean; customer?: ShopCustomer }): Promise<PlacedOrder> {
  const stripe = sandbox.connections['stripe-main']!;
  const made = basketToShopifyOrder(basket, { number: options.number, paymentIntent: 'pending', random: () => 0.5, now: new Date() });
  const draft = options.customer ? { ...made, email: options.customer.email, customer: { ...made.customer, ...options.customer } } : made;
  const total = decimalToMinor(draft.total_price, 'USD');
  const form = new URLSearchParams({ amount: String(total), currency: 'usd', capture_method: 'manual', confirm: 'true', payment_method: 'pm_card_visa' }).toString();
  const intent = await call('POST', `${stripe.baseUrl}/v1/payment_intents`, form, { authorization: `Bearer ${stripe.secretKey}` });
  expect(intent.status).toBe(200);
  const query = options.webhook === false ? '?webhook=false' : '';
  const created = await call('POST', `${sandbox.connections['shop-main']!.baseUrl}/_sandbox/orders${query}`, { ...draft, note_attributes: [{ name: 'payment_intent', value: intent.body['id'] }] });
  expect(created.status).toBeLessThan(300);
  const order = (created.body['order'] ?? created.body) as { id: number | string };
  return { externalId: String(order.id), intent: String(intent.body['id']), total };
}

/** The hub's id of the Shopify order `externalId`, if the hub has it now. */
export async function hubOrderId(api: Api, externalId: string): Promise<string | undefined> {
  const page = await api('GET', '/v1/orders?source=shop-main&limit=500');
  return (page.body['data'] as { id: string; externalId: string }[]).find((o) => o.externalId === externalId)?.id;
}

/** The hub's id of the Shopify order `externalId`, once the hub has it (within 20 s). */
export async function untilInHub(api: Api, externalId: string): Promise<string> {
  return (await waitFor(() => hubOrderId(api, externalId), { timeoutMs: 20_000, what: `order ${externalId} in the hub` }))!;
}

/** The hub order once its status is `status`; on timeout, the error tells its last status and workflows. */
export async function untilStatus(api: Api, orderId: string, status: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  await waitFor(async () => {
    last = (await api('GET', `/v1/orders/${orderId}`)).body;
    return last['status'] === status;
  }, { timeoutMs, intervalMs: 100, what: `order ${orderId} to be ${status}` }).catch((error: Error) => {
    throw new Error(`${error.message}; it is ${String(last['status'])}: ${JSON.stringify(last['workflows'])}`);
  });
  return last;
}

/** The hub order of the Shopify order `externalId` once its payment step has captured (within 30 s). */
export async function untilCaptured(api: Api, externalId: string): Promise<HubOrderView> {
  return (await waitFor(async () => {
    const id = await hubOrderId(api, externalId);
    if (!id) return undefined;
    const order = (await api('GET', `/v1/orders/${id}`)).body as unknown as HubOrderView;
    const payment = order.workflows.flatMap((w) => w.steps).find((s) => s.name === 'payment');
    return payment?.status === 'done' && payment.documents['capture'] ? order : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100, what: `order ${externalId} captured` }))!;
}
