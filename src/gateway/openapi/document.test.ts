import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RouteRegistry, type RouteMeta } from '../route-meta.js';
import { buildOpenApiDocument, scopeDescription } from './document.js';
import { operationIdOf, openApiPath } from './operation.js';

function registry(routes: [string, string, RouteMeta][]) {
  const reg = new RouteRegistry();
  for (const [method, url, meta] of routes) reg.add(method, url, meta);
  return reg.routes;
}

describe('buildOpenApiDocument', () => {
  it('gives a route without schemas a sane operation', async () => {
    const routes = registry([['GET', '/v1/widgets/:widgetId/parts/:partId', { scope: 'catalog:read', summary: 'One part of a widget' }]]);
    const doc = buildOpenApiDocument(routes, { version: '1.0.0' });
    const op = doc.paths['/v1/widgets/{widgetId}/parts/{partId}']?.get;
    expect(op).toMatchObject({
      operationId: 'getV1WidgetsByWidgetIdPartsByPartId',
      summary: 'One part of a widget',
      security: [{ bearerAuth: ['catalog:read'] }, { oauth2: ['catalog:read'] }],
      parameters: [
        { name: 'widgetId', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'partId', in: 'path', required: true, schema: { type: 'string' } },
      ],
    });
    expect(op).not.toHaveProperty('requestBody');
    expect(op).not.toHaveProperty('deprecated');
    expect(Object.keys(op!.responses)).toEqual(['200', '401', '403', '404', '429', '500']);
    expect(op!.responses['200']).toEqual({ description: 'Success' });
    expect((await new Validator().validate(doc as unknown as Record<string, unknown>)).valid).toBe(true);
  });

  it('marks deprecated routes with a sunset and successor, and beta ones', () => {
    const routes = registry([
      ['GET', '/v1/old', { scope: 'orders:read', summary: 'Old', lifecycle: { status: 'deprecated', deprecatedAt: '2026-01-01T00:00:00Z', sunset: '2026-12-31T00:00:00Z', successor: '/v2/new' } }],
      ['GET', '/v1/next', { scope: 'orders:read', summary: 'Next', lifecycle: { status: 'beta' } }],
    ]);
    const doc = buildOpenApiDocument(routes, { version: '1.0.0' });
    expect(doc.paths['/v1/old']?.get).toMatchObject({ deprecated: true, 'x-sunset': '2026-12-31T00:00:00Z', 'x-successor': '/v2/new' });
    expect(doc.paths['/v1/next']?.get).toMatchObject({ 'x-status': 'beta' });
    expect(doc.paths['/v1/next']?.get).not.toHaveProperty('deprecated');
  });

  it('leaves public routes outside /v1 without security, and needs only a credential for public routes inside it', () => {
    const routes = registry([
      ['GET', '/health', { scope: 'public', summary: 'Health' }],
      ['GET', '/v1/meta/thing', { scope: 'public', summary: 'Thing' }],
    ]);
    const doc = buildOpenApiDocument(routes, { version: '1.0.0' });
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(Object.keys(doc.paths['/health']!.get!.responses)).toEqual(['200', '500']);
    expect(doc.paths['/v1/meta/thing']?.get?.security).toEqual([{ bearerAuth: [] }, { oauth2: [] }]);
    expect(doc.paths['/v1/meta/thing']?.get?.responses).not.toHaveProperty('403');
  });

  it('turns params, query and body schemas into parameters and a request body, and declared responses into content', () => {
    const Body = z.object({ name: z.string(), size: z.number().int().default(1) });
    const Out = z.object({ id: z.string(), size: z.number().int() });
    const routes = registry([
      [
        'POST',
        '/v1/things/:id',
        {
          scope: 'admin',
          summary: 'Make a thing',
          schemas: {
            params: z.object({ id: z.string().min(3).meta({ description: 'The thing id' }) }),
            query: z.object({ dryRun: z.enum(['true', 'false']) }),
            body: Body,
            responses: { 201: { description: 'Made', schema: Out }, 204: { description: 'Nothing to do' } },
          },
        },
      ],
    ]);
    const op = buildOpenApiDocument(routes, { version: '1.0.0' }).paths['/v1/things/{id}']!.post!;
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, description: 'The thing id', schema: { type: 'string', minLength: 3 } },
      { name: 'dryRun', in: 'query', required: true, schema: { type: 'string', enum: ['true', 'false'] } },
    ]);
    expect(op.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { required: ['name'] } } } });
    expect(op.responses['201']).toMatchObject({ description: 'Made', content: { 'application/json': { schema: { required: ['id', 'size'] } } } });
    expect(op.responses['204']).toEqual({ description: 'Nothing to do' });
    expect(op.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    expect(op.responses['422']).toEqual({ $ref: '#/components/responses/UnprocessableContent' });
  });

  it('publishes named schemas once per shape, suffixing a differing output form', () => {
    const Part = z.object({ n: z.number().default(0) });
    const names = z.registry<{ id: string }>().add(Part, { id: 'Part' });
    const routes = registry([
      ['POST', '/v1/parts', { scope: 'admin', summary: 'Add', schemas: { body: Part, responses: { 200: { description: 'Added', schema: Part } } } }],
      ['PUT', '/v1/parts', { scope: 'admin', summary: 'Put', schemas: { body: z.object({ part: Part }) } }],
    ]);
    const doc = buildOpenApiDocument(routes, { version: '1.0.0', schemaNames: names });
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['PartOutput', 'Part', 'Problem'].sort());
    expect(doc.paths['/v1/parts']?.post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Part' } } } });
    expect(doc.paths['/v1/parts']?.post?.responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/PartOutput' } } } });
  });

  it('makes operation ids and paths from Fastify URLs', () => {
    expect(openApiPath('/v1/orders/:id/lines/:lineId')).toBe('/v1/orders/{id}/lines/{lineId}');
    expect(operationIdOf('GET', '/.well-known/jwks.json')).toBe('getWellKnownJwksJson');
    expect(operationIdOf('DELETE', '/v1/keys/:id')).toBe('deleteV1KeysById');
    expect(scopeDescription('inventory:*')).toBe('Read and write inventory');
  });
});
