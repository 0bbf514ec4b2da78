import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../database.js';
import type { Db } from '../messages/types.js';
import { testStores } from '../testing.js';
import { productPublicationFacts, settlementPostingFacts, workflowStepFacts } from './facts.js';

const stores = await testStores();

async function order(db: Db, id: string, placedAt: string): Promise<void> {
  await db.insertInto('orders').values({ id, source: 'shop', external_id: id, number: null, status: 'accepted', hold_reason: null, currency: 'USD', total: 100, placed_at: placedAt, body_hash: 'h', data: '{}', correlation_id: `cor_${id}`, created_at: 0, updated_at: 0 }).execute();
}

async function run(db: Db, id: string, workflow: string, orderId: string, startedAt: number, status = 'running'): Promise<void> {
  await db.insertInto('workflow_runs').values({ id, workflow, key: `${workflow}:${id}`, order_id: orderId, status, step: null, input: '{}', outputs: '{}', correlation_id: 'cor', error: null, started_at: startedAt, step_started_at: startedAt, step_deadline: null, updated_at: startedAt }).execute();
}

async function step(db: Db, runId: string, name: string, status: string, finishedAt: number | null, phase = 'forward'): Promise<void> {
  await db.insertInto('workflow_steps').values({ run_id: runId, phase, step: name, position: 1, status, system: 'erp', attempts: 1, started_at: 0, finished_at: finishedAt, output: null, error: null, message_id: null }).execute();
}

describe.each(stores)('business SLA facts on $name', (factory) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (factory.skipReason === null) store = await factory.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(factory.skipReason !== null)('reads workflow facts over the window: start from the order placedAt, end at the step done or skipped', async () => {
    const db = store!.db;
    await order(db, 'ord_1', new Date(9_000).toISOString());
    await order(db, 'ord_2', 'not a date');
    await order(db, 'ord_3', new Date(12_000).toISOString());
    await run(db, 'run_1', 'order-placement', 'ord_1', 10_000);
    await step(db, 'run_1', 'book-sales-order', 'done', 15_000);
    await run(db, 'run_2', 'order-placement', 'ord_2', 11_000);
    await step(db, 'run_2', 'book-sales-order', 'running', null);
    await step(db, 'run_2', 'route', 'done', 11_500);
    await run(db, 'run_3', 'order-placement', 'ord_3', 12_500);
    await step(db, 'run_3', 'book-sales-order', 'skipped', 13_000);
    await run(db, 'run_old', 'order-placement', 'ord_1', 1_000);
    await run(db, 'run_undone', 'order-placement', 'ord_1', 10_500, 'compensated');
    await run(db, 'run_ship', 'order-shipment', 'ord_1', 10_000);
    await step(db, 'run_ship', 'push-fulfillment', 'done', 10_100, 'compensate');

    const acceptance = await workflowStepFacts(db, { workflow: 'order-placement', step: 'book-sales-order', window: { from: 5_000, to: 20_000 }, startOfOrder: true });
    expect(acceptance.sort((a, b) => a.startedAt - b.startedAt)).toEqual([
      { entity: 'ord_1', startedAt: 9_000, doneAt: 15_000 },
      { entity: 'ord_2', startedAt: 11_000, doneAt: null },
      { entity: 'ord_3', startedAt: 12_000, doneAt: 13_000 },
    ]);
    const shipments = await workflowStepFacts(db, { workflow: 'order-shipment', step: 'push-fulfillment', window: { from: 5_000, to: 20_000 } });
    expect(shipments).toEqual([{ entity: 'ord_1', startedAt: 10_000, doneAt: null }]);
  });

  it.skipIf(factory.skipReason !== null)('reads product publication facts: done when every live channel shows the version', async () => {
    const db = store!.db;
    const product = (sku: string, version: number, updatedAt: number, status = 'approved') =>
      db.insertInto('products').values({ sku, title: sku, description: null, attributes: '{}', images: '[]', prices: '[]', status, version, content_hash: 'h', approved_at: null, approved_by: null, created_at: 0, updated_at: updatedAt }).execute();
    const publication = (connection: string, sku: string, status: string, version: number | null, at: number | null) =>
      db.insertInto('product_publications').values({ connection_id: connection, sku, status, external_id: null, external_ids: null, inventory_item_id: null, published_hash: null, published_version: version, published_at: at, error: null, updated_at: 0 }).execute();
    await product('SKU-DONE', 3, 10_000);
    await publication('shop-a', 'SKU-DONE', 'published', 3, 12_000);
    await publication('shop-b', 'SKU-DONE', 'published', 3, 14_000);
    await publication('shop-c', 'SKU-DONE', 'unpublished', 1, 2_000);
    await product('SKU-BEHIND', 4, 11_000);
    await publication('shop-a', 'SKU-BEHIND', 'published', 4, 12_000);
    await publication('shop-b', 'SKU-BEHIND', 'published', 3, 9_000);
    await product('SKU-FAILED', 1, 11_000);
    await publication('shop-a', 'SKU-FAILED', 'failed', null, null);
    await product('SKU-NOWHERE', 1, 11_000);
    await product('SKU-DRAFT', 1, 11_000, 'draft');
    await publication('shop-a', 'SKU-DRAFT', 'pending', null, null);
    await product('SKU-OLD', 1, 1_000);
    await publication('shop-a', 'SKU-OLD', 'pending', null, null);

    const facts = await productPublicationFacts(db, { from: 5_000, to: 20_000 });
    expect(facts.sort((a, b) => a.entity.localeCompare(b.entity))).toEqual([
      { entity: 'SKU-BEHIND', startedAt: 11_000, doneAt: null },
      { entity: 'SKU-DONE', startedAt: 10_000, doneAt: 14_000 },
      { entity: 'SKU-FAILED', startedAt: 11_000, doneAt: null },
    ]);
  });

  it.skipIf(factory.skipReason !== null)('reads settlement posting facts: a paid payout until its journal entry is posted', async () => {
    const db = store!.db;
    const payout = (id: string, reference: string, status: string, updatedAt: number) =>
      db.insertInto('payouts').values({ id, provider: 'stripe', connection_id: 'stripe-main', reference, currency: 'USD', amount: 100, status, arrival_date: null, lines_state: 'fetched', violations: null, correlation_id: 'cor', created_at: 0, updated_at: updatedAt }).execute();
    const entry = (key: string, status: string, postedAt: number | null) =>
      db.insertInto('journal_entries').values({ id: `je_${key}`, key, date: '2026-11-27', lines: '[]', source_events: '[]', correlation_id: 'cor', causation_id: null, order_id: null, memo: null, status, erp_connection: null, erp_documents: null, erp_as: null, error: null, created_at: 0, posted_at: postedAt }).execute();
    await payout('po_a', 'po_posted', 'paid', 10_000);
    await entry('payout:stripe:po_posted', 'posted', 13_000);
    await payout('po_b', 'po_pending', 'paid', 11_000);
    await entry('payout:stripe:po_pending', 'pending', null);
    await payout('po_c', 'po_unbooked', 'paid', 12_000);
    await payout('po_d', 'po_no_erp', 'paid', 12_000);
    await entry('payout:stripe:po_no_erp', 'not-posted', null);
    await payout('po_e', 'po_transit', 'in_transit', 12_000);
    await payout('po_f', 'po_old', 'paid', 1_000);

    const facts = await settlementPostingFacts(db, { from: 5_000, to: 20_000 });
    expect(facts.sort((a, b) => a.startedAt - b.startedAt)).toEqual([
      { entity: 'stripe-main:po_posted', startedAt: 10_000, doneAt: 13_000 },
      { entity: 'stripe-main:po_pending', startedAt: 11_000, doneAt: null },
      { entity: 'stripe-main:po_unbooked', startedAt: 12_000, doneAt: null },
    ]);
  });
});
