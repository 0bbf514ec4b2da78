import { afterEach, describe, expect, it } from 'vitest';
import { isRetryable, TillbridgeError } from '../../model/index.js';
import type { NewSalesOrder } from './selling.js';
import { closeEmulators, countingFetch, seeded, setup } from './test-support.js';

afterEach(closeEmulators);

const order = (reference: string): NewSalesOrder => ({
  reference,
  customer: 'Walk-in Customer',
  currency: 'USD',
  transactionDate: '2026-11-26',
  deliveryDate: '2026-11-28',
  lines: [{ itemCode: 'TEE-RED-M', qty: 2, rate: 2500 }],
  charges: [
    { account: 'Sales Tax - TB', description: 'IL state', amount: 281 },
    { account: 'Shipping Income - TB', description: 'standard', amount: 500 },
  ],
  discount: 500,
});

describe('ensureDoc: the retry-safe create', () => {
  it('leaves exactly one Sales Order per reference while 20% of calls fail, some time out and some answers are lost', async () => {
    // One attempt per call: every failure goes back to the caller, which retries it like the dispatcher would.
    const { erp, sandbox, state } = await setup({ random: seeded(11), lostResponseRate: 0.3 }, { timeoutMs: 150 }, { maxAttempts: 1 });
    await sandbox('faults', { errorRate: 0.2, timeoutRate: 0.1 });
    const seen = new Map<string, number>();
    const outcomes: string[] = [];
    const references = Array.from({ length: 8 }, (_, n) => `ord_chaos_${n + 1}`);
    for (const reference of references) {
      for (let attempt = 1; ; attempt++) {
        try {
          outcomes.push((await erp.salesOrders.ensure(order(reference))).outcome);
          break;
        } catch (error) {
          // What the dispatcher does: retry transient errors later, dead-letter the rest.
          expect(isRetryable(error), String(error)).toBe(true);
          const code = (error as TillbridgeError).code;
          seen.set(code, (seen.get(code) ?? 0) + 1);
          expect(attempt).toBeLessThan(60);
          await new Promise((resolve) => setTimeout(resolve, Math.min((error as TillbridgeError).retryAfterMs ?? 0, 25)));
        }
      }
    }
    await sandbox('faults', { errorRate: 0, timeoutRate: 0 });
    await sandbox('behaviour', { lostResponseRate: 0 });
    for (const reference of references) {
      expect((await erp.salesOrders.ensure(order(reference))).outcome).toBe('existing');
    }
    const after = await state();
    expect(after.lostResponses).toBeGreaterThan(0);
    expect(after.counts['Sales Order']).toBe(references.length);
    expect(after.duplicateReferences).toEqual([]);
    const stored = await erp.listDocs('Sales Order', { fields: ['tillbridge_ref', 'grand_total'], limit: 0, orderBy: 'tillbridge_ref asc' });
    expect(stored).toEqual(references.map((reference) => ({ tillbridge_ref: reference, grand_total: 52.81 })));
    // Lost answers were found by their reference instead of being created again.
    expect(outcomes).toContain('existing');
    expect(seen.get('outbound_server_error')).toBeGreaterThan(0);
    expect(seen.get('outbound_timeout')).toBeGreaterThan(0);
  });

  it('detects and reports a duplicate made by a race when the reference field is not Unique', async () => {
    const { erp, sandbox, state } = await setup();
    await sandbox('faults', { latencyMs: 40 });
    const results = await Promise.allSettled([erp.salesOrders.ensure(order('ord_race')), erp.salesOrders.ensure(order('ord_race'))]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'erpnext_duplicate_reference', retryable: false, details: { doctype: 'Sales Order', reference: 'ord_race', names: ['SAL-ORD-2026-00001', 'SAL-ORD-2026-00002'] } });
    }
    expect((await state()).duplicateReferences).toEqual([{ doctype: 'Sales Order', reference: 'ord_race', names: ['SAL-ORD-2026-00001', 'SAL-ORD-2026-00002'] }]);
    // Later attempts keep reporting it until someone resolves it; cancelling one resolves it.
    await expect(erp.salesOrders.find('ord_race')).rejects.toMatchObject({ code: 'erpnext_duplicate_reference' });
    await erp.submitDoc('Sales Order', 'SAL-ORD-2026-00002');
    await erp.cancelDoc('Sales Order', 'SAL-ORD-2026-00002');
    expect((await erp.salesOrders.ensure(order('ord_race'))).doc.name).toBe('SAL-ORD-2026-00001');
  });

  it('lets the loser of a race find the winner when the reference field is Unique', async () => {
    const { erp, sandbox, state } = await setup({ uniqueReference: true });
    await sandbox('faults', { latencyMs: 40 });
    const [a, b] = await Promise.all([erp.salesOrders.ensure(order('ord_race')), erp.salesOrders.ensure(order('ord_race'))]);
    expect([a.outcome, b.outcome].sort()).toEqual(['created', 'existing']);
    expect(a.doc.name).toBe(b.doc.name);
    expect((await state()).counts['Sales Order']).toBe(1);
  });
});

describe('creating documents submitted', () => {
  it('creates a Sales Order, its Delivery Note and its Sales Invoice submitted, each by one insert and no submit call', async () => {
    const counter = countingFetch();
    const { erp, state } = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch });
    const so = await erp.salesOrders.ensure({ ...order('ord_sub'), submit: true });
    expect(so).toMatchObject({ outcome: 'created', doc: { state: 'submitted', status: 'To Deliver and Bill', grandTotal: 5281, reference: 'ord_sub' } });
    expect(counter.withoutMeta()).toEqual(['GET /api/resource/Sales Order', 'POST /api/resource/Sales Order']);

    counter.calls.length = 0;
    const note = await erp.deliveryNotes.ensure({ reference: 'ful_sub', salesOrder: so.doc.name, postingDate: '2026-11-27', submit: true });
    expect(note).toMatchObject({ outcome: 'created', doc: { state: 'submitted', lines: [{ itemCode: 'TEE-RED-M', qty: 2, salesOrder: so.doc.name }] } });
    expect(counter.withoutMeta()).toEqual(['GET /api/resource/Delivery Note', `GET /api/resource/Sales Order/${so.doc.name}`, 'POST /api/resource/Delivery Note']);
    // The submit's effects ran with the insert: the order is delivered.
    expect(await erp.salesOrders.get(so.doc.name)).toMatchObject({ perDelivered: '100', status: 'To Bill' });

    counter.calls.length = 0;
    const invoice = await erp.salesInvoices.ensure({ reference: 'inv_sub', salesOrder: so.doc.name, postingDate: '2026-11-27', submit: true });
    expect(invoice).toMatchObject({ outcome: 'created', doc: { state: 'submitted', status: 'Unpaid', grandTotal: 5281, outstanding: 5281 } });
    expect(counter.withoutMeta()).toEqual(['GET /api/resource/Sales Invoice', `GET /api/resource/Sales Order/${so.doc.name}`, 'POST /api/resource/Sales Invoice']);
    expect(counter.writes().filter((call) => call.startsWith('PUT '))).toEqual([]);

    // Asked again (a redelivered message), each is found and nothing is created.
    expect((await erp.salesOrders.ensure({ ...order('ord_sub'), submit: true })).outcome).toBe('existing');
    expect((await erp.deliveryNotes.ensure({ reference: 'ful_sub', salesOrder: so.doc.name, postingDate: '2026-11-27', submit: true })).outcome).toBe('existing');
    expect((await erp.salesInvoices.ensure({ reference: 'inv_sub', salesOrder: so.doc.name, postingDate: '2026-11-27', submit: true })).outcome).toBe('existing');
    expect((await state()).counts).toMatchObject({ 'Sales Order': 1, 'Delivery Note': 1, 'Sales Invoice': 1 });
  });

  it('leaves nothing behind when ERPNext refuses the submit on insert, so the retry creates the document once', async () => {
    const { erp, sandbox, state } = await setup({ uniqueReference: true });
    const so = await erp.salesOrders.ensure({ ...order('ord_nostock'), submit: true });
    await sandbox('stock', { item_code: 'TEE-RED-M', warehouse: 'Stores - TB', qty: 0 });
    const deliver = () => erp.deliveryNotes.ensure({ reference: 'ful_nostock', salesOrder: so.doc.name, postingDate: '2026-11-27', submit: true });
    await expect(deliver()).rejects.toMatchObject({ code: 'erpnext_validation', retryable: false, details: { excType: 'NegativeStockError' } });
    expect((await state()).counts['Delivery Note'] ?? 0).toBe(0);
    await sandbox('stock', { item_code: 'TEE-RED-M', warehouse: 'Stores - TB', qty: 5 });
    expect(await deliver()).toMatchObject({ outcome: 'created', doc: { state: 'submitted' } });
    expect((await state()).byReference['Delivery Note']).toEqual({ ful_nostock: 1 });
  });

  it('finds a submitted insert whose answer was lost instead of inserting again', async () => {
    const counter = countingFetch();
    const { erp, sandbox, state } = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch });
    await sandbox('behaviour', { lostResponseRate: 1 });
    const ensured = await erp.salesOrders.ensure({ ...order('ord_lost'), submit: true });
    expect(ensured).toMatchObject({ outcome: 'existing', doc: { state: 'submitted', reference: 'ord_lost' } });
    const after = await state();
    expect(after.lostResponses).toBe(1);
    expect(after.byReference['Sales Order']).toEqual({ ord_lost: 1 });
    expect(counter.calls.filter((call) => call === 'POST /api/resource/Sales Order')).toHaveLength(1);
  });
});

describe('a Unique reference field', () => {
  it('is read from the doctype meta once per doctype', async () => {
    const counter = countingFetch();
    const unique = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch });
    expect(await Promise.all([unique.erp.referenceIsUnique('Sales Order'), unique.erp.referenceIsUnique('Sales Order')])).toEqual([true, true]);
    expect(await unique.erp.referenceIsUnique('Customer')).toBe(true);
    expect(await unique.erp.referenceIsUnique('Sales Order')).toBe(true);
    expect(counter.calls).toEqual(['GET /api/method/frappe.desk.form.load.getdoctype', 'GET /api/method/frappe.desk.form.load.getdoctype']);
    expect(await (await setup()).erp.referenceIsUnique('Sales Order')).toBe(false);
    expect(await (await setup({ referenceField: null })).erp.referenceIsUnique('Sales Order')).toBe(false);
    expect(await unique.erp.referenceIsUnique('No Such Doctype')).toBe(false);
  });

  it('counts as not Unique when the meta cannot be read: asked again after a transient failure, not after a refusal', async () => {
    const answers = [500, 200, 403];
    const counter = countingFetch(async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.pathname.endsWith('getdoctype')) {
        const status = answers.shift() ?? 200;
        if (status !== 200) return new Response(JSON.stringify({ exc_type: status === 403 ? 'PermissionError' : 'OperationalError' }), { status, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    });
    const { erp } = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch, maxAttempts: 1 });
    const metaCalls = () => counter.calls.filter((call) => call.endsWith('getdoctype')).length;
    expect(await erp.referenceIsUnique('Sales Order')).toBe(false);
    expect(await erp.referenceIsUnique('Sales Order')).toBe(true);
    expect(metaCalls()).toBe(2);
    expect(await erp.referenceIsUnique('Customer')).toBe(false);
    expect(await erp.referenceIsUnique('Customer')).toBe(false);
    expect(metaCalls()).toBe(3);
  });

  it('lets a create skip the look-up after it, and the loser of a race take the winner, both submitted', async () => {
    const counter = countingFetch();
    const { erp, sandbox, state } = await setup({ uniqueReference: true }, {}, { fetch: counter.fetch });
    await erp.referenceIsUnique('Sales Order');
    await sandbox('faults', { latencyMs: 40 });
    const [a, b] = await Promise.all([erp.salesOrders.ensure({ ...order('ord_race'), submit: true }), erp.salesOrders.ensure({ ...order('ord_race'), submit: true })]);
    expect([a.outcome, b.outcome].sort()).toEqual(['created', 'existing']);
    expect(a.doc).toMatchObject({ name: b.doc.name, state: 'submitted' });
    expect(b.doc.state).toBe('submitted');
    expect((await state()).byReference['Sales Order']).toEqual({ ord_race: 1 });
    // Two look-ups before the inserts and the loser's look-up after its refusal: none after the winner's create.
    const loser = a.outcome === 'existing' ? a : b;
    expect(counter.withoutMeta().filter((call) => call === 'GET /api/resource/Sales Order')).toHaveLength(3);
    expect(counter.withoutMeta().filter((call) => call === 'POST /api/resource/Sales Order')).toHaveLength(2);
    expect(counter.withoutMeta()).toContain(`GET /api/resource/Sales Order/${loser.doc.name}`);
  });
});
