import type { ZodType } from 'zod';
import type { RequiredScope } from './access/scopes.js';
import type { RouteRateLimit } from './rate-limit/policy.js';

/** Where a route is in its life: stable, beta, or deprecated with a sunset date and successor. */
export type RouteLifecycle =
  | { status: 'stable' | 'beta' }
  | { status: 'deprecated'; deprecatedAt: string; sunset: string; successor?: string };

/** Request and response shapes of a route, as the zod schemas that validate them. */
export interface RouteSchemas {
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  responses?: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
}

/** What every route declares (Fastify route `config`): who may call it and where it is in its life. */
export interface RouteMeta {
  /** The scope a caller needs; `public` routes need no credentials (health, metrics, docs, OAuth token). */
  scope: RequiredScope | 'public';
  summary: string;
  tags?: string[];
  lifecycle?: RouteLifecycle;
  version?: string;
  schemas?: RouteSchemas;
  /** Rate-limit override: a cost in the caller's bucket (default 1), or a bucket of its own per caller. */
  rateLimit?: RouteRateLimit;
}

/** A registered route with its metadata, as the route registry lists it. */
export interface RegisteredRoute extends RouteMeta {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    meta?: RouteMeta;
  }
}

/** Collects every route registered on the gateway, with its metadata. */
export class RouteRegistry {
  readonly routes: RegisteredRoute[] = [];

  add(method: string | string[], url: string, meta: RouteMeta | undefined): void {
    if (!meta) return;
    for (const m of Array.isArray(method) ? method : [method]) {
      if (m === 'HEAD') continue;
      this.routes.push({ ...meta, method: m, url, lifecycle: meta.lifecycle ?? { status: 'stable' }, version: meta.version ?? versionOf(url) });
    }
  }
}

function versionOf(url: string): string {
  return /^\/(v\d+)\//.exec(url)?.[1] ?? 'unversioned';
}
