import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, MasterStatus, ProductAttributes, ProductPrice, ProductPrices, type Catalog } from '../../flows/index.js';
import { ConnectionId, Identifier, ProductImage } from '../../model/index.js';
import { insertRejectedPayload } from '../../store/index.js';
import type { GatewayDeps } from '../deps.js';
import { ProblemSchema } from '../openapi/problem-schema.js';
import { problem, sendProblem, type ProblemViolation } from '../problem.js';
import { parseLimit } from './paging.js';
import { actorOf, zodViolations } from './request.js';
import { pageOf, PageQuery } from './responses.js';

const tags = ['catalog'];
const timestamp = z.iso.datetime({ offset: true });

/** `PUT /v1/products/{sku}`: what the source gives for the SKU (it replaces what that source gave before). */
export const ProductPutRequest = z.object({
  title: z.string().min(1).max(255).optional(),
  description: z.string().max(65_535).optional(),
  attributes: ProductAttributes.optional(),
  images: z.array(ProductImage).max(250).optional(),
  prices: ProductPrices.optional(),
  /** draft or archived at any time; approved only through POST …/approve when approval is required. */
  status: MasterStatus.exclude(['deleted']).optional(),
});

/** `PUT /v1/products/{sku}?source=`: an API-fed source (default `api`). */
export const ProductPutQuery = z.object({ source: ConnectionId.meta({ description: 'The API-fed catalog source writing (default api), e.g. pim' }).optional() });

/** A SKU's publication in one channel. */
export const ProductPublicationView = z.object({
  connectionId: z.string(),
  status: z.enum(['pending', 'published', 'failed', 'unpublished', 'deleted']),
  externalId: z.string().nullable(),
  externalIds: z.object({ productId: z.string(), variantId: z.string().optional(), inventoryItemId: z.string().optional(), handle: z.string().optional() }).nullable(),
  publishedAt: timestamp.nullable(),
  publishedVersion: z.int().nullable(),
  error: z.string().nullable(),
});

/** A product master: merged content, status and version, its sources and its publication in each channel. */
export const ProductMasterView = z.object({
  sku: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  attributes: ProductAttributes,
  images: z.array(ProductImage),
  prices: z.array(ProductPrice),
  status: MasterStatus,
  version: z.int(),
  contentHash: z.string(),
  approvedAt: timestamp.nullable(),
  approvedBy: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  sources: z.array(z.object({ source: z.string(), updatedAt: timestamp })),
  publications: z.array(ProductPublicationView),
});

/** `GET /v1/products`: filters and paging (the handler checks the same rules). */
export const ProductListQuery = PageQuery.extend({ status: MasterStatus.meta({ description: 'Only masters with this status' }).optional() });

/** `GET /v1/products`: a page of masters in SKU order. */
export const ProductPage = pageOf(ProductMasterView);

const notFound = { description: 'No such product', schema: ProblemSchema };

/** The product master over HTTP: create or replace a source's fields, list, read with publications, approve, delete. */
export async function productRoutes(app: FastifyInstance, deps: GatewayDeps & { catalog?: Catalog | undefined }): Promise<void> {
  const catalog = deps.catalog;
  if (!catalog) return;
  const skuOf = (params: { sku: string }) => Identifier.safeParse(params.sku);

  app.put<{ Params: { sku: string }; Querystring: Record<string, string | undefined> }>(
    '/v1/products/:sku',
    {
      config: {
        meta: {
          scope: 'catalog:write',
          summary: 'Create or replace what a source (the API, or an API-fed source such as a PIM) gives for a SKU; the master is re-merged by rule and, when approved, published',
          tags,
          schemas: {
            query: ProductPutQuery,
            body: ProductPutRequest,
            responses: {
              200: { description: 'The master after the change', schema: ProductMasterView },
              201: { description: 'The master was created', schema: ProductMasterView },
              409: { description: 'Approval goes through POST /v1/products/{sku}/approve', schema: ProblemSchema },
              422: { description: 'Invalid product (nothing changed; the payload is kept)', schema: ProblemSchema },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const sku = skuOf(request.params);
      const query = ProductPutQuery.safeParse(request.query ?? {});
      const input = ProductPutRequest.safeParse(request.body ?? {});
      if (!sku.success || !query.success || !input.success) {
        const errors = [...(sku.success ? [] : zodViolations(sku.error, '/sku')), ...(query.success ? [] : zodViolations(query.error, '/query')), ...(input.success ? [] : zodViolations(input.error))];
        deps.metrics.rejectedPayloads.inc({ kind: 'product' });
        await insertRejectedPayload(deps.store.db, { id: deps.newId('rej'), kind: 'product', source: request.principal?.name ?? null, receivedAt: deps.clock.now(), reason: errors, raw: JSON.stringify(request.body ?? null) });
        return sendProblem(reply, problem(422, 'invalid-product', 'Invalid product', `the product has ${errors.length} violation(s); nothing changed`, { errors }));
      }
      const result = await catalog.put(sku.data, input.data, { source: query.data.source, actor: actorOf(request).name });
      deps.onEnqueued?.();
      if (result.created) reply.header('Location', `/v1/products/${encodeURIComponent(sku.data)}`);
      return reply.code(result.created ? 201 : 200).send(result.product);
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/v1/products',
    { config: { meta: { scope: 'catalog:read', summary: 'List product masters in SKU order, optionally of one status, with a cursor', tags, schemas: { query: ProductListQuery, responses: { 200: { description: 'A page of product masters', schema: ProductPage } } } } } },
    async (request, reply) => {
      const { status, cursor } = request.query;
      const errors: ProblemViolation[] = [];
      const statusOf = status === undefined ? undefined : MasterStatus.safeParse(status);
      if (statusOf && !statusOf.success) errors.push({ pointer: '/query/status', detail: `status must be one of ${MasterStatus.options.join(', ')}` });
      const limit = parseLimit(request.query.limit, errors);
      const afterSku = cursor === undefined ? undefined : decodeCursor<string>(cursor, 'string');
      if (cursor !== undefined && afterSku === undefined) errors.push({ pointer: '/query/cursor', detail: 'cursor is not one this API returned' });
      if (errors.length > 0) return sendProblem(reply, problem(400, 'invalid-query', 'Invalid query', 'the query parameters are not valid', { errors }));
      const page = await catalog.list({ limit, afterSku, status: statusOf?.data });
      return { data: page.data, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: { sku: string } }>('/v1/products/:sku', { config: { meta: { scope: 'catalog:read', summary: 'A product master with its sources and its publication in each channel', tags, schemas: { responses: { 200: { description: 'The product', schema: ProductMasterView }, 404: notFound } } } } }, async (request, reply) => {
    const view = await catalog.view(request.params.sku);
    if (!view) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no product ${request.params.sku}`));
    return view;
  });

  app.post<{ Params: { sku: string } }>('/v1/products/:sku/approve', { config: { meta: { scope: 'catalog:write', summary: 'Approve a product for sale: it is published to every channel', tags, schemas: { responses: { 200: { description: 'Approved (publication queued)', schema: ProductMasterView }, 404: notFound, 409: { description: 'The product cannot be approved (no title)', schema: ProblemSchema } } } } } }, async (request) => {
    const view = await catalog.approve(request.params.sku, actorOf(request).name);
    deps.onEnqueued?.();
    return view;
  });

  app.delete<{ Params: { sku: string } }>('/v1/products/:sku', { config: { meta: { scope: 'catalog:write', summary: 'Delete a product: its listing is deleted in every channel; the record stays with status deleted', tags, schemas: { responses: { 202: { description: 'Deleted (channel deletions queued)', schema: ProductMasterView }, 404: notFound } } } } }, async (request, reply) => {
    const view = await catalog.remove(request.params.sku, actorOf(request).name);
    deps.onEnqueued?.();
    return reply.code(202).send(view);
  });
}
