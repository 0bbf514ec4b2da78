import { z } from 'zod';
import { orderStatuses } from '../../flows/index.js';
import { ConnectionId, Order } from '../../model/index.js';
import { grantableScopes } from '../access/scopes.js';

/** A page of a cursor-paged list: `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** `limit` and `cursor` of every cursor-paged list. */
export const PageQuery = z.object({
  limit: z.string().regex(/^\d+$/).meta({ description: 'Page size, 1 to 500 (default 50)' }).optional(),
  cursor: z.string().meta({ description: 'The nextCursor of the previous page' }).optional(),
});

/** Filters of `GET /v1/orders` (the handler checks the same rules). */
export const OrderListQuery = PageQuery.extend({ source: ConnectionId.optional(), status: z.enum([...orderStatuses, 'stuck']).optional(), number: z.string().min(1).max(100).optional().meta({ description: 'The order number as the channel shows it (`1001` also finds `#1001`)' }) });

const timestamp = z.iso.datetime({ offset: true });

/** 201 body of `POST /v1/orders`: the order is durably stored and will be processed. */
export const OrderAcceptedResponse = z.object({
  id: z.string(),
  status: z.literal('accepted'),
  source: z.string(),
  externalId: z.string(),
  correlationId: z.string(),
});

/** 200 body of `POST /v1/orders` when the same order was already stored. */
export const OrderDuplicateResponse = z.object({
  id: z.string(),
  status: z.enum(orderStatuses),
  source: z.string(),
  externalId: z.string(),
  duplicate: z.literal(true),
});

/** An order as the API shows it: the canonical order plus hub-side fields. */
export const OrderView = Order.extend({
  id: z.string(),
  status: z.enum(orderStatuses),
  holdReason: z.string().optional(),
  correlationId: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** One step in an order's life, as its timeline shows it. */
export const OrderTimelineEntry = z.object({
  at: timestamp,
  event: z.string(),
  system: z.string(),
  detail: z.unknown().optional(),
  correlationId: z.string(),
  messageId: z.string().optional(),
});

/** One step of a workflow run: the system it talked to, the documents it created, its attempts. */
export const WorkflowStepView = z.object({
  name: z.string(),
  phase: z.enum(['forward', 'compensate']),
  status: z.enum(['done', 'skipped', 'retrying', 'failed']),
  system: z.string(),
  documents: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  attempts: z.int(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  error: z.string().optional(),
  messageId: z.string().optional(),
  correlationId: z.string(),
});

/** One workflow run of an order (placement, a shipment, a cancellation, completion, a return). */
export const WorkflowRunView = z.object({
  id: z.string(),
  workflow: z.string(),
  key: z.string(),
  status: z.enum(['running', 'waiting', 'completed', 'compensating', 'compensated']),
  step: z.string().nullable(),
  correlationId: z.string(),
  startedAt: timestamp,
  updatedAt: timestamp,
  stepDeadline: timestamp.optional(),
  error: z.string().optional(),
  steps: z.array(WorkflowStepView),
});

const Documents = z.record(z.string(), z.unknown());

/** A return of an order (from its `order-return` run). */
export const OrderReturnView = z.object({ id: z.string(), status: z.string(), mode: z.enum(['refund', 'return-then-refund', 'exchange']), lines: z.array(z.unknown()), documents: Documents, createdAt: timestamp.nullable() });

/** A refund of an order (from its `order-refund` run): by the hub through the provider, or reflected from the channel. */
export const OrderRefundView = z.object({
  id: z.string(),
  status: z.string(),
  source: z.enum(['return', 'channel']),
  mode: z.string(),
  amount: z.int().nullable(),
  lines: z.array(z.unknown()),
  documents: Documents,
  createdAt: timestamp.nullable(),
});

/** `GET /v1/orders/{id}`: the order with its timeline, workflow runs, returns, refunds and per-line progress. */
export const OrderDetail = OrderView.extend({ timeline: z.array(OrderTimelineEntry), workflows: z.array(WorkflowRunView), returns: z.array(OrderReturnView), refunds: z.array(OrderRefundView) });

/** A dead letter (or any message, with its history when read one at a time). */
export const DeadLetterView = z.object({
  id: z.string(),
  type: z.string(),
  subject: z.string().nullable(),
  source: z.string(),
  lane: z.string(),
  orderingKey: z.string().nullable(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  lastError: z.unknown(),
  attempts: z.number().int(),
  deadAt: timestamp,
  createdAt: timestamp,
  payload: z.unknown(),
  history: z
    .array(
      z.object({
        attempt: z.number().int(),
        at: timestamp,
        outcome: z.string(),
        errorCode: z.string().nullable(),
        errorMessage: z.string().nullable(),
        worker: z.string().nullable(),
      }),
    )
    .optional(),
  replays: z.array(z.object({ at: timestamp, actor: z.string(), note: z.string().nullable() })).optional(),
});

/** 202 body of a replay: the ids of the messages put back in the outbox. */
export const ReplayResponse = z.object({ replayed: z.array(z.string()), count: z.number().int().optional() });

const RateLimitView = z.object({ limit: z.number().int(), windowSeconds: z.number().int() });

/** An API key as the API lists it: never the key itself. */
export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(grantableScopes)),
  rateLimit: RateLimitView.nullable(),
  createdAt: timestamp,
  createdBy: z.string(),
  revokedAt: timestamp.nullable(),
});

/** 201 body of `POST /v1/keys`: the key view plus the secret, shown this once. */
export const CreatedApiKey = ApiKeyView.extend({ key: z.string().meta({ description: 'The API key (tb_…); shown once, store it now' }) });

/** An OAuth2 client as the API lists it: never its secret. */
export const OAuthClientView = z.object({
  clientId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(grantableScopes)),
  rateLimit: RateLimitView.nullable(),
  createdAt: timestamp,
  createdBy: z.string(),
  deletedAt: timestamp.nullable(),
});

/** 201 body of `POST /v1/oauth/clients`: the client plus its secret, shown this once. */
export const CreatedOAuthClient = OAuthClientView.extend({ clientSecret: z.string().meta({ description: 'Shown once, store it now' }) });

/** 201 body of a signing key rotation: the new key and the kids retired by it. */
export const RotatedSigningKey = z.object({
  kid: z.string(),
  alg: z.string(),
  createdAt: timestamp,
  retiredAt: timestamp.nullable(),
  retired: z.array(z.string()),
});

/** One audit log entry: who did what to which resource, when, with before and after. */
export const AuditEntry = z.object({
  at: timestamp,
  actor: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});

/** One route as `GET /v1/meta/api` lists it. */
export const ApiRouteView = z.object({
  method: z.string(),
  path: z.string(),
  summary: z.string(),
  scope: z.string(),
  version: z.string(),
  status: z.enum(['stable', 'beta', 'deprecated']),
  deprecatedAt: z.string().optional(),
  sunset: z.string().optional(),
  successor: z.string().optional(),
});

/** `GET /v1/meta/api`: every route with its lifecycle. */
export const ApiRouteList = z.object({ data: z.array(ApiRouteView) });

/** `GET /health` and `GET /ready`. */
export const HealthStatus = z.object({ status: z.enum(['ok', 'ready', 'unavailable']) });

/** `GET /v1/orders`: a page of orders, newest first. */
export const OrderPage = pageOf(OrderView);

/** `GET /v1/dead-letters`: a page of dead letters, oldest first. */
export const DeadLetterPage = pageOf(DeadLetterView);

/** `GET /v1/audit`: a page of audit entries, newest first. */
export const AuditPage = pageOf(AuditEntry);

/** `GET /v1/keys`: every API key, without secrets. */
export const ApiKeyList = z.object({ data: z.array(ApiKeyView) });

/** `GET /v1/oauth/clients`: every OAuth2 client, without secrets. */
export const OAuthClientList = z.object({ data: z.array(OAuthClientView) });
