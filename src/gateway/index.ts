export { buildGateway, type Gateway } from './app.js';
export { bootstrapKeyResolver, requireApiKey, type KeyResolver, type Principal } from './auth.js';
export type { GatewayDeps } from './deps.js';
export { createMetrics, type Metrics } from './metrics.js';
export { problem, sendProblem, type Problem, type ProblemViolation } from './problem.js';
