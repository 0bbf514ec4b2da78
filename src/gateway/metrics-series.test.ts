import { describe, expect, it } from 'vitest';
import { createMetrics, type ConnectionHealthSample } from './metrics.js';

describe('per-connection gauges', () => {
  it('reads each connection’s circuit and rate governor at every scrape', async () => {
    let samples: ConnectionHealthSample[] = [
      { connection: 'shop-main', circuit: 'closed', rate: { available: 38, waiting: 0, paused: false } },
      { connection: 'erp-main', circuit: 'open', rate: { available: 0, waiting: 3, paused: true } },
      { connection: 'wh-main', circuit: 'half-open', rate: { available: 5, waiting: 0, paused: false } },
    ];
    const metrics = createMetrics(undefined, undefined, () => samples);
    const first = await metrics.registry.metrics();
    expect(first).toContain('tillbridge_connection_circuit_state{connection="shop-main"} 0');
    expect(first).toContain('tillbridge_connection_circuit_state{connection="wh-main"} 1');
    expect(first).toContain('tillbridge_connection_circuit_state{connection="erp-main"} 2');
    expect(first).toContain('tillbridge_connection_rate_governor{connection="shop-main",state="available"} 38');
    expect(first).toContain('tillbridge_connection_rate_governor{connection="erp-main",state="waiting"} 3');
    expect(first).toContain('tillbridge_connection_rate_governor{connection="erp-main",state="paused"} 1');

    samples = [{ connection: 'erp-main', circuit: 'closed', rate: { available: 10, waiting: 0, paused: false } }];
    const second = await metrics.registry.metrics();
    expect(second).toContain('tillbridge_connection_circuit_state{connection="erp-main"} 0');
    expect(second).toContain('tillbridge_connection_rate_governor{connection="erp-main",state="paused"} 0');
    expect(second).not.toContain('connection="shop-main"');
  });

  it('counts deliveries per flow and calls per connection with their labels', async () => {
    const metrics = createMetrics();
    metrics.flowMessages.inc({ flow: 'order-to-cash', outcome: 'done' });
    metrics.flowDuration.observe({ flow: 'order-to-cash' }, 0.2);
    metrics.connectionRequests.inc({ connection: 'erp-main', system: 'erpnext', outcome: 'server_error' });
    metrics.connectionDuration.observe({ connection: 'erp-main' }, 0.05);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tillbridge_flow_messages_total{flow="order-to-cash",outcome="done"} 1');
    expect(text).toContain('tillbridge_flow_duration_seconds_count{flow="order-to-cash"} 1');
    expect(text).toContain('tillbridge_connection_requests_total{connection="erp-main",system="erpnext",outcome="server_error"} 1');
    expect(text).toContain('tillbridge_connection_request_duration_seconds_count{connection="erp-main"} 1');
    expect(text).not.toContain('tillbridge_connection_circuit_state{');
  });
});
