import { context, propagation, trace } from '@opentelemetry/api';
import { tracingOptionsFrom, type TracingOptions } from './options.js';

/** Tracing while the hub runs: the process-wide tracer provider, context manager and W3C propagator. */
export interface Tracing {
  readonly endpoint: string;
  /** True when the process already had a tracer provider (e.g. OpenTelemetry auto-instrumentation), which the hub's spans then use. */
  readonly external: boolean;
  /** Exports the spans finished so far. */
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and unregisters the globals (so a later hub in this process may trace). */
  shutdown(): Promise<void>;
}

/**
 * Registers an OpenTelemetry tracer provider exporting over OTLP/HTTP (JSON) in batches, an
 * AsyncLocalStorage context manager and the W3C trace-context propagator. The SDK is loaded only
 * here, so a hub without tracing never loads it; instrumented code uses only @opentelemetry/api,
 * a no-op until this runs. When the process already has a tracer provider (an SDK started by
 * auto-instrumentation), that one is left in place and used.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { defaultResource, resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const exporter = new OTLPTraceExporter({ url: options.endpoint });
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName })),
    spanProcessors: [new BatchSpanProcessor(exporter, options.batchDelayMs === undefined ? {} : { scheduledDelayMillis: options.batchDelayMs })],
  });
  if (!trace.setGlobalTracerProvider(provider)) {
    await provider.shutdown();
    return { endpoint: options.endpoint, external: true, forceFlush: async () => {}, shutdown: async () => {} };
  }
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  let stopped: Promise<void> | undefined;
  return {
    endpoint: options.endpoint,
    external: false,
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      stopped ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
          contextManager.disable();
        }
      })();
      return stopped;
    },
  };
}

/** Starts tracing when the settings or OTEL_* variables name an endpoint (and says so in the log); undefined when tracing is off. */
export async function startHubTracing(settings: { otlpEndpoint?: string | undefined }, logger: { info(o: object, m: string): void; warn(m: string): void }): Promise<Tracing | undefined> {
  const options = tracingOptionsFrom(settings);
  if (!options) return undefined;
  const tracing = await startTracing(options);
  const endpoint = new URL(tracing.endpoint);
  if (tracing.external) logger.warn('tracing: this process already has an OpenTelemetry tracer provider; the hub spans go to it');
  else logger.info({ otlpEndpoint: `${endpoint.origin}${endpoint.pathname}`, service: options.serviceName }, 'tracing on: exporting spans over OTLP/HTTP');
  return tracing;
}
