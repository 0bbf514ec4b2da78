import type { z } from 'zod';
import type { RegisteredRoute } from '../route-meta.js';
import type { JsonSchema, SchemaComponents } from './json-schema.js';
import { ProblemSchema } from './problem-schema.js';

/** An OpenAPI 3.1 operation object (the parts Tillbridge fills). */
export type OpenApiOperation = Record<string, unknown> & { operationId: string; responses: Record<string, unknown> };

/** The standard problem responses, by status, as names under components.responses. */
export const standardResponses = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  422: 'UnprocessableContent',
  429: 'TooManyRequests',
  500: 'InternalError',
} as const;

/** A Fastify URL (`/v1/orders/:id`) as an OpenAPI path template (`/v1/orders/{id}`). */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{wildcard}');
}

/** Names of the path parameters of a Fastify URL, in order. */
export function pathParameterNames(url: string): string[] {
  const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  return url.endsWith('*') ? [...names, 'wildcard'] : names;
}

/** A stable, readable operation id: `GET /v1/orders/:id` → `getV1OrdersById`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part === '*' ? 'wildcard' : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return `${method.toLowerCase()}${words.join('')}`;
}

/** How to describe one route: the schema converter and whether the route sits behind authentication. */
export interface OperationContext {
  components: SchemaComponents;
  authenticated: boolean;
}

/** The OpenAPI operation of one registered route, from its meta and zod schemas. */
export function buildOperation(route: RegisteredRoute, ctx: OperationContext): OpenApiOperation {
  const schemas = route.schemas ?? {};
  const operation: OpenApiOperation = {
    operationId: operationIdOf(route.method, route.url),
    summary: route.summary,
    ...(route.tags && route.tags.length > 0 ? { tags: route.tags } : {}),
    'x-required-scope': route.scope,
    responses: {},
  };
  const parameters = [...pathParameters(route, ctx), ...queryParameters(schemas.query, ctx)];
  if (parameters.length > 0) operation.parameters = parameters;
  if (schemas.body) {
    operation.requestBody = {
      required: !schemas.body.safeParse(undefined).success,
      content: { 'application/json': { schema: ctx.components.convert(schemas.body, 'input') } },
    };
  }
  operation.security = securityOf(route, ctx.authenticated);
  operation.responses = responsesOf(route, ctx);
  const lifecycle = route.lifecycle;
  if (lifecycle?.status === 'deprecated') {
    Object.assign(operation, {
      deprecated: true,
      'x-deprecated-at': lifecycle.deprecatedAt,
      'x-sunset': lifecycle.sunset,
      ...(lifecycle.successor ? { 'x-successor': lifecycle.successor } : {}),
    });
  } else if (lifecycle?.status === 'beta') {
    operation['x-status'] = 'beta';
  }
  return operation;
}

function securityOf(route: RegisteredRoute, authenticated: boolean): Record<string, string[]>[] {
  if (route.scope === 'public') return authenticated ? [{ bearerAuth: [] }, { oauth2: [] }] : [];
  return [{ bearerAuth: [route.scope] }, { oauth2: [route.scope] }];
}

function objectProperties(schema: z.ZodType | undefined, ctx: OperationContext): { properties: Record<string, JsonSchema>; required: string[] } {
  if (!schema) return { properties: {}, required: [] };
  const json = ctx.components.resolve(ctx.components.convert(schema, 'input'));
  return {
    properties: (json.properties ?? {}) as Record<string, JsonSchema>,
    required: Array.isArray(json.required) ? (json.required as string[]) : [],
  };
}

function parameter(name: string, location: 'path' | 'query', schema: JsonSchema, required: boolean): Record<string, unknown> {
  const { description, ...rest } = schema;
  return { name, in: location, required, ...(typeof description === 'string' ? { description } : {}), schema: rest };
}

function pathParameters(route: RegisteredRoute, ctx: OperationContext): Record<string, unknown>[] {
  const { properties } = objectProperties(route.schemas?.params, ctx);
  return pathParameterNames(route.url).map((name) => parameter(name, 'path', properties[name] ?? { type: 'string' }, true));
}

function queryParameters(query: z.ZodType | undefined, ctx: OperationContext): Record<string, unknown>[] {
  const { properties, required } = objectProperties(query, ctx);
  return Object.entries(properties).map(([name, schema]) => parameter(name, 'query', schema, required.includes(name)));
}

function responsesOf(route: RegisteredRoute, ctx: OperationContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.schemas?.responses ?? {})) {
    const contentType = response.contentType ?? (response.schema === ProblemSchema ? 'application/problem+json' : 'application/json');
    const schema = response.schema
      ? ctx.components.convert(response.schema, 'output')
      : response.contentType
        ? contentType.startsWith('text/')
          ? { type: 'string' }
          : {}
        : undefined;
    out[status] = { description: response.description, ...(schema && status !== '204' ? { content: { [contentType]: { schema } } } : {}) };
  }
  if (!Object.keys(out).some((status) => status.startsWith('2') || status.startsWith('3'))) {
    out['200'] = { description: 'Success' };
  }
  const standard = (status: keyof typeof standardResponses) => {
    if (!(String(status) in out)) out[status] = { $ref: `#/components/responses/${standardResponses[status]}` };
  };
  if (route.schemas?.query) standard(400);
  if (route.schemas?.body) {
    standard(400);
    standard(422);
  }
  if (ctx.authenticated) standard(401);
  if (route.scope !== 'public') standard(403);
  if (pathParameterNames(route.url).length > 0) standard(404);
  if (ctx.authenticated) standard(429);
  standard(500);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
