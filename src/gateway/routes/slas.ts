import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Duration, slaNames } from '../../flows/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem } from '../problem.js';

const maxWindowMs = 31 * 86_400_000;

/** How one business SLA did over the window. */
export const SlaView = z.object({
  name: z.enum(slaNames),
  title: z.string(),
  target: z.int(),
  window: z.object({ from: z.string(), to: z.string() }),
  completed: z.int(),
  withinTarget: z.int(),
  breached: z.int(),
  open: z.int(),
  openBreached: z.int(),
  p50Ms: z.int().nullable(),
  p95Ms: z.int().nullable(),
  worst: z.array(z.object({ entity: z.string(), startedAt: z.string(), elapsedMs: z.int(), done: z.boolean() })),
});

/** `GET /v1/slas?window=24h`: every business SLA over the window. */
export const SlaList = z.object({ data: z.array(SlaView) });

/** `GET /v1/slas`: business SLAs (product publication, order acceptance, shipment confirmation, refund processing, settlement posting) with breaches. */
export async function slaRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const slas = deps.slas;
  if (!slas) return;
  app.get('/v1/slas', { config: { meta: { scope: 'admin', summary: 'Business SLAs over a window (default 24 h): completed, within target, breached, open past target, p50/p95 and the worst breaches', tags: ['operations'], schemas: { query: z.object({ window: z.string().optional() }), responses: { 200: { description: 'Each business SLA', schema: SlaList }, 400: { description: 'Invalid window', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const raw = (request.query as Record<string, string | undefined>)['window'];
    let windowMs: number | undefined;
    if (raw !== undefined) {
      const parsed = Duration.safeParse(/^\d+$/.test(raw) ? Number(raw) : raw);
      if (!parsed.success || parsed.data <= 0 || parsed.data > maxWindowMs) {
        return sendProblem(reply, problem(400, 'invalid-window', 'Invalid window', 'window is a duration like 90m, 24h or 7d, at most 31d', { errors: [{ pointer: '/query/window', detail: 'a duration like 24h, at most 31d' }] }));
      }
      windowMs = parsed.data;
    }
    return { data: await slas.evaluate({ windowMs }) };
  });
}
