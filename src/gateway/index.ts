export { buildGateway, type Gateway } from './app.js';
export { authenticate, type KeyResolver } from './auth.js';
export { createApiKeys, NewApiKey, RateLimit, presentApiKey, type ApiKeys, type ApiKeyView, type Principal, type Actor } from './access/api-keys.js';
export { grantableScopes, hasScope, type GrantableScope, type RequiredScope } from './access/scopes.js';
export { RouteRegistry, type RegisteredRoute, type RouteMeta, type RouteLifecycle, type RouteSchemas } from './route-meta.js';
export type { GatewayDeps } from './deps.js';
export { createMetrics, type Metrics } from './metrics.js';
export { problem, sendProblem, type Problem, type ProblemViolation } from './problem.js';
