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
  flowMessages: client.Counter<'flow' | 'outcome'>;
  flowDuration: client.Histogram<'flow'>;
  connectionRequests: client.Counter<'connection' | 'system' | 'outcome'>;
  connectionDuration: client.Histogram<'connection'>;
  connectionCircuit: client.Gauge<'connection'>;
  connectionRate: client.Gauge<'connection' | 'state'>;
}

/** One connection's outbound health as /metrics reports it on each scrape. */
export interface ConnectionHealthSample {
  connection: string;
  circuit: 'closed' | 'half-open' | 'open';
  rate: { available: number; waiting: number; paused: boolean };
}

const circuitValues: Record<ConnectionHealthSample['circuit'], number> = { closed: 0, 'half-open': 1, open: 2 };

/** Creates the metrics; `collectBacklog`, `countStuckOrders` and `connectionHealth` are called on every scrape. */
export function createMetrics(
  collectBacklog?: () => Promise<{ lanes: Record<string, number>; dead: number }>,
  countStuckOrders?: () => Promise<number>,
  connectionHealth?: () => ConnectionHealthSample[],
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
  const connectionCircuit = new client.Gauge({
    name: 'tillbridge_connection_circuit_state',
    help: 'Circuit breaker of each connection: 0 closed, 1 half-open, 2 open',
    labelNames: ['connection'] as const,
    registers: [registry],
    collect() {
      if (!connectionHealth) return;
      this.reset();
      for (const sample of connectionHealth()) this.set({ connection: sample.connection }, circuitValues[sample.circuit]);
    },
  });
  const connectionRate = new client.Gauge({
    name: 'tillbridge_connection_rate_governor',
    help: "Rate governor of each connection: state=available (tokens), waiting (calls queued), paused (1 while a vendor's Retry-After holds calls)",
    labelNames: ['connection', 'state'] as const,
    registers: [registry],
    collect() {
      if (!connectionHealth) return;
      this.reset();
      for (const { connection, rate } of connectionHealth()) {
        this.set({ connection, state: 'available' }, rate.available);
        this.set({ connection, state: 'waiting' }, rate.waiting);
        this.set({ connection, state: 'paused' }, rate.paused ? 1 : 0);
      }
    },
  });
  return {
    registry,
    backlog,
    deadLetters,
    stuckOrders,
    connectionCircuit,
    connectionRate,
    flowMessages: new client.Counter({
      name: 'tillbridge_flow_messages_total',
      help: 'Message deliveries by business flow (order-to-cash, inventory, catalog, finance, …) and outcome (done, retry, dead, lease_lost)',
      labelNames: ['flow', 'outcome'] as const,
      registers: [registry],
    }),
    flowDuration: new client.Histogram({
      name: 'tillbridge_flow_duration_seconds',
      help: 'Time from lease to settlement of one delivery, by business flow',
      labelNames: ['flow'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
      registers: [registry],
    }),
    connectionRequests: new client.Counter({
      name: 'tillbridge_connection_requests_total',
      help: 'Outbound HTTP calls (each attempt) by connection, system and outcome (ok, throttled, server_error, rejected, timeout, unreachable, aborted)',
      labelNames: ['connection', 'system', 'outcome'] as const,
      registers: [registry],
    }),
    connectionDuration: new client.Histogram({
      name: 'tillbridge_connection_request_duration_seconds',
      help: 'Outbound HTTP call duration (one attempt, until the response body is read), by connection',
      labelNames: ['connection'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
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
