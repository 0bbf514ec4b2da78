import type { Logger } from 'pino';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { onOutboundCall, type Connections } from '../connectors/index.js';
import type { ConnectionHealthSample, Metrics } from '../gateway/index.js';
import { flowOfMessageType, type DispatcherObserver } from '../messaging/index.js';

/** Feeds message metrics (per type and per flow) and logs retries, dead letters and lost leases with their correlation id (and trace id when tracing). */
export function hubObserver(metrics: Metrics, logger: Logger): DispatcherObserver {
  return {
    settled(delivery) {
      metrics.messages.inc({ type: delivery.type, outcome: delivery.outcome });
      metrics.handlerDuration.observe({ type: delivery.type }, delivery.durationMs / 1000);
      const flow = flowOfMessageType(delivery.type);
      metrics.flowMessages.inc({ flow, outcome: delivery.outcome });
      metrics.flowDuration.observe({ flow }, delivery.durationMs / 1000);
      if (delivery.outcome === 'done') return;
      const span = trace.getActiveSpan()?.spanContext();
      const fields = {
        correlationId: delivery.correlationId,
        ...(span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
        messageId: delivery.id,
        type: delivery.type,
        attempt: delivery.attempt,
        ...(delivery.error ? { error: delivery.error } : {}),
      };
      if (delivery.outcome === 'dead') logger.error(fields, 'message dead-lettered');
      else if (delivery.outcome === 'retry') logger.warn(fields, 'message failed; retry scheduled');
      else logger.warn(fields, 'lease lost; another worker owns the message');
    },
    error(err, context) {
      logger.warn({ err }, context);
    },
  };
}

/** Counts every outbound call of the hub's connections in /metrics; returns the unsubscribe. */
export function observeConnectionCalls(metrics: Metrics, connections: Connections): () => void {
  return onOutboundCall((call) => {
    const connection = connections.get(call.connectionId);
    if (!connection) return;
    metrics.connectionRequests.inc({ connection: connection.id, system: connection.system, outcome: call.outcome });
    metrics.connectionDuration.observe({ connection: connection.id }, call.durationMs / 1000);
  });
}

/** Each connection's circuit and rate governor, read on every /metrics scrape. */
export function connectionHealthSamples(connections: Connections, now: () => number): () => ConnectionHealthSample[] {
  return () =>
    [...connections.values()].map((connection) => {
      const health = connection.instance.health();
      const { available, waiting, pausedUntil } = health.rate;
      return { connection: connection.id, circuit: health.circuit.state, rate: { available, waiting, paused: pausedUntil !== null && pausedUntil > now() } };
    });
}
