import { afterEach, describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { createCustomerCache, isMissingCustomer } from './customer-cache.js';
import type { NewSalesOrder } from './selling.js';
import { closeEmulators, countingFetch, setup } from './test-support.js';

afterEach(closeEmulators);

const ana = { reference: 'web-store:c-42', name: 'Ana Silva', email: 'ana@example.com' };
const order = (reference: string, customer: string): NewSalesOrder => ({
  reference,
  customer,
  currency: 'USD',
  transactionDate: '2026-11-26',
  deliveryDate: '2026-11-28',
  lines: [{ itemCode: 'CAP-NAVY', qty: 1, rate: 1800 }],
  submit: true,
});
const customerCalls = (calls: string[]) => calls.filter((call) => call.includes('/Customer'));

describe('the customer cache', () => {
  it('looks a customer up once: a returning customer costs no call', async () => {
    const counter = countingFetch();
    const { erp, state } = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch });
    const cache = createCustomerCache(erp.customers);
    const first = await cache.withCustomer(ana, async (name) => name);
    expect(customerCalls(counter.withoutMeta())).toEqual(['GET /api/resource/Customer', 'POST /api/resource/Customer']);
    counter.calls.length = 0;
    expect(await cache.withCustomer(ana, async (name) => name)).toBe(first);
    expect(counter.calls).toEqual([]);
    expect((await state()).byReference['Customer']).toEqual({ [ana.reference]: 1 });
  });

  it('shares one look-up among concurrent first orders of a customer', async () => {
    const counter = countingFetch();
    const { erp, sandbox, state } = await setup({}, {}, { fetch: counter.fetch });
    await sandbox('faults', { latencyMs: 30 });
    const cache = createCustomerCache(erp.customers);
    const names = await Promise.all([1, 2, 3].map(() => cache.withCustomer(ana, async (name) => name)));
    expect(new Set(names).size).toBe(1);
    expect((await state()).byReference['Customer']).toEqual({ [ana.reference]: 1 });
    expect(counter.withoutMeta().filter((call) => call === 'POST /api/resource/Customer')).toHaveLength(1);
  });

  it('forgets the least recently used customer beyond its capacity', async () => {
    const counter = countingFetch();
    const { erp } = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch });
    const cache = createCustomerCache(erp.customers, { capacity: 2 });
    const customer = (n: number) => ({ reference: `web-store:c-${n}`, name: `Shopper ${n}` });
    await cache.withCustomer(customer(1), async (name) => name);
    await cache.withCustomer(customer(2), async (name) => name);
    await cache.withCustomer(customer(1), async (name) => name); // 1 is now the most recent
    await cache.withCustomer(customer(3), async (name) => name); // 2 goes
    expect(cache.size()).toBe(2);
    counter.calls.length = 0;
    await cache.withCustomer(customer(1), async (name) => name);
    await cache.withCustomer(customer(3), async (name) => name);
    expect(counter.calls).toEqual([]);
    await cache.withCustomer(customer(2), async (name) => name);
    expect(customerCalls(counter.withoutMeta())).toEqual(['GET /api/resource/Customer']);
  });

  it('forgets a remembered Customer ERPNext no longer has and answers a transient error; the retry books against the one it finds or creates', async () => {
    const { erp, emulator, state } = await setup({ uniqueReference: true });
    const cache = createCustomerCache(erp.customers);
    const first = await cache.withCustomer(ana, (name) => erp.salesOrders.ensure(order('ord_1', name)));
    expect(first.doc.state).toBe('submitted');
    // Someone removes the Customer in ERPNext (the emulator lets an API user delete it; a merge or rename has the same effect).
    await erp.cancelDoc('Sales Order', first.doc.name);
    const deleted = await fetch(`${emulator.url}/api/resource/Customer/${encodeURIComponent(first.doc.customer)}`, {
      method: 'DELETE',
      headers: { authorization: `token ${emulator.credentials.apiKey}:${emulator.credentials.apiSecret}` },
    });
    expect(deleted.status).toBe(202);

    const stale = await cache.withCustomer(ana, (name) => erp.salesOrders.ensure(order('ord_2', name))).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(TillbridgeError);
    expect(stale).toMatchObject({ code: 'erpnext_customer_stale', retryable: true });
    expect(cache.size()).toBe(0);
    expect((await state()).byReference['Sales Order']?.['ord_2']).toBeUndefined();

    const retried = await cache.withCustomer(ana, (name) => erp.salesOrders.ensure(order('ord_2', name)));
    expect(retried).toMatchObject({ outcome: 'created', doc: { state: 'submitted' } });
    // The look-up found no Customer for the reference and created it again; the order links to it.
    expect(await erp.customers.find(ana.reference)).toMatchObject({ name: retried.doc.customer });
    expect((await state()).byReference['Customer']).toEqual({ [ana.reference]: 1 });
    expect(cache.size()).toBe(1);
  });

  it('passes other errors through and keeps the customer', async () => {
    const { erp } = await setup({ uniqueReference: true });
    const cache = createCustomerCache(erp.customers);
    const name = await cache.withCustomer(ana, async (n) => n);
    const missingItem = cache.withCustomer(ana, (n) => erp.salesOrders.ensure({ ...order('ord_3', n), lines: [{ itemCode: 'NO-SUCH-SKU', qty: 1, rate: 100 }] }));
    await expect(missingItem).rejects.toMatchObject({ code: 'erpnext_validation', retryable: false, details: { excType: 'LinkValidationError' } });
    expect(cache.size()).toBe(1);
    const error = await erp.salesOrders.ensure(order('ord_4', 'Nobody Known')).catch((e: unknown) => e);
    expect(isMissingCustomer(error, 'Nobody Known')).toBe(true);
    expect(isMissingCustomer(error, name)).toBe(false);
  });
});
