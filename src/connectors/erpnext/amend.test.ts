import { afterEach, describe, expect, it } from 'vitest';
import { amendDoc } from './amend.js';
import type { NewSalesOrder } from './selling.js';
import { closeEmulators, setup } from './test-support.js';

afterEach(closeEmulators);

const order = (reference: string): NewSalesOrder => ({
  reference,
  customer: 'Walk-in Customer',
  currency: 'USD',
  transactionDate: '2026-11-26',
  deliveryDate: '2026-11-28',
  lines: [{ itemCode: 'TEE-RED-M', qty: 2, rate: 2500 }],
  charges: [{ account: 'Sales Tax - TB', description: 'IL state', amount: 281 }],
  discount: 500,
  submit: true,
});

describe('amending a cancelled document', () => {
  it('makes <name>-1 with amended_from and the same lines, once; an amendment of it is <name>-2; a live document cannot be amended', async () => {
    const { erp } = await setup({ uniqueReference: false });
    const booked = (await erp.salesOrders.ensure(order('ord_1'))).doc;
    await expect(amendDoc(erp, 'Sales Order', booked.name)).rejects.toMatchObject({ message: expect.stringContaining('only a cancelled document can be amended') });
    await erp.cancelDoc('Sales Order', booked.name);

    const amended = await amendDoc(erp, 'Sales Order', booked.name);
    expect(amended).toMatchObject({ name: `${booked.name}-1`, amended_from: booked.name, docstatus: 1, tillbridge_ref: 'ord_1', customer: 'Walk-in Customer' });
    const original = await erp.getDoc('Sales Order', booked.name);
    expect(amended['grand_total']).toEqual(original['grand_total']);
    expect((amended['items'] as Record<string, unknown>[]).map((i) => [i['item_code'], i['qty']])).toEqual((original['items'] as Record<string, unknown>[]).map((i) => [i['item_code'], i['qty']]));
    // Asked again (a retried correction): the amendment made before, not a second one.
    expect((await amendDoc(erp, 'Sales Order', booked.name)).name).toBe(amended.name);
    expect((await erp.listDocs('Sales Order', { filters: [['amended_from', '=', booked.name]], limit: 0 })).length).toBe(1);

    await erp.cancelDoc('Sales Order', amended.name);
    expect((await amendDoc(erp, 'Sales Order', amended.name)).name).toBe(`${booked.name}-2`);
  });

  it('with a Unique reference field, refuses the cancelled document’s reference again unless the field is cleared on the copy', async () => {
    const { erp } = await setup({ uniqueReference: true });
    const booked = (await erp.salesOrders.ensure(order('ord_2'))).doc;
    await erp.cancelDoc('Sales Order', booked.name);
    await expect(amendDoc(erp, 'Sales Order', booked.name)).rejects.toMatchObject({ message: expect.stringContaining('must be unique') });
    const amended = await amendDoc(erp, 'Sales Order', booked.name, { clear: [erp.referenceField] });
    expect(amended).toMatchObject({ name: `${booked.name}-1`, amended_from: booked.name, docstatus: 1 });
    expect(amended['tillbridge_ref'] ?? null).toBeNull();
  });
});
