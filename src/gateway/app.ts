import Fastify, { LogController, type FastifyError } from 'fastify';
import { TillbridgeError } from '../model/index.js';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import cookie from '@fastify/cookie';
import { authenticate } from './auth.js';
import { rateLimit } from './rate-limit/hook.js';
import { lifecycleHeaders } from './lifecycle.js';
import { RouteRegistry } from './route-meta.js';
import { auditRoutes } from './routes/audit.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { keyRoutes } from './routes/keys.js';
import { oauthRoutes } from './routes/oauth.js';
import { oauthEndpoints } from './oauth/endpoints.js';
import { bearerResolver } from './oauth/resolver.js';
import { metaRoutes } from './routes/meta.js';
import type { GatewayDeps } from './deps.js';
import { problem, sendProblem } from './problem.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { deadLetterEditRoutes } from './routes/dead-letter-edit.js';
import { messageRoutes } from './routes/messages.js';
import { opsOverviewRoutes } from './routes/ops-overview.js';
import { docsRoutes } from './routes/docs.js';
import { operationalRoutes } from './routes/operational.js';
import { orderRoutes } from './routes/orders.js';
import { orderActionRoutes } from './routes/order-actions.js';
import { inventoryRoutes } from './routes/inventory.js';
import { journalRoutes } from './routes/journal.js';
import { payoutRoutes } from './routes/payouts.js';
import { reconciliationRoutes } from './routes/reconciliation.js';
import { productRoutes } from './routes/products.js';
import { syncRoutes } from './routes/sync.js';
import { webhookRoutes } from './routes/webhooks.js';
import { connectionRoutes } from './routes/connections.js';
import { traceRequests } from './tracing.js';
import { slaRoutes } from './routes/slas.js';
import { alertRoutes } from './routes/alerts.js';

const fastifyErrors: Record<string, { status: number; code: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body-too-large', title: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported-media-type', title: 'Unsupported media type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed-json', title: 'Malformed JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed-json', title: 'Malformed JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad-request', title: 'Bad request' },
};

/** Builds the HTTP gateway: /health, /ready, /metrics and the authenticated /v1 API. */
export async function buildGateway(deps: GatewayDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    requestTimeout: 30_000,
    return503OnClosing: true,
    genReqId: () => deps.newId('req'),
    trustProxy: deps.trustProxy ?? false,
  });

  const registry = new RouteRegistry();
  app.addHook('onRoute', (route) => {
    const meta = route.config?.meta;
    if (!meta && route.method === 'OPTIONS') return;
    if (!meta) throw new Error(`route ${String(route.method)} ${route.url} declares no meta (scope, summary)`);
    registry.add(route.method, route.url, meta);
  });
  app.decorate('registry', registry);
  traceRequests(app);

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(cors, { origin: deps.corsOrigins && deps.corsOrigins.length > 0 ? deps.corsOrigins : false });
  await app.register(cookie);
  app.addHook('onSend', lifecycleHeaders);

  app.setErrorHandler((thrown: unknown, request, reply) => {
    if (thrown instanceof TillbridgeError) {
      if (thrown.retryAfterMs !== undefined) reply.header('Retry-After', Math.ceil(thrown.retryAfterMs / 1000));
      return sendProblem(reply, problem(thrown.httpStatus, thrown.code, thrown.code.replace(/_/g, ' '), thrown.message));
    }
    const error = thrown as FastifyError;
    const known = error.code ? fastifyErrors[error.code] : undefined;
    if (known) return sendProblem(reply, problem(known.status, known.code, known.title, error.message));
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return sendProblem(reply, problem(400, 'bad-request', 'Bad request', error.message));
    }
    request.log.error({ err: error, reqId: request.id, route: request.routeOptions.url }, 'request failed');
    return sendProblem(reply, problem(500, 'internal', 'Internal error', `the request failed; reference ${request.id}`));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'not-found', 'Not found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    request.log.debug(
      { reqId: request.id, method: request.method, route, statusCode: reply.statusCode, principal: request.principal?.id, ms: reply.elapsedTime },
      'request completed',
    );
    deps.metrics.httpRequests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(async (scope) => operationalRoutes(scope, deps));
  await app.register(async (scope) => oauthEndpoints(scope, deps));
  await app.register(async (scope) => docsRoutes(scope, { registry }));
  await app.register(async (scope) => webhookRoutes(scope, deps));
  const consoleMount = deps.console;
  if (consoleMount) await app.register(async (scope) => consoleMount.routes(scope));
  await app.register(async (v1) => {
    v1.addHook('onRequest', authenticate(deps.resolveKey ?? bearerResolver(deps), deps.console?.authenticate));
    v1.addHook('onRequest', rateLimit(deps));
    await v1.register(async (scope) => orderRoutes(scope, deps));
    await v1.register(async (scope) => orderActionRoutes(scope, deps));
    await v1.register(async (scope) => inventoryRoutes(scope, deps));
    await v1.register(async (scope) => journalRoutes(scope, deps));
    await v1.register(async (scope) => payoutRoutes(scope, deps));
    await v1.register(async (scope) => reconciliationRoutes(scope, deps));
    await v1.register(async (scope) => productRoutes(scope, deps));
    await v1.register(async (scope) => syncRoutes(scope, deps));
    await v1.register(async (scope) => deadLetterRoutes(scope, deps));
    await v1.register(async (scope) => deadLetterEditRoutes(scope, deps));
    await v1.register(async (scope) => messageRoutes(scope, deps));
    await v1.register(async (scope) => opsOverviewRoutes(scope, deps));
    await v1.register(async (scope) => keyRoutes(scope, deps));
    await v1.register(async (scope) => oauthRoutes(scope, deps));
    await v1.register(async (scope) => auditRoutes(scope, deps));
    await v1.register(async (scope) => subscriptionRoutes(scope, deps));
    await v1.register(async (scope) => connectionRoutes(scope, deps));
    await v1.register(async (scope) => slaRoutes(scope, deps));
    await v1.register(async (scope) => alertRoutes(scope, deps));
    await v1.register(async (scope) => metaRoutes(scope, { ...deps, registry }));
    if (consoleMount) await v1.register(async (scope) => consoleMount.apiRoutes(scope));
  });
  return app;
}
export type Gateway = Awaited<ReturnType<typeof buildGateway>>;

declare module 'fastify' {
  interface FastifyInstance {
    registry: RouteRegistry;
  }
}
