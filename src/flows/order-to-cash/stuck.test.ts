import { afterEach, describe, expect, it } from 'vitest';
import { exampleOrder, newId, parseOrder, systemClock, transientError } from '../../model/index.js';
import { createDispatcher, type Dispatcher } from '../../messaging/index.js';
import { countOverdueRuns, openTestSqlite, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { OrderToCashConfig } from './config.js';
import { createOrderIntake } from './intake.js';
import { createOrderToCash } from './order-to-cash.js';
import type { ErpPort } from './ports.js';
import { listStuckOrders } from './queries.js';

describe('stuck orders', () => {
  let store: Store;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    await store?.close();
  });

  it('lists an order whose step runs past its SLA, with the step and the last error, until it gets going again', async () => {
    store = await openTestSqlite();
    let erpDown = true;
    const erp: ErpPort = {
      connectionId: 'erp-main',
      system: 'erpnext',
      async bookSalesOrder() {
        if (erpDown) throw transientError('erp_unavailable', 'ERP answered 503');
        return { salesOrder: 'SAL-ORD-1', customer: 'C-1' };
      },
      cancelSalesOrder: async () => undefined,
      reduceSalesOrder: async () => undefined,
      deliver: async () => ({ deliveryNote: 'DN-1' }),
      invoice: async () => ({ salesInvoice: 'SI-1' }),
      creditNote: async () => ({ creditNote: 'CN-1' }),
    };
    const config = OrderToCashConfig.parse({ erp: 'erp-main', slas: { 'book-sales-order': 50 } });
    const orderToCash = createOrderToCash({ store, clock: systemClock, newId, config, ports: { erp: (id) => (id === 'erp-main' ? erp : undefined), warehouse: () => undefined, channel: () => undefined, payment: () => undefined } });
    for (const handler of orderToCash.handlers) handler.definition.retry = { ...handler.definition.retry, baseDelayMs: 20, maxDelayMs: 40 };
    dispatcher = createDispatcher({ store, handlers: orderToCash.handlers, clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    const parsed = parseOrder(exampleOrder());
    if (!parsed.ok) throw new Error('the example order is invalid');
    const intake = createOrderIntake({ store, clock: systemClock, newId });
    const accepted = await intake.submit({ order: parsed.order, principal: 'test', via: 'test' });
    const orderId = String(accepted.body['id']);

    const stuck = await waitFor(async () => {
      const page = await listStuckOrders(store.db, Date.now(), 10);
      return page.data.length > 0 ? page.data : undefined;
    }, { what: 'the order to be listed as stuck' }) as Record<string, unknown>[];
    expect(stuck[0]).toMatchObject({ id: orderId, status: 'accepted', stuck: { workflow: 'order-placement', step: 'book-sales-order', lastError: 'erp_unavailable: ERP answered 503' } });
    expect(await countOverdueRuns(store.db, Date.now())).toBe(1);

    erpDown = false;
    await waitFor(async () => (await countOverdueRuns(store.db, Date.now())) === 0, { what: 'the order to get going again' });
    expect((await listStuckOrders(store.db, Date.now(), 10)).data).toEqual([]);
  });
});
