import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { flowNames } from '../../messaging/index.js';
import { countOrdersOnHold, countOverdueRuns, latencyClassBoundsMs, messageBacklog, messageStatsHistogram } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { errorRate, flowSeries, parseDuration } from '../ops/series.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';

const timestamp = z.iso.datetime({ offset: true });
const duration = z.string().regex(/^\d{1,6}[smhd]$/);

/** `GET /v1/ops/overview` query: how far back and how fine. */
export const OverviewQuery = z.object({
  window: duration.meta({ description: 'How far back, e.g. 15m, 1h, 24h, 7d (at most 7d; default 1h)' }).optional(),
  step: duration.meta({ description: 'Bucket size, e.g. 1m, 5m, 1h (whole minutes, at least 1m, at most 500 buckets; default 1m)' }).optional(),
});

const Point = z.object({ t: timestamp, done: z.int(), failed: z.int(), retried: z.int(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable() });

/** 200 body of `GET /v1/ops/overview`. */
export const OverviewResponse = z.object({
  from: timestamp,
  to: timestamp,
  stepMs: z.int(),
  flows: z.array(z.object({ flow: z.enum(flowNames), points: z.array(Point) })),
  backlog: z.object({ critical: z.int(), standard: z.int(), bulk: z.int() }),
  deadLetters: z.int(),
  errorRate: z.number().nullable().meta({ description: 'failed ÷ (done + failed) over the window; null when nothing settled' }),
  connections: z.array(z.object({ id: z.string(), system: z.string(), circuit: z.string(), lastSuccessAt: timestamp.nullable() })),
  stuckOrders: z.int(),
  ordersOnHold: z.int(),
});

const maxWindowMs = 7 * 86_400_000;
const minStepMs = 60_000;
const maxPoints = 500;

/** `GET /v1/ops/overview`: throughput, failures, retries and latency per flow over time, and the hub's state now. */
export async function opsOverviewRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/ops/overview', { config: { meta: { scope: 'admin', summary: 'Operations overview: per-flow throughput, failures, retries and latency over a window, backlog, dead letters, error rate, connections, stuck and held orders', tags: ['operations'], schemas: { query: OverviewQuery, responses: { 200: { description: 'The overview', schema: OverviewResponse }, 400: { description: 'Invalid query', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const errors: ProblemViolation[] = [];
    const windowMs = parseDuration(request.query.window ?? '1h');
    const stepMs = parseDuration(request.query.step ?? '1m');
    if (windowMs === undefined || windowMs > maxWindowMs) errors.push({ pointer: '/query/window', detail: 'window must be a duration such as 1h, at most 7d' });
    if (stepMs === undefined || stepMs < minStepMs || stepMs % minStepMs !== 0) errors.push({ pointer: '/query/step', detail: 'step must be whole minutes such as 1m or 5m (statistics are kept per minute)' });
    const points = windowMs !== undefined && stepMs !== undefined ? Math.ceil(windowMs / stepMs) : 0;
    if (errors.length === 0 && points > maxPoints) errors.push({ pointer: '/query/step', detail: `window ÷ step must be at most ${maxPoints} buckets (it is ${points})` });
    if (errors.length > 0 || windowMs === undefined || stepMs === undefined) {
      return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
    }
    const now = deps.clock.now();
    const to = Math.floor(now / stepMs) * stepMs + stepMs;
    const from = to - points * stepMs;
    const db = deps.store.db;
    const range = { from, to, stepMs };
    const [{ settled, retried }, backlog, stuckOrders, ordersOnHold] = await Promise.all([
      messageStatsHistogram(db, range),
      messageBacklog(db),
      countOverdueRuns(db, now),
      countOrdersOnHold(db),
    ]);
    const flows = flowSeries({ from, stepMs, points }, settled, retried, latencyClassBoundsMs);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      stepMs,
      flows,
      backlog: { critical: backlog.lanes.critical ?? 0, standard: backlog.lanes.standard ?? 0, bulk: backlog.lanes.bulk ?? 0 },
      deadLetters: backlog.dead,
      errorRate: errorRate(flows),
      connections: [...(deps.connections?.values() ?? [])].map((c) => {
        const health = c.instance.health();
        return { id: c.id, system: c.system, circuit: health.circuit.state, lastSuccessAt: health.lastSuccessAt === null ? null : new Date(health.lastSuccessAt).toISOString() };
      }),
      stuckOrders,
      ordersOnHold,
    };
  });
}
