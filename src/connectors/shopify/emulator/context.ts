import type { JsonObject } from './support.js';

/** How one webhook is delivered (the `/_sandbox/orders` query options). */
export interface Delivery {
  /** false: the change happens but no webhook is sent (a missed webhook). */
  send?: boolean;
  duplicate?: boolean;
  delayMs?: number;
}

/** What every part of the emulated shop shares: the clock, the id sequence, the shop and the webhook outlet. */
export interface ShopContext {
  now(): number;
  /** A fresh numeric id (text), unique across resources like Shopify's. */
  nextId(): string;
  shop: {
    id: string;
    name: string;
    domain: string;
    currency: string;
    locationId: string;
    locationName: string;
    apiVersion: string;
  };
  /** Sends a webhook of `topic` with this REST-shaped payload (serialised now, so later changes do not leak in). */
  emit(topic: string, payload: JsonObject, delivery?: Delivery): void;
}

/** An opaque connection cursor for position `index`. */
export function cursorAt(index: number): string {
  return Buffer.from(JSON.stringify({ last_index: index })).toString('base64url');
}

function indexOf(cursor: unknown): number | undefined {
  if (typeof cursor !== 'string') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { last_index?: unknown };
    return typeof parsed.last_index === 'number' ? parsed.last_index : undefined;
  } catch {
    return undefined;
  }
}

/** A GraphQL connection (nodes, edges, pageInfo) over a list, paged by first/after or last/before. */
export function connection<T>(items: readonly T[], args: Record<string, unknown>): JsonObject {
  const after = indexOf(args['after']);
  const before = indexOf(args['before']);
  let start = after === undefined ? 0 : after + 1;
  let end = before === undefined ? items.length : Math.min(before, items.length);
  const first = typeof args['first'] === 'number' ? args['first'] : undefined;
  const last = typeof args['last'] === 'number' ? args['last'] : undefined;
  const hasNextPage = first !== undefined && end - start > first;
  if (first !== undefined) end = Math.min(end, start + first);
  const hasPreviousPage = (last !== undefined && end - start > last) || start > 0;
  if (last !== undefined) start = Math.max(start, end - last);
  const slice = items.slice(start, end);
  return {
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: cursorAt(start + i) })),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: slice.length > 0 ? cursorAt(start) : null,
      endCursor: slice.length > 0 ? cursorAt(end - 1) : null,
    },
  };
}
