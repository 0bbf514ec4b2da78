import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { traceparentOfSpan } from '../messaging/index.js';

/* The span attribute that ties a span to its business transaction. */
const correlationAttribute = 'tillbridge.correlation_id';

const correlationPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const traced = new WeakMap<FastifyRequest, { span: Span; context: Context }>();

/**
 * A SERVER span per request, `<METHOD> <route>`, continuing an incoming W3C traceparent. The route
 * handler runs in the span's context, and the request's `traceparent` header is replaced by the
 * span's own, so what intake stores (POST /v1/orders) makes the span the parent of the messages it
 * produces. `tillbridge.correlation_id` comes from `X-Correlation-Id` or a JSON answer's
 * `correlationId`. With tracing off (@opentelemetry/api's no-op tracer) nothing is recorded or changed.
 * Register before any route.
 */
export function traceRequests<Logger extends FastifyBaseLogger>(app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>): void {
  const tracer = trace.getTracer('tillbridge.gateway');

  app.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(route ? `${request.method} ${route}` : request.method, { kind: SpanKind.SERVER }, parent);
    if (!span.isRecording()) {
      done();
      return;
    }
    span.setAttributes({
      'http.request.method': request.method,
      'url.path': request.url.split('?')[0] ?? '/',
      'url.scheme': request.protocol,
      'tillbridge.request_id': request.id,
      ...(route ? { 'http.route': route } : {}),
      ...(typeof request.headers['user-agent'] === 'string' ? { 'user_agent.original': request.headers['user-agent'] } : {}),
    });
    const header = request.headers['x-correlation-id'];
    if (typeof header === 'string' && correlationPattern.test(header)) span.setAttribute(correlationAttribute, header);
    const own = traceparentOfSpan(span);
    if (own) request.headers.traceparent = own;
    traced.set(request, { span, context: trace.setSpan(parent, span) });
    done();
  });

  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function tracedHandler(this, request, reply) {
      const entry = traced.get(request);
      return entry ? context.with(entry.context, handler, this, request, reply) : handler.call(this, request, reply);
    };
  });

  app.addHook('preSerialization', (request, _reply, payload, done) => {
    const entry = traced.get(request);
    const correlationId = entry && payload !== null && typeof payload === 'object' ? (payload as { correlationId?: unknown }).correlationId : undefined;
    if (entry && typeof correlationId === 'string' && correlationPattern.test(correlationId)) entry.span.setAttribute(correlationAttribute, correlationId);
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const entry = traced.get(request);
    if (entry) {
      traced.delete(request);
      entry.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
      entry.span.end();
    }
    done();
  });

  app.addHook('onRequestAbort', (request, done) => {
    const entry = traced.get(request);
    if (entry) {
      traced.delete(request);
      entry.span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client aborted the request' });
      entry.span.end();
    }
    done();
  });
}
