export { tracingOptionsFrom, tracesUrl, type TracingOptions } from './options.js';
export { startHubTracing, startTracing, type Tracing } from './provider.js';
export { traceDeliveries } from './delivery-spans.js';
