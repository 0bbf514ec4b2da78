import { ROOT_CONTEXT, isSpanContextValid, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C traceparent of a span, or undefined for a no-op span (tracing off). */
export function traceparentOfSpan(span: Span | undefined): string | undefined {
  const context = span?.spanContext();
  if (!context || !isSpanContextValid(context)) return undefined;
  return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00'}`;
}

/** The traceparent of the span active in this async context; undefined when tracing is off or no span is active. */
export function activeTraceparent(): string | undefined {
  return traceparentOfSpan(trace.getActiveSpan());
}

/** A context whose (remote) parent is the given traceparent; the root context when it is absent or malformed. */
export function contextOfTraceparent(traceparent: string | null | undefined, base: Context = ROOT_CONTEXT): Context {
  const match = traceparent ? traceparentPattern.exec(traceparent) : null;
  if (!match) return base;
  const spanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(base, spanContext) : base;
}
