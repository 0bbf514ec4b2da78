/** Where the hub sends traces and what it calls itself there. */
export interface TracingOptions {
  /** The OTLP/HTTP traces URL (…/v1/traces). */
  endpoint: string;
  serviceName: string;
  /** How long finished spans wait to be batched (OTLP batch delay); defaults to the SDK's 5 s. */
  batchDelayMs?: number;
}

/** The OTLP/HTTP traces URL for a collector base URL (`http://collector:4318` → `http://collector:4318/v1/traces`). */
export function tracesUrl(base: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/**
 * Tracing options from the hub's `otlpEndpoint` setting (TILLBRIDGE_OTLP_ENDPOINT / --otlp-endpoint,
 * a collector base URL) or else the standard OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) and
 * OTEL_EXPORTER_OTLP_ENDPOINT (a base URL); undefined (tracing off) when none is set, or when
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none.
 */
export function tracingOptionsFrom(settings: { otlpEndpoint?: string | undefined }, env: NodeJS.ProcessEnv = process.env): TracingOptions | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const set = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);
  const tracesEndpoint = set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const baseEndpoint = set(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const endpoint = settings.otlpEndpoint
    ? tracesUrl(settings.otlpEndpoint)
    : tracesEndpoint !== undefined
      ? checkedUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint, (url) => url)
      : baseEndpoint !== undefined
        ? checkedUrl('OTEL_EXPORTER_OTLP_ENDPOINT', baseEndpoint, tracesUrl)
        : undefined;
  if (endpoint === undefined) return undefined;
  return { endpoint, serviceName: set(env.OTEL_SERVICE_NAME) ?? 'tillbridge' };
}

function checkedUrl(variable: string, value: string, use: (url: string) => string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new Error(`invalid settings:\n  ${variable}: the OTLP endpoint is an http(s) URL, e.g. http://127.0.0.1:4318`);
  }
  return use(value);
}
