import { afterEach, describe, expect, it } from 'vitest';
import { isRetryable, TillbridgeError } from '../../model/index.js';
import type { NewSalesOrder } from './selling.js';
import { closeEmulators, seeded, setup } from './test-support.js';

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
    const { erp, sandbox, state } = await setup({ random: seeded(42), lostResponseRate: 0.3 }, { timeoutMs: 150 }, { maxAttempts: 1 });
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
