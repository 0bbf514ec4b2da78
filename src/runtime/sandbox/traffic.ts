import type { Logger } from 'pino';
import { decimalToMinor } from '../../model/index.js';
import { sandboxCatalog } from './catalog.js';
import { basketToShopifyOrder, randomBasket } from './shopper.js';

/** Where simulated shoppers and operations act. */
export interface TrafficTargets {
  shopify: { baseUrl: string };
  stripe: { baseUrl: string; secretKey: string };
  warehouse: { baseUrl: string };
  erpnext?: { baseUrl: string; apiKey: string; apiSecret: string };
}

/** The product launch the sandbox plays once: a new product sells before it exists in the ERP, which catches up later. */
export const launchProduct = { sku: 'LAUNCH-JACKET-M', title: 'Launch jacket M', price: 8900 };

/** Pace and mix of the simulated traffic. */
export interface TrafficOptions {
  /** Orders per minute (default 30). */
  ordersPerMinute?: number;
  /** Share of orders that get a later edit (orders/updated), default 0.15. */
  updateRate?: number;
  /** Seconds between Stripe payouts (default 60). */
  payoutEverySeconds?: number;
  /** Seconds between warehouse stock movements (default 20). */
  stockEverySeconds?: number;
  /**
   * Seconds after start when a new product (`launchProduct`) arrives at the warehouse and sells in the shop before the
   * ERP has the item, so its order cannot be booked (a dead letter, then a stuck order); and seconds after that sale
   * when the merchandiser creates the item in the ERP, so replaying the dead letter from the console books the order.
   * Default 30 and 120; `false` plays no launch.
   */
  launch?: { afterSeconds: number; erpCatchUpSeconds: number } | false;
  random?: () => number;
  logger?: Logger;
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${response.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Simulated shoppers and operations against the emulators: each order is authorised at Stripe
 * (a PaymentIntent with manual capture) and placed in Shopify, which sends orders/create to the
 * hub; some orders are edited later, the warehouse receives and counts stock, and Stripe pays out.
 */
export function startTraffic(targets: TrafficTargets, options: TrafficOptions = {}): { stop(): void; stats(): Record<string, number> } {
  const random = options.random ?? Math.random;
  const stats = { orders: 0, updates: 0, payouts: 0, stockMoves: 0, errors: 0 };
  let number = 1000 + Math.floor(random() * 1000) * 10;
  const timers: NodeJS.Timeout[] = [];
  const fail = (what: string) => (error: unknown) => {
    stats.errors += 1;
    options.logger?.warn({ err: error }, `sandbox traffic: ${what} failed`);
  };

  const placeOrder = async (basket = randomBasket(random)) => {
    const draft = basketToShopifyOrder(basket, { number: ++number, paymentIntent: 'pending', random, now: new Date() });
    const intent = (await call(`${targets.stripe.baseUrl}/v1/payment_intents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${targets.stripe.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        amount: String(decimalToMinor(draft.total_price, 'USD')),
        currency: 'usd',
        capture_method: 'manual',
        confirm: 'true',
        payment_method: 'pm_card_visa',
        'metadata[order_number]': draft.name,
      }).toString(),
    })) as { id: string };
    const order = { ...draft, checkout_token: intent.id, note_attributes: [{ name: 'payment_intent', value: intent.id }] };
    const created = (await call(`${targets.shopify.baseUrl}/_sandbox/orders`, json(order))) as { order?: { id?: unknown }; id?: unknown };
    stats.orders += 1;
    const id = String(created.order?.id ?? created.id ?? '');
    if (id && random() < (options.updateRate ?? 0.15)) {
      setTimeout(() => {
        call(`${targets.shopify.baseUrl}/_sandbox/orders/${id}`, json({ tags: 'vip', note: 'customer asked for gift wrap' }))
          .then(() => {
            stats.updates += 1;
          })
          .catch(fail('order update'));
      }, 2000 + random() * 3000).unref();
    }
  };

  const moveStock = async () => {
    const product = sandboxCatalog[Math.floor(random() * sandboxCatalog.length)]!;
    await call(`${targets.warehouse.baseUrl}/_sandbox/stock`, json({ sku: product.sku, onHand: 20 + Math.floor(random() * 80) }));
    stats.stockMoves += 1;
  };

  const launch = async (erp: NonNullable<TrafficTargets['erpnext']>, erpCatchUpSeconds: number) => {
    await call(`${targets.warehouse.baseUrl}/_sandbox/stock`, json({ sku: launchProduct.sku, onHand: 40 }));
    await new Promise((resolve) => setTimeout(resolve, 3000).unref());
    await placeOrder({ lines: [{ sku: launchProduct.sku, title: launchProduct.title, quantity: 1, unitPrice: launchProduct.price }], shipping: 500, taxRate: '0.08' });
    options.logger?.warn(`sandbox traffic: ${launchProduct.sku} sold before it exists in the ERP; its order waits for the item (created in ${erpCatchUpSeconds} s), then replay its dead letter from the console`);
    const timer = setTimeout(() => {
      const item = { item_code: launchProduct.sku, item_name: launchProduct.title, item_group: 'Products', stock_uom: 'Nos', is_stock_item: 1 };
      call(`${erp.baseUrl}/api/resource/Item`, { ...json(item), headers: { 'content-type': 'application/json', authorization: `token ${erp.apiKey}:${erp.apiSecret}` } }).catch(fail('launch item in the ERP'));
    }, erpCatchUpSeconds * 1000);
    timer.unref();
    timers.push(timer);
  };

  const payout = async () => {
    await call(`${targets.stripe.baseUrl}/_sandbox/payouts`, json({}));
    stats.payouts += 1;
  };

  const every = (ms: number, work: () => Promise<void>, what: string) => {
    const timer = setInterval(() => void work().catch(fail(what)), ms);
    timer.unref();
    timers.push(timer);
  };
  every(60_000 / (options.ordersPerMinute ?? 30), () => placeOrder(), 'order');
  const plan = options.launch ?? { afterSeconds: 30, erpCatchUpSeconds: 120 };
  if (plan && targets.erpnext) {
    const erp = targets.erpnext;
    const timer = setTimeout(() => void launch(erp, plan.erpCatchUpSeconds).catch(fail('product launch')), plan.afterSeconds * 1000);
    timer.unref();
    timers.push(timer);
  }
  every((options.stockEverySeconds ?? 20) * 1000, moveStock, 'stock movement');
  every((options.payoutEverySeconds ?? 60) * 1000, payout, 'payout');
  return {
    stop: () => timers.forEach((timer) => clearTimeout(timer)),
    stats: () => ({ ...stats }),
  };
}
