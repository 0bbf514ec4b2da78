import client from 'prom-client';

/** The hub's Prometheus metrics, in a registry of their own. */
export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'method' | 'route' | 'status_code'>;
  httpDuration: client.Histogram<'method' | 'route'>;
  messages: client.Counter<'type' | 'outcome'>;
  handlerDuration: client.Histogram<'type'>;
  backlog: client.Gauge<'lane'>;
  deadLetters: client.Gauge;
  ordersAccepted: client.Counter;
  rejectedPayloads: client.Counter<'kind'>;
  webhooks: client.Counter<'connection' | 'system' | 'outcome'>;
  stuckOrders: client.Gauge;
}

/** Creates the metrics; `collectBacklog` and `countStuckOrders` are called on every scrape. */
export function createMetrics(
  collectBacklog?: () => Promise<{ lanes: Record<string, number>; dead: number }>,
  countStuckOrders?: () => Promise<number>,
): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tillbridge_' });
  const backlog = new client.Gauge({
    name: 'tillbridge_message_backlog',
    help: 'Messages pending or in flight, per lane',
    labelNames: ['lane'] as const,
    registers: [registry],
    async collect() {
      if (!collectBacklog) return;
      const { lanes } = await collectBacklog();
      for (const lane of ['critical', 'standard', 'bulk']) this.set({ lane }, lanes[lane] ?? 0);
    },
  });
  const deadLetters = new client.Gauge({
    name: 'tillbridge_dead_letters',
    help: 'Messages in the dead-letter queue',
    registers: [registry],
    async collect() {
      if (collectBacklog) this.set((await collectBacklog()).dead);
    },
  });
  const stuckOrders = new client.Gauge({
    name: 'tillbridge_orders_stuck',
    help: 'Workflow runs of orders with a step past its SLA (no progress in time)',
    registers: [registry],
    async collect() {
      if (countStuckOrders) this.set(await countStuckOrders());
    },
  });
  return {
    registry,
    backlog,
    deadLetters,
    stuckOrders,
    httpRequests: new client.Counter({
      name: 'tillbridge_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: 'tillbridge_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    messages: new client.Counter({
      name: 'tillbridge_messages_total',
      help: 'Message deliveries by type and outcome (done, retry, dead, lease_lost)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    handlerDuration: new client.Histogram({
      name: 'tillbridge_message_handler_duration_seconds',
      help: 'Time from lease to settlement of one delivery',
      labelNames: ['type'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
      registers: [registry],
    }),
    ordersAccepted: new client.Counter({
      name: 'tillbridge_orders_accepted_total',
      help: 'Orders durably accepted',
      registers: [registry],
    }),
    webhooks: new client.Counter({
      name: 'tillbridge_webhooks_total',
      help: 'Inbound webhooks by connection, system and outcome (accepted, duplicate, unauthorized, invalid, unknown-connection)',
      labelNames: ['connection', 'system', 'outcome'] as const,
      registers: [registry],
    }),
    rejectedPayloads: new client.Counter({
      name: 'tillbridge_rejected_payloads_total',
      help: 'Inbound payloads rejected as invalid (kept for diagnosis)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}
