import { afterEach, describe, expect, it } from 'vitest';
import { createErpnextClient, ErpnextSettings, startErpnextEmulator, type RunningErpnextEmulator } from '../../connectors/erpnext/index.js';
import { assertOrder, exampleOrder } from '../../model/index.js';
import { erpnextPortOf } from './erpnext.js';

const running: RunningErpnextEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** An emulator with a Unique reference field (as the ERPNext guide asks), a client that records its calls, and the port over it. */
async function start() {
  const emulator = await startErpnextEmulator({ uniqueReference: true });
  running.push(emulator);
  const calls: string[] = [];
  const client = createErpnextClient({
    connectionId: 'erp-test',
    settings: ErpnextSettings.parse({ baseUrl: emulator.url, company: emulator.company, rateLimit: { capacity: 500, perSecond: 500 } }),
    secrets: emulator.credentials,
    baseDelayMs: 1,
    fetch: async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (!url.pathname.endsWith('getdoctype')) calls.push(`${init?.method ?? 'GET'} ${decodeURIComponent(url.pathname)}`);
      return fetch(input, init);
    },
  });
  const accounts = { tax: `Sales Tax - ${emulator.abbr}`, shipping: `Shipping Income - ${emulator.abbr}` };
  const documents = async (doctype: string) => (await (await fetch(`${emulator.url}/_sandbox/documents?doctype=${encodeURIComponent(doctype)}`)).json()) as { count: number; data: Record<string, unknown>[] };
  return { emulator, client, calls, accounts, documents, port: () => erpnextPortOf('erp-test', client, accounts) };
}

const order = (externalId: string, customer = 'c-42') => assertOrder(exampleOrder({ externalId, number: `#${externalId}`, customer: { externalId: customer, email: `${customer}@example.com`, name: `Shopper ${customer}` } }));
const signal = new AbortController().signal;

describe('the ERPNext order port: calls per order', () => {
  it('books a new customer’s order in 4 calls, a returning one’s in 2, and in 3 after a restart; each Sales Order submitted once', async () => {
    const { calls, port: makePort, documents } = await start();
    const port = makePort();

    const first = await port.bookSalesOrder({ reference: 'ord_1', order: order('1001'), lineWarehouses: {} }, signal);
    expect(calls).toEqual(['GET /api/resource/Customer', 'POST /api/resource/Customer', 'GET /api/resource/Sales Order', 'POST /api/resource/Sales Order']);

    calls.length = 0;
    const second = await port.bookSalesOrder({ reference: 'ord_2', order: order('1002'), lineWarehouses: {} }, signal);
    expect(calls).toEqual(['GET /api/resource/Sales Order', 'POST /api/resource/Sales Order']);
    expect(second.customer).toBe(first.customer);

    // A new process knows no customers yet: the returning customer is found by one list call.
    calls.length = 0;
    await makePort().bookSalesOrder({ reference: 'ord_3', order: order('1003'), lineWarehouses: {} }, signal);
    expect(calls).toEqual(['GET /api/resource/Customer', 'GET /api/resource/Sales Order', 'POST /api/resource/Sales Order']);

    const orders = await documents('Sales Order');
    expect(orders.count).toBe(3);
    expect(orders.data.map((d) => [d['tillbridge_ref'], d['docstatus'], d['grand_total'], d['customer']])).toEqual([
      ['ord_1', 1, 52.81, first.customer],
      ['ord_2', 1, 52.81, first.customer],
      ['ord_3', 1, 52.81, first.customer],
    ]);
    expect((await documents('Customer')).data.filter((c) => c['tillbridge_ref'] === 'web-store:c-42')).toHaveLength(1);
  });

  it('delivers and invoices in 3 calls each, submitted by the insert; a redelivered message finds them', async () => {
    const { calls, port: makePort, documents } = await start();
    const port = makePort();
    const { salesOrder } = await port.bookSalesOrder({ reference: 'ord_1', order: order('1001'), lineWarehouses: {} }, signal);

    calls.length = 0;
    const { deliveryNote } = await port.deliver({ reference: 'ful_1', salesOrder, lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }], postingDate: '2026-11-27' }, signal);
    expect(calls).toEqual(['GET /api/resource/Delivery Note', `GET /api/resource/Sales Order/${salesOrder}`, 'POST /api/resource/Delivery Note']);

    calls.length = 0;
    const { salesInvoice } = await port.invoice({ reference: 'inv_1', salesOrder, postingDate: '2026-11-27' }, signal);
    expect(calls).toEqual(['GET /api/resource/Sales Invoice', `GET /api/resource/Sales Order/${salesOrder}`, 'POST /api/resource/Sales Invoice']);

    expect(await port.deliver({ reference: 'ful_1', salesOrder, lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }], postingDate: '2026-11-27' }, signal)).toEqual({ deliveryNote });
    expect(await port.invoice({ reference: 'inv_1', salesOrder, postingDate: '2026-11-27' }, signal)).toEqual({ salesInvoice });
    expect((await documents('Delivery Note')).data.map((d) => d['docstatus'])).toEqual([1]);
    expect((await documents('Sales Invoice')).data.map((d) => [d['docstatus'], d['grand_total']])).toEqual([[1, 52.81]]);
    expect((await documents('Sales Order')).data[0]).toMatchObject({ per_delivered: 100, per_billed: 100, status: 'Completed' });
  });

  it('delivers and invoices against the amendment of a Sales Order cancelled and amended in ERPNext', async () => {
    const { emulator, port: makePort, documents } = await start();
    const port = makePort();
    const { salesOrder } = await port.bookSalesOrder({ reference: 'ord_1', order: order('1001'), lineWarehouses: {} }, signal);
    const cancelled = await fetch(`${emulator.url}/_sandbox/desk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ doctype: 'Sales Order', name: salesOrder, action: 'cancel' }) });
    expect(cancelled.status).toBe(200);
    const { salesOrder: amended } = await port.amendSalesOrder!(salesOrder, signal);
    expect(amended).toBe(`${salesOrder}-1`);
    // The order's workflow still knows the original name: the port works on the ERP's current version.
    const { deliveryNote } = await port.deliver({ reference: 'ful_1', salesOrder, lines: [{ lineId: '1', sku: 'TEE-RED-M', quantity: 2 }], postingDate: '2026-11-27' }, signal);
    const { salesInvoice } = await port.invoice({ reference: 'inv_1', salesOrder, postingDate: '2026-11-27' }, signal);
    const rowsOf = (doc: Record<string, unknown>) => (doc['items'] as Record<string, unknown>[]).map((r) => r['against_sales_order'] ?? r['sales_order']);
    expect(rowsOf((await documents('Delivery Note')).data.find((d) => d['name'] === deliveryNote)!)).toEqual([amended]);
    expect(rowsOf((await documents('Sales Invoice')).data.find((d) => d['name'] === salesInvoice)!)).toEqual([amended]);
  });

  it('submits a draft Sales Order it finds by reference (one made by an earlier version)', async () => {
    const { client, port: makePort, documents } = await start();
    const port = makePort();
    const customer = await client.customers.ensure({ reference: 'web-store:c-42', name: 'Shopper c-42' });
    const draft = await client.salesOrders.ensure({
      reference: 'ord_draft',
      customer: customer.customer.name,
      currency: 'USD',
      transactionDate: '2026-11-26',
      deliveryDate: '2026-11-26',
      lines: [{ itemCode: 'TEE-RED-M', qty: 2, rate: 2500 }],
      charges: [
        { account: 'Sales Tax - TB', description: 'Tax', amount: 281 },
        { account: 'Shipping Income - TB', description: 'Shipping (standard)', amount: 500 },
      ],
      discount: 500,
    });
    expect(draft.doc.state).toBe('draft');
    expect(await port.bookSalesOrder({ reference: 'ord_draft', order: order('1001'), lineWarehouses: {} }, signal)).toEqual({ salesOrder: draft.doc.name, customer: customer.customer.name });
    expect((await documents('Sales Order')).data.map((d) => d['docstatus'])).toEqual([1]);
  });

  it('looks a remembered customer up again on the retry after ERPNext says it no longer exists', async () => {
    const { emulator, client, calls, port: makePort, documents } = await start();
    const port = makePort();
    const first = await port.bookSalesOrder({ reference: 'ord_1', order: order('1001'), lineWarehouses: {} }, signal);
    await client.cancelDoc('Sales Order', first.salesOrder);
    const auth = { authorization: `token ${emulator.credentials.apiKey}:${emulator.credentials.apiSecret}` };
    expect((await fetch(`${emulator.url}/api/resource/Customer/${encodeURIComponent(first.customer)}`, { method: 'DELETE', headers: auth })).status).toBe(202);

    await expect(port.bookSalesOrder({ reference: 'ord_2', order: order('1002'), lineWarehouses: {} }, signal)).rejects.toMatchObject({ code: 'erpnext_customer_stale', retryable: true });
    calls.length = 0;
    const retried = await port.bookSalesOrder({ reference: 'ord_2', order: order('1002'), lineWarehouses: {} }, signal);
    expect(calls).toEqual(['GET /api/resource/Customer', 'POST /api/resource/Customer', 'GET /api/resource/Sales Order', 'POST /api/resource/Sales Order']);
    expect((await documents('Sales Order')).data.filter((d) => d['tillbridge_ref'] === 'ord_2').map((d) => [d['docstatus'], d['customer']])).toEqual([[1, retried.customer]]);
  });
});
