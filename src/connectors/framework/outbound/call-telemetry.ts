import { subscribe, unsubscribe, channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

/** How one outbound HTTP call ended. */
export type OutboundOutcome = 'ok' | 'throttled' | 'server_error' | 'rejected' | 'timeout' | 'unreachable' | 'aborted';

/** One finished outbound HTTP call (one attempt on the wire), for per-connection metrics. */
export interface OutboundCallEvent {
  connectionId: string;
  method: string;
  outcome: OutboundOutcome;
  status: number | null;
  durationMs: number;
}

/** An outbound call in progress. */
export interface OutboundCall {
  end(outcome: OutboundOutcome, status?: number): void;
}

const channelName = 'tillbridge:outbound-call';
const calls = channel(channelName);

/**
 * Starts the telemetry of one outbound call: a CLIENT span `<METHOD> <connection>` (child of the
 * active span, e.g. the message delivery), whose W3C traceparent is added to `headers`; the URL is
 * recorded without its query string (which may carry secrets). With tracing off the span is a no-op
 * and no header is added.
 */
export function startOutboundCall(connectionId: string, method: string, url: URL, headers: Record<string, string>): OutboundCall {
  const span = trace.getTracer('tillbridge.connectors').startSpan(`${method} ${connectionId}`, { kind: SpanKind.CLIENT });
  if (span.isRecording()) {
    span.setAttributes({
      'http.request.method': method,
      'url.full': `${url.origin}${url.pathname}`,
      'server.address': url.hostname,
      ...(url.port ? { 'server.port': Number(url.port) } : {}),
      'tillbridge.connection': connectionId,
    });
    propagation.inject(trace.setSpan(context.active(), span), headers);
  }
  const started = performance.now();
  return {
    end(outcome, status) {
      if (span.isRecording()) {
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        if (outcome !== 'ok') {
          span.setAttribute('error.type', status !== undefined ? String(status) : outcome);
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        }
        span.end();
      }
      if (calls.hasSubscribers) {
        const event: OutboundCallEvent = { connectionId, method, outcome, status: status ?? null, durationMs: performance.now() - started };
        calls.publish(event);
      }
    },
  };
}

/** Calls `listener` for every outbound call of this process until the returned function is called. */
export function onOutboundCall(listener: (event: OutboundCallEvent) => void): () => void {
  const handler = (message: unknown) => listener(message as OutboundCallEvent);
  subscribe(channelName, handler);
  return () => {
    unsubscribe(channelName, handler);
  };
}
