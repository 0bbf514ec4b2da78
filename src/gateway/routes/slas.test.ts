import { describe, expect, it } from 'vitest';
import { AlertsConfig, createAlertEvaluator, createBusinessSlas, SlasConfig } from '../../flows/index.js';
import { newId, type Clock } from '../../model/index.js';
import { testStores } from '../../store/index.js';
import { auth, startTestGateway } from '../testing/harness.js';

const stores = await testStores();

describe.each(stores)('GET /v1/slas and /v1/alerts on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('shows each business SLA with its breaches over the window, and the alerts by status', async () => {
    const now = Date.now();
    const clock: Clock = { now: () => now };
    const gw = await startTestGateway(factory, { with: (store) => ({ slas: createBusinessSlas({ store, clock, config: SlasConfig.parse({ orderAcceptance: '15m', shipmentConfirmation: '1h' }) }), alerts: true }) });
    try {
      const db = gw.store.db;
      const placedAt = now - 40 * 60_000;
      await db.insertInto('orders').values({ id: 'ord_late', source: 'shop', external_id: '1', number: '1001', status: 'accepted', hold_reason: null, currency: 'USD', total: 1, placed_at: new Date(placedAt).toISOString(), body_hash: 'h', data: '{}', correlation_id: 'cor', created_at: now, updated_at: now }).execute();
      await db.insertInto('workflow_runs').values({ id: 'run_late', workflow: 'order-placement', key: 'placement:ord_late', order_id: 'ord_late', status: 'running', step: 'book-sales-order', input: '{}', outputs: '{}', correlation_id: 'cor', error: null, started_at: placedAt + 1_000, step_started_at: now, step_deadline: null, updated_at: now }).execute();
      await db.insertInto('workflow_runs').values({ id: 'run_ship', workflow: 'order-shipment', key: 'shipment:ord_late', order_id: 'ord_late', status: 'completed', step: null, input: '{}', outputs: '{}', correlation_id: 'cor', error: null, started_at: now - 5 * 60_000, step_started_at: now, step_deadline: null, updated_at: now }).execute();
      await db.insertInto('workflow_steps').values({ run_id: 'run_ship', phase: 'forward', step: 'push-fulfillment', position: 2, status: 'done', system: 'shopify', attempts: 1, started_at: now - 4 * 60_000, finished_at: now - 3 * 60_000, output: null, error: null, message_id: null }).execute();

      const res = await gw.app.inject({ method: 'GET', url: '/v1/slas?window=2h', headers: auth });
      expect(res.statusCode).toBe(200);
      const data = res.json().data as { name: string; target: number; window: { from: string; to: string } }[];
      expect(data.map((s) => s.name)).toEqual(['productPublication', 'orderAcceptance', 'shipmentConfirmation', 'refundProcessing', 'settlementPosting']);
      expect(data[1]).toEqual({
        name: 'orderAcceptance',
        title: 'Order accepted (booked in the ERP)',
        target: 900_000,
        window: { from: new Date(now - 7_200_000).toISOString(), to: new Date(now).toISOString() },
        completed: 0,
        withinTarget: 0,
        breached: 0,
        open: 1,
        openBreached: 1,
        p50Ms: null,
        p95Ms: null,
        worst: [{ entity: 'ord_late', startedAt: new Date(placedAt).toISOString(), elapsedMs: 40 * 60_000, done: false }],
      });
      expect(data[2]).toMatchObject({ name: 'shipmentConfirmation', completed: 1, withinTarget: 1, breached: 0, open: 0, p50Ms: 120_000, p95Ms: 120_000, worst: [] });
      // A shorter window leaves the order out.
      expect((await gw.app.inject({ method: 'GET', url: '/v1/slas?window=30m', headers: auth })).json().data[1]).toMatchObject({ open: 0, openBreached: 0 });
      for (const bad of ['soon', '0m', '40d']) {
        const refused = await gw.app.inject({ method: 'GET', url: `/v1/slas?window=${bad}`, headers: auth });
        expect(refused.statusCode).toBe(400);
        expect(refused.headers['content-type']).toContain('application/problem+json');
      }
      expect((await gw.app.inject({ method: 'GET', url: '/v1/slas' })).statusCode).toBe(401);

      const evaluator = createAlertEvaluator({ store: gw.store, clock, newId, config: AlertsConfig.parse({}), slas: createBusinessSlas({ store: gw.store, clock, config: SlasConfig.parse({ orderAcceptance: '15m' }) }), observer: 'test' });
      expect((await evaluator.evaluate()).raised).toEqual(['sla_breach:orderAcceptance']);
      const open = await gw.app.inject({ method: 'GET', url: '/v1/alerts', headers: auth });
      expect(open.statusCode).toBe(200);
      expect(open.json().data).toEqual([
        {
          id: expect.stringMatching(/^alr_/),
          key: 'sla_breach:orderAcceptance',
          kind: 'sla_breach',
          severity: 'critical',
          title: 'SLA breached: Order accepted (booked in the ERP)',
          detail: expect.objectContaining({ sla: 'orderAcceptance', target: 900_000, openBreached: 1 }),
          status: 'open',
          count: 1,
          firstSeenAt: new Date(now).toISOString(),
          lastSeenAt: new Date(now).toISOString(),
          resolvedAt: null,
        },
      ]);
      expect((await gw.app.inject({ method: 'GET', url: '/v1/alerts?status=resolved', headers: auth })).json().data).toEqual([]);
      expect((await gw.app.inject({ method: 'GET', url: '/v1/alerts?status=all', headers: auth })).json().data).toHaveLength(1);
      expect((await gw.app.inject({ method: 'GET', url: '/v1/alerts?status=closed', headers: auth })).statusCode).toBe(400);
    } finally {
      await gw.close();
    }
  });
});
