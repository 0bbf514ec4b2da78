import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { publishedEvents } from '../../flows/index.js';
import { buildAsyncApiDocument, type AsyncApiDocument } from '../openapi/asyncapi.js';
import { docsCspDirectives, docsHtml, docsInitScript, initScriptName, specUrl, swaggerUiAssets, swaggerUiRoot } from '../openapi/docs-page.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/document.js';
import { packageVersion } from '../openapi/package-version.js';
import type { RouteRegistry } from '../route-meta.js';
import { problem, sendProblem } from '../problem.js';

const AssetParams = z.object({ file: z.enum([...swaggerUiAssets, initScriptName]) });
const json = z.record(z.string(), z.unknown());
const docsHelmet = { contentSecurityPolicy: { directives: docsCspDirectives } };

/** GET /openapi.json, /asyncapi.json and /docs: the API documented from the schemas that validate it. */
export async function docsRoutes(app: FastifyInstance, deps: { registry: RouteRegistry }): Promise<void> {
  await app.register(fastifyStatic, { root: swaggerUiRoot(), serve: false });
  const version = packageVersion();
  let openApi: OpenApiDocument | undefined;
  let asyncApi: AsyncApiDocument | undefined;

  app.get(specUrl, { config: { meta: { scope: 'public', summary: 'The OpenAPI 3.1 document of this API', tags: ['docs'], schemas: { responses: { 200: { description: 'OpenAPI 3.1 document', schema: json } } } } } }, async () => {
    openApi ??= buildOpenApiDocument(deps.registry.routes, { version });
    return openApi;
  });

  app.get('/asyncapi.json', { config: { meta: { scope: 'public', summary: 'The AsyncAPI 3.0 document of the events Tillbridge publishes', tags: ['docs'], schemas: { responses: { 200: { description: 'AsyncAPI 3.0 document', schema: json } } } } } }, async () => {
    asyncApi ??= buildAsyncApiDocument(publishedEvents, { version });
    return asyncApi;
  });

  app.get('/docs', { helmet: docsHelmet, config: { meta: { scope: 'public', summary: 'Interactive API documentation (Swagger UI)', tags: ['docs'], schemas: { responses: { 200: { description: 'The docs page', contentType: 'text/html' } } } } } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(docsHtml()),
  );

  app.get(
    '/docs/assets/:file',
    { helmet: docsHelmet, config: { meta: { scope: 'public', summary: 'A static asset of the docs page', tags: ['docs'], schemas: { params: AssetParams, responses: { 200: { description: 'The asset', contentType: 'application/octet-stream' } } } } } },
    async (request, reply) => {
      const params = AssetParams.safeParse(request.params);
      if (!params.success) return sendProblem(reply, problem(404, 'not-found', 'Not found', 'no such docs asset'));
      if (params.data.file === initScriptName) return reply.type('text/javascript; charset=utf-8').send(docsInitScript());
      return reply.header('Cache-Control', 'public, max-age=86400').sendFile(params.data.file, { cacheControl: false });
    },
  );
}
