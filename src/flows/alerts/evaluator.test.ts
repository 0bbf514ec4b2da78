import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type Clock } from '../../model/index.js';
import { listAlerts, testStores, type Store } from '../../store/index.js';
import { createBusinessSlas, SlasConfig } from '../slas/index.js';
import { AlertsConfig } from './config.js';
import type { CircuitSource } from './conditions.js';
import { createAlertEvaluator } from './evaluator.js';

const stores = await testStores();

/** Connections whose circuit state the test sets, shaped like the runtime's connections map. */
function circuits(state: { shop: string }): CircuitSource {
  return new Map([['shop-main', { instance: { health: () => ({ circuit: { state: state.shop, openedAt: 1_000, consecutiveFailures: 5 } }) } }]]);
}

describe.each(stores)('alert evaluation on $name', (factory) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (factory.skipReason === null) store = await factory.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(factory.skipReason !== null)('raises each condition once, resolves it when it clears, raises it anew when it returns, and two evaluators notify once', async () => {
    const db = store!.db;
    let now = Date.parse('2026-11-27T08:00:00Z');
    const clock: Clock = { now: () => now };
    const circuit = { shop: 'open' };
    const config = AlertsConfig.parse({ every: 1_000, deadLetterGrowth: { threshold: 2, window: '10m' }, email: { smtp: { host: 'localhost' }, from: 'hub@example.com', to: ['ops@example.com'] } });
    const slas = createBusinessSlas({ store: store!, clock, config: SlasConfig.parse({ orderAcceptance: '15m' }) });
    const evaluator = createAlertEvaluator({ store: store!, clock, newId, config, slas, connections: circuits(circuit), observer: 'hub-a', email: true });
    const otherHub = createAlertEvaluator({ store: store!, clock, newId, config, slas, connections: circuits({ shop: 'closed' }), observer: 'hub-b', email: true });
    const messages = async (type: string) => db.selectFrom('messages').select(['type', 'subject', 'data']).where('type', '=', type).orderBy('seq').execute();
    const dead = (id: string, at: number) =>
      db.insertInto('messages').values({ id, type: 'order.accepted', source: 'test', subject: null, time: at, schema_version: 1, data: '{}', correlation_id: 'cor', causation_id: null, traceparent: null, lane: 'critical', ordering_key: null, status: 'dead', attempts: 5, available_at: at, lease_owner: null, lease_expires_at: null, last_error: 'boom', dead_reason: 'boom', created_at: at, updated_at: at }).execute();

    await dead('msg_d1', now - 60_000);
    await dead('msg_d2', now - 30_000);
    await dead('msg_d_old', now - 3_600_000);
    await db.insertInto('orders').values({ id: 'ord_stuck', source: 'shop', external_id: '1', number: '1001', status: 'accepted', hold_reason: null, currency: 'USD', total: 1, placed_at: new Date(now - 3_600_000).toISOString(), body_hash: 'h', data: '{}', correlation_id: 'cor', created_at: now, updated_at: now }).execute();
    await db.insertInto('workflow_runs').values({ id: 'run_stuck', workflow: 'order-placement', key: 'placement:ord_stuck', order_id: 'ord_stuck', status: 'running', step: 'book-sales-order', input: '{}', outputs: '{}', correlation_id: 'cor', error: null, started_at: now - 3_600_000, step_started_at: now, step_deadline: null, updated_at: now }).execute();

    const first = await evaluator.evaluate();
    expect(first.raised.sort()).toEqual(['circuit_open:shop-main', 'dead_letter_growth', 'sla_breach:orderAcceptance']);
    expect(first.resolved).toEqual([]);
    const raised = await messages('alert.raised');
    expect(raised.map((m) => m.subject).sort()).toEqual(['circuit_open:shop-main', 'dead_letter_growth', 'sla_breach:orderAcceptance']);
    expect(JSON.parse(raised.find((m) => m.subject === 'dead_letter_growth')!.data)).toMatchObject({ kind: 'dead_letter_growth', severity: 'critical', status: 'open', detail: { count: 2, threshold: 2, windowMs: 600_000 }, resolvedAt: null });
    expect(JSON.parse(raised.find((m) => m.subject === 'sla_breach:orderAcceptance')!.data)).toMatchObject({ kind: 'sla_breach', detail: { sla: 'orderAcceptance', openBreached: 1, worst: [{ entity: 'ord_stuck', done: false }] } });
    expect((await messages('alert.email')).length).toBe(3);

    // The conditions hold (a half-open circuit has not recovered yet): nothing new is raised, the alerts are only seen again.
    circuit.shop = 'half-open';
    now += 1_000;
    expect(await evaluator.evaluate()).toEqual({ raised: [], resolved: [] });
    // Another hub process sees its own circuit closed; the alert another process saw recently stays open.
    expect(await otherHub.evaluate()).toEqual({ raised: [], resolved: [] });
    expect((await messages('alert.raised')).length).toBe(3);
    expect((await messages('alert.email')).length).toBe(3);
    const open = await listAlerts(db, { status: 'open', limit: 10 });
    expect(open).toHaveLength(3);
    expect(open.find((a) => a.key === 'dead_letter_growth')).toMatchObject({ count: 3, first_seen_at: now - 1_000, last_seen_at: now });

    // A new condition seen by two evaluators at once is raised and notified once.
    await db.insertInto('reconciliation_drift').values({ id: 'drf_1', run_id: 'rec_1', scope: 'orders', kind: 'order_missing_in_erp', entity: 'ord_x', systems: '[]', expected: null, actual: null, severity: 'warning', correction: null, detail: null, status: 'open', resolution: null, resolved_by: null, resolved_at: null, created_at: now }).execute();
    now += 1_000;
    const [a, b] = await Promise.all([evaluator.evaluate(), otherHub.evaluate()]);
    expect([...a.raised, ...b.raised]).toEqual(['reconciliation_drift:order_missing_in_erp']);
    expect((await messages('alert.raised')).filter((m) => m.subject === 'reconciliation_drift:order_missing_in_erp')).toHaveLength(1);
    expect((await messages('alert.email')).length).toBe(4);

    // Conditions clear: each alert resolves once, with its event.
    circuit.shop = 'closed';
    await db.updateTable('reconciliation_drift').set({ status: 'resolved' }).execute();
    await db.updateTable('messages').set({ status: 'pending' }).where('id', '=', 'msg_d1').execute();
    now += 1_000;
    const cleared = await evaluator.evaluate();
    expect(cleared.resolved.sort()).toEqual(['circuit_open:shop-main', 'dead_letter_growth', 'reconciliation_drift:order_missing_in_erp']);
    expect(await evaluator.evaluate()).toEqual({ raised: [], resolved: [] });
    const resolvedEvents = await messages('alert.resolved');
    expect(resolvedEvents.map((m) => m.subject).sort()).toEqual(['circuit_open:shop-main', 'dead_letter_growth', 'reconciliation_drift:order_missing_in_erp']);
    expect(JSON.parse(resolvedEvents.find((m) => m.subject === 'circuit_open:shop-main')!.data)).toMatchObject({ status: 'resolved', resolvedAt: new Date(now).toISOString() });

    // The circuit opens again later: a new alert, a new event.
    circuit.shop = 'open';
    now += 60_000;
    expect((await evaluator.evaluate()).raised).toEqual(['circuit_open:shop-main']);
    const circuitAlerts = (await listAlerts(db, { limit: 20 })).filter((row) => row.key === 'circuit_open:shop-main');
    expect(circuitAlerts.map((row) => row.status)).toEqual(['open', 'resolved']);
    expect(circuitAlerts[0]!.id).not.toBe(circuitAlerts[1]!.id);
    expect((await messages('alert.raised')).filter((m) => m.subject === 'circuit_open:shop-main')).toHaveLength(2);

    // A hub that stopped seeing it long ago no longer keeps a circuit alert open: another hub resolves it once stale.
    now += 10_000;
    expect((await otherHub.evaluate()).resolved).toEqual(['circuit_open:shop-main']);

    // The database refuses a second open alert for a key even past the evaluator.
    await expect(db.insertInto('alerts').values({ id: 'alr_dup', key: 'sla_breach:orderAcceptance', kind: 'sla_breach', severity: 'warning', title: 't', detail: '{}', status: 'open', count: 1, observer: null, first_seen_at: now, last_seen_at: now, resolved_at: null }).execute()).rejects.toThrow();
  });
});
