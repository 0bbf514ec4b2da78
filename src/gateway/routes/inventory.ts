import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Inventory } from '../../flows/index.js';
import { Identifier, Timestamp } from '../../model/index.js';
import { insertRejectedPayload } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem } from '../problem.js';
import { zodViolations } from './request.js';

const tags = ['inventory'];

/** `POST /v1/inventory/events`: absolute stock on hand per SKU and location, versioned by the sender. */
export const InventoryEventsRequest = z.object({
  events: z
    .array(
      z.object({
        sku: Identifier,
        locationId: Identifier,
        onHand: z.int({ error: 'onHand is an integer' }),
        /** The sender's version of this SKU at this location (a counter or a sortable timestamp). */
        sourceVersion: z.union([z.string().min(1).max(100), z.int().nonnegative()]).optional(),
        occurredAt: Timestamp,
      }),
    )
    .min(1)
    .max(10_000),
});

/** What each event did: applied, or ignored as older than (stale) or the same as (duplicate) what the sender reported before. */
export const InventoryEventsResponse = z.object({
  applied: z.int(),
  stale: z.int(),
  duplicate: z.int(),
  results: z.array(z.object({ index: z.int(), outcome: z.enum(['applied', 'stale', 'duplicate']) })),
});

/** `GET /v1/inventory/{sku}`. */
export const InventoryResponse = z.object({
  sku: z.string(),
  locations: z.array(z.object({ locationId: z.string(), onHand: z.int(), reserved: z.int(), safetyStock: z.int(), available: z.int() })),
  channels: z.array(z.object({ connectionId: z.string(), available: z.int(), publishedAvailable: z.int().nullable(), publishedAt: z.string().nullable(), error: z.string().nullable() })),
  explain: z.object({ formula: z.string(), channels: z.record(z.string(), z.string()) }),
});

/** `GET /v1/locations`. */
export const LocationsResponse = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string(), source: z.string(), connectionId: z.string().nullable() })),
});

/** Stock reports in, availability out, and the locations the hub knows. */
export async function inventoryRoutes(app: FastifyInstance, deps: GatewayDeps & { inventory?: Inventory | undefined }): Promise<void> {
  const inventory = deps.inventory;
  if (!inventory) return;

  app.post('/v1/inventory/events', { config: { meta: { scope: 'inventory:write', summary: 'Report stock on hand per SKU and location; older or repeated reports from the same sender change nothing', tags, schemas: { body: InventoryEventsRequest, responses: { 200: { description: 'Each event applied or ignored', schema: InventoryEventsResponse }, 422: { description: 'Invalid events (nothing applied; the payload is kept)', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const input = InventoryEventsRequest.safeParse(request.body);
    if (!input.success) {
      const errors = zodViolations(input.error);
      deps.metrics.rejectedPayloads.inc({ kind: 'inventory' });
      await insertRejectedPayload(deps.store.db, { id: deps.newId('rej'), kind: 'inventory', source: request.principal?.name ?? null, receivedAt: deps.clock.now(), reason: errors, raw: JSON.stringify(request.body ?? null) });
      return sendProblem(reply, problem(422, 'invalid-inventory-events', 'Invalid inventory events', `the events have ${errors.length} violation(s); none was applied`, { errors }));
    }
    const source = `api:${request.principal?.name ?? 'unknown'}`;
    const outcomes = await inventory.report(
      input.data.events.map((e) => ({ sku: e.sku, locationId: e.locationId, onHand: e.onHand, source, sourceVersion: e.sourceVersion === undefined ? null : String(e.sourceVersion), occurredAt: Date.parse(e.occurredAt) })),
    );
    deps.onEnqueued?.();
    const results = outcomes.map((outcome, index) => ({ index, outcome: outcome === 'newer' ? ('applied' as const) : outcome }));
    const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    return reply.code(200).send({ applied: count('applied'), stale: count('stale'), duplicate: count('duplicate'), results });
  });

  app.get<{ Params: { sku: string } }>('/v1/inventory/:sku', { config: { meta: { scope: 'inventory:read', summary: 'Stock of a SKU per location, what each channel may sell, what it was last shown, and why', tags, schemas: { responses: { 200: { description: 'The SKU’s stock and availability', schema: InventoryResponse }, 404: { description: 'The hub knows no stock of this SKU', schema: ProblemSchema } } } } } }, async (request, reply) => {
    const view = await inventory.view(request.params.sku);
    if (!view) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no stock of ${request.params.sku} has been reported`));
    return view;
  });

  app.get('/v1/locations', { config: { meta: { scope: 'inventory:read', summary: 'The stock locations the hub knows (from the configuration, connections and the ERP)', tags, schemas: { responses: { 200: { description: 'Locations', schema: LocationsResponse } } } } } }, async () => {
    const rows = await inventory.locations();
    return { data: rows.map((r) => ({ id: r.id, name: r.name, source: r.source, connectionId: r.connection_id })) };
  });
}
