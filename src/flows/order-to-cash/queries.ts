import { getOrderRow, getTimeline, listOrderRows, type Db, type OrderRow } from '../../store/index.js';

/** An order as the API shows it: the canonical order plus hub-side fields. */
export function presentOrder(row: OrderRow): Record<string, unknown> {
  return {
    id: row.id,
    ...JSON.parse(row.data),
    status: row.status,
    ...(row.hold_reason ? { holdReason: row.hold_reason } : {}),
    correlationId: row.correlation_id,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** One order with its timeline, or undefined. */
export async function getOrderWithTimeline(db: Db, id: string): Promise<Record<string, unknown> | undefined> {
  const row = await getOrderRow(db, id);
  if (!row) return undefined;
  const timeline = await getTimeline(db, id);
  return {
    ...presentOrder(row),
    timeline: timeline.map((t) => ({
      at: new Date(t.at).toISOString(),
      event: t.event,
      system: t.system,
      ...(t.detail ? { detail: JSON.parse(t.detail) } : {}),
      correlationId: t.correlation_id,
      ...(t.message_id ? { messageId: t.message_id } : {}),
    })),
  };
}

/** Encodes a page position as an opaque cursor. */
export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; undefined when it is not one. */
export function decodeCursor<T extends string | number>(cursor: string, kind: 'string' | 'number'): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof value === kind ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** A page of orders, newest first, and the cursor of the next page. */
export async function listOrders(
  db: Db,
  filter: { source?: string | undefined; status?: string | undefined; limit: number; after?: string | undefined },
): Promise<{ data: Record<string, unknown>[]; nextCursor: string | null }> {
  const rows = await listOrderRows(db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    data: page.map(presentOrder),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
  };
}
