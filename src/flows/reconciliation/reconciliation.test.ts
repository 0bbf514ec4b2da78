import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../messaging/index.js';
import { newId, permanentError, systemClock } from '../../model/index.js';
import { listAudit, testStores, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import type { Drift } from './drift.js';
import type { Correction, ReconciliationCheck } from './ports.js';
import { createReconciliation, type Reconciliation } from './reconciliation.js';

const stores = await testStores();

/** A check that answers what the test says the other side shows, or cannot read it. */
function scriptedCheck(scope: 'orders' | 'inventory'): ReconciliationCheck & { finds: Drift[]; broken: boolean } {
  const check = {
    name: `${scope}:scripted`,
    scope,
    finds: [] as Drift[],
    broken: false,
    async run() {
      if (check.broken) throw permanentError('side_unreadable', 'the other side answered 500');
      return check.finds;
    },
  };
  return check;
}

const drift = (entity: string): Drift => ({ kind: 'order_missing_in_erp', entity, systems: ['hub', 'erp'], expected: { total: 100 }, actual: null, severity: 'critical', correction: 'fix' });

describe.each(stores)('reconciliation on $name', (factory) => {
  let store: Store | undefined;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop(1000);
    await store?.close();
    dispatcher = undefined;
    store = undefined;
  });

  async function start(autoCorrect: string[] = []) {
    store = await factory.open();
    const orders = scriptedCheck('orders');
    const stock = scriptedCheck('inventory');
    const fixed: string[] = [];
    const fix: Correction = { name: 'fix', async commit(_tx, d) {
      fixed.push(d.entity);
      return { summary: `fixed ${d.entity}` };
    } };
    const reconciliation = createReconciliation({ store, clock: systemClock, newId, checks: [orders, stock], corrections: [fix], autoCorrect });
    dispatcher = createDispatcher({ store, handlers: reconciliation.handlers, clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
    return { reconciliation, orders, stock, fixed };
  }

  const finished = async (reconciliation: Reconciliation, scope?: ('orders' | 'inventory')[]) => {
    const { id } = await reconciliation.start({ scope, trigger: 'api', requestedBy: 'test' });
    return (await waitFor(async () => {
      const run = await reconciliation.view(id);
      return run && run.status !== 'queued' && run.status !== 'running' ? run : undefined;
    }, { timeoutMs: 10_000, what: 'the run' }))!;
  };

  it.skipIf(factory.skipReason !== null)('keeps one open drift per disagreement: found again supersedes, no longer found closes, a superseded one resolves through the newest', async () => {
    const { reconciliation, orders, fixed } = await start();
    orders.finds = [drift('order:a'), drift('order:b')];
    const first = await finished(reconciliation);
    expect(first).toMatchObject({ status: 'succeeded', driftCount: 2 });
    expect(first.checks.filter((c) => c.note === undefined).map((c) => [c.name, c.drift])).toEqual([['orders:scripted', 2], ['inventory:scripted', 0]]);
    expect(first.checks.find((c) => c.scope === 'catalog')).toMatchObject({ note: expect.any(String) });

    orders.finds = [drift('order:a')];
    const second = await finished(reconciliation);
    const [aFirst, bFirst] = (await reconciliation.view(first.id))!.drift;
    expect(aFirst).toMatchObject({ entity: 'order:a', status: 'superseded' });
    expect(bFirst).toMatchObject({ entity: 'order:b', status: 'resolved', resolvedBy: 'reconciliation', resolution: `no longer found by run ${second.id}` });
    expect((await reconciliation.open({ limit: 10 })).map((d) => d.id)).toEqual([second.drift[0]!.id]);

    const resolved = await reconciliation.resolve(aFirst!.id, { action: 'correct', actor: { name: 'jane' } });
    expect(resolved).toMatchObject({ id: aFirst!.id, status: 'resolved', resolvedBy: 'jane', resolution: expect.stringContaining(second.drift[0]!.id) });
    expect(fixed).toEqual(['order:a']);
    expect((await reconciliation.view(second.id))!.drift[0]).toMatchObject({ status: 'resolved', resolution: 'fixed order:a' });
    await expect(reconciliation.resolve(aFirst!.id, { action: 'correct', actor: { name: 'jane' } })).rejects.toMatchObject({ httpStatus: 409 });
    const audit = await listAudit(store!.db, { resourceType: 'drift' }, { limit: 10 });
    expect(audit.map((a) => [a.resource_id, a.actor]).sort()).toEqual([[aFirst!.id, 'jane'], [second.drift[0]!.id, 'jane']].sort());
  });

  it.skipIf(factory.skipReason !== null)('a check that cannot read its side fails the run with the reason and leaves its scope’s earlier drift alone; dismiss and drift without a correction', async () => {
    const { reconciliation, orders, stock, fixed } = await start();
    orders.finds = [{ ...drift('order:a'), correction: undefined }];
    stock.finds = [{ ...drift('stock:x@wh'), kind: 'stock_mismatch' }];
    const first = await finished(reconciliation);
    orders.broken = true;
    stock.finds = [];
    const second = await finished(reconciliation);
    expect(second).toMatchObject({ status: 'failed', error: 'orders:scripted: side_unreadable: the other side answered 500' });
    const [a, x] = (await reconciliation.view(first.id))!.drift;
    expect(a).toMatchObject({ status: 'open' });
    expect(x).toMatchObject({ status: 'resolved' });
    await expect(reconciliation.resolve(a!.id, { action: 'correct', actor: { name: 'jane' } })).rejects.toMatchObject({ httpStatus: 422, code: 'no_correction' });
    expect(await reconciliation.resolve(a!.id, { action: 'dismiss', note: 'known', actor: { name: 'jane' } })).toMatchObject({ status: 'dismissed', resolution: 'dismissed: known' });
    await expect(reconciliation.resolve('drift_nope', { action: 'dismiss', actor: { name: 'jane' } })).rejects.toMatchObject({ httpStatus: 404 });
    expect(fixed).toEqual([]);
  });

  it.skipIf(factory.skipReason !== null)('applies configured corrections by itself', async () => {
    const { reconciliation, orders, fixed } = await start(['fix']);
    orders.finds = [drift('order:a')];
    const run = await finished(reconciliation, ['orders']);
    await waitFor(async () => (await reconciliation.view(run.id))!.drift[0]!.status === 'resolved', { timeoutMs: 10_000, what: 'the automatic correction' });
    expect((await reconciliation.view(run.id))!.drift[0]).toMatchObject({ resolvedBy: 'reconciliation (automatic)', resolution: 'fixed order:a' });
    expect(fixed).toEqual(['order:a']);
  });
});
