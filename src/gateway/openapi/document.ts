import { grantableScopes } from '../access/scopes.js';
import type { RegisteredRoute } from '../route-meta.js';
import { SchemaComponents, type JsonSchema, type SchemaNames } from './json-schema.js';
import { buildOperation, openApiPath, standardResponses, type OpenApiOperation } from './operation.js';
import { ProblemSchema } from './problem-schema.js';
import { defaultSchemaNames } from './schema-names.js';

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers: { url: string; description?: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/** What the document is built with besides the routes. */
export interface OpenApiOptions {
  /** The API version (the package version). */
  version: string;
  /** Whether a route sits behind bearer authentication (default: every route under /v1/). */
  authenticated?: (route: RegisteredRoute) => boolean;
  /** Zod schemas published as named components (default: entities, problem, route responses). */
  schemaNames?: SchemaNames;
}

const operationMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const problemDescriptions: Record<keyof typeof standardResponses, string> = {
  400: 'Malformed JSON or invalid query parameters',
  401: 'No credentials, or an unknown, revoked or expired one',
  403: 'The credential lacks the scope this route needs',
  404: 'No such resource',
  422: 'The request body is not valid; `errors` points at each violation',
  429: 'Rate limit exceeded; retry after the number of seconds in Retry-After',
  500: 'An unexpected failure; the detail carries a reference for the logs',
};

/** What a grantable scope allows, for the OAuth2 flow's scope list. */
export function scopeDescription(scope: string): string {
  if (scope === 'admin') return 'Everything, including keys, OAuth clients, dead letters and the audit log';
  if (scope === 'events:manage') return 'Manage event subscriptions';
  const [resource, action] = scope.split(':');
  if (action === '*') return `Read and write ${resource}`;
  return `${action === 'read' ? 'Read' : 'Write'} ${resource}`;
}

/**
 * Builds the OpenAPI 3.1 document of the gateway from its registered routes: the same zod
 * schemas that validate requests describe them. Pure: same routes, same document.
 */
export function buildOpenApiDocument(routes: readonly RegisteredRoute[], options: OpenApiOptions): OpenApiDocument {
  const components = new SchemaComponents(options.schemaNames ?? defaultSchemaNames());
  const authenticated = options.authenticated ?? ((route: RegisteredRoute) => route.url.startsWith('/v1/'));
  const problem = components.convert(ProblemSchema, 'output');
  if (problem.$ref === undefined) components.schemas.Problem = problem;
  const problemRef = problem.$ref === undefined ? { $ref: '#/components/schemas/Problem' } : problem;
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  const operationIds = new Set<string>();
  for (const route of routes) {
    const method = route.method.toLowerCase();
    if (!operationMethods.has(method)) continue;
    const operation = buildOperation(route, { components, authenticated: authenticated(route) });
    let id = operation.operationId;
    for (let n = 2; operationIds.has(id); n += 1) id = `${operation.operationId}${n}`;
    operationIds.add(id);
    operation.operationId = id;
    for (const tag of route.tags ?? []) if (!tags.includes(tag)) tags.push(tag);
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tillbridge API',
      version: options.version,
      description: 'The Tillbridge retail integration hub. Authenticate with `Authorization: Bearer <credential>`: an API key (`tb_…`) or an OAuth2 access token from `POST /oauth/token`. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/', description: 'This hub' }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      responses: problemResponses(problemRef),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`tb_…`, from `POST /v1/keys`) or an OAuth2 access token (from `POST /oauth/token`)',
        },
        oauth2: {
          type: 'oauth2',
          description: 'OAuth2 client credentials (RFC 6749 §4.4); register clients with `POST /v1/oauth/clients`',
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth/token',
              scopes: Object.fromEntries(grantableScopes.map((scope) => [scope, scopeDescription(scope)])),
            },
          },
        },
      },
    },
  };
}

function problemResponses(problem: JsonSchema): Record<string, unknown> {
  const content = { 'application/problem+json': { schema: problem } };
  const integer = { schema: { type: 'integer', minimum: 0 } };
  return Object.fromEntries(
    (Object.entries(standardResponses) as [string, string][]).map(([status, name]) => {
      const key = Number(status) as keyof typeof standardResponses;
      const headers =
        key === 401
          ? { 'WWW-Authenticate': { description: 'The Bearer challenge', schema: { type: 'string' } } }
          : key === 429
            ? { 'Retry-After': { description: 'Seconds until a retry can succeed', ...integer } }
            : undefined;
      return [name, { description: problemDescriptions[key], ...(headers ? { headers } : {}), content }];
    }),
  );
}
