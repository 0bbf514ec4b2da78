import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { testStores } from '../../store/index.js';
import { auth, exampleOrder, startTestGateway, type TestGateway } from '../testing/harness.js';
import type { OpenApiDocument } from './document.js';
import { openApiPath } from './operation.js';

const stores = await testStores();
const base = 'https://tillbridge.test/openapi.json';

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  deprecated?: boolean;
  'x-sunset'?: string;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};

/** Compiles schemas of the document with ajv (draft 2020-12), resolving its component refs. */
function schemaCompiler(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: base, components: { schemas: doc.components.schemas } });
  return (schema: Record<string, unknown>) => ajv.compile({ $id: `${base}/inline/${Math.random()}`, ...rewriteRefs(schema) });
}

function rewriteRefs(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/components/', `"${base}#/components/`)) as Record<string, unknown>;
}

describe.each(stores)('OpenAPI and docs over HTTP on $name', (factory) => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });
  const start = async () => (gw = await startTestGateway(factory));
  const openApi = async () => {
    const res = await gw!.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    return res.json() as OpenApiDocument;
  };
  const operation = (doc: OpenApiDocument, method: string, url: string) => doc.paths[openApiPath(url)]?.[method.toLowerCase()] as Operation | undefined;

  it.skipIf(factory.skipReason !== null)('serves a valid OpenAPI 3.1 document without credentials', async () => {
    await start();
    const doc = await openApi();
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Tillbridge API', version: '0.1.0' });
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: expect.objectContaining({ 'orders:read': expect.any(String), admin: expect.any(String) }) } } },
    });
    expect(doc.components.schemas.Problem).toMatchObject({ required: expect.arrayContaining(['type', 'title', 'status', 'detail']) });
  });

  it.skipIf(factory.skipReason !== null)('documents every registered route with its method, path, scope and lifecycle', async () => {
    await start();
    const doc = await openApi();
    const routes = gw!.app.registry.routes;
    expect(routes.length).toBeGreaterThan(15);
    const ids = new Set<string>();
    for (const route of routes) {
      const op = operation(doc, route.method, route.url);
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      ids.add(op!.operationId);
      if (route.scope !== 'public') {
        expect(op!.security, `${route.method} ${route.url}`).toEqual([{ bearerAuth: [route.scope] }, { oauth2: [route.scope] }]);
        expect(op!.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
      } else if (!route.url.startsWith('/v1/')) {
        expect(op!.security, `${route.method} ${route.url}`).toEqual([]);
      }
      expect(op!.responses['500']).toBeDefined();
      expect(op!.deprecated ?? false).toBe(route.lifecycle?.status === 'deprecated');
      if (route.url.startsWith('/v1/')) expect(op!.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    }
    expect(ids.size).toBe(routes.length);
    const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(routes.length);
  });

  it.skipIf(factory.skipReason !== null)('request schemas accept the CONTRACT.md example order and reject a fractional quantity', async () => {
    await start();
    const doc = await openApi();
    const post = operation(doc, 'POST', '/v1/orders')!;
    const validate = schemaCompiler(doc)(post.requestBody!.content['application/json']!.schema);
    expect(validate(exampleOrder()), JSON.stringify(validate.errors)).toBe(true);
    const fractional = exampleOrder();
    (fractional.lines as Record<string, unknown>[])[0]!.quantity = 1.5;
    expect(validate(fractional)).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/lines/0/quantity')).toBe(true);
    expect(post.responses['422']).toEqual({ $ref: '#/components/responses/UnprocessableContent' });
  });

  it.skipIf(factory.skipReason !== null)('real responses match the documented response schemas', async () => {
    await start();
    const doc = await openApi();
    const compile = schemaCompiler(doc);
    const check = async (method: 'GET' | 'POST', url: string, route: string, payload?: Record<string, unknown>) => {
      const res = await gw!.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
      const schema = operation(doc, method, route)!.responses[String(res.statusCode)]?.content?.['application/json']?.schema;
      expect(schema, `${method} ${url} → ${res.statusCode} is documented`).toBeDefined();
      const validate = compile(schema!);
      expect(validate(res.json()), `${method} ${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
      return res.json() as Record<string, unknown>;
    };
    const accepted = await check('POST', '/v1/orders', '/v1/orders', exampleOrder());
    await check('POST', '/v1/orders', '/v1/orders', exampleOrder());
    await check('GET', `/v1/orders/${String(accepted.id)}`, '/v1/orders/:id');
    await check('GET', '/v1/orders?limit=5', '/v1/orders');
    await check('POST', '/v1/keys', '/v1/keys', { name: 'docs test', scopes: ['orders:read'] });
    await check('GET', '/v1/keys', '/v1/keys');
    await check('GET', '/v1/oauth/clients', '/v1/oauth/clients');
    await check('GET', '/v1/audit', '/v1/audit');
    await check('GET', '/v1/dead-letters', '/v1/dead-letters');
    await check('GET', '/v1/meta/api', '/v1/meta/api');
    await check('GET', '/health', '/health');
  });

  it.skipIf(factory.skipReason !== null)('serves /docs as HTML that loads the spec and its assets from this server under a CSP', async () => {
    await start();
    const page = await gw!.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/openapi.json');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:\/\//);
    expect(csp).not.toContain('upgrade-insecure-requests');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith('/docs/assets/'), asset).toBe(true);
      const res = await gw!.app.inject({ method: 'GET', url: asset });
      expect(res.statusCode, asset).toBe(200);
      expect(res.rawPayload.length, asset).toBeGreaterThan(0);
    }
    expect((await gw!.app.inject({ method: 'GET', url: '/docs/assets/package.json' })).statusCode).toBe(404);
    expect((await gw!.app.inject({ method: 'GET', url: '/docs/assets/..%2Fpackage.json' })).statusCode).toBe(404);
  });
});
