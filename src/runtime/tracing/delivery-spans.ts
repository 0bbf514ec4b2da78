import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextOfTraceparent, flowOfMessageType, traceparentOfSpan, type DeliveryWrapper } from '../../messaging/index.js';

/**
 * A CONSUMER span per message delivery, `handle <type>`, child of the trace that produced the
 * message (its stored traceparent). The handler runs in the span's context, so its outbound calls
 * nest under it, and the messages it emits carry the span as their traceparent.
 */
export function traceDeliveries(): DeliveryWrapper {
  const tracer = trace.getTracer('tillbridge.messaging');
  return async (delivery, run) => {
    const parent = contextOfTraceparent(delivery.traceparent);
    const span = tracer.startSpan(
      `handle ${delivery.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'tillbridge',
          'messaging.operation.type': 'process',
          'messaging.destination.name': delivery.lane,
          'messaging.message.id': delivery.id,
          'tillbridge.message.type': delivery.type,
          'tillbridge.flow': flowOfMessageType(delivery.type),
          'tillbridge.correlation_id': delivery.correlationId,
          ...(delivery.causationId ? { 'tillbridge.causation_id': delivery.causationId } : {}),
          'tillbridge.lane': delivery.lane,
          'tillbridge.attempt': delivery.attempt,
        },
      },
      parent,
    );
    try {
      const settled = await context.with(trace.setSpan(parent, span), () => run(traceparentOfSpan(span)));
      span.setAttribute('tillbridge.outcome', settled.outcome);
      if (settled.error) {
        span.setAttribute('error.type', settled.error.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: settled.error.message });
      }
      return settled;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  };
}
