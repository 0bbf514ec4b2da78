import type { Db } from './types.js';

/** A message row for console query tests, with only the fields they vary. */
export interface TestMessage {
  id: string;
  type: string;
  correlationId: string;
  causationId?: string;
  subject?: string;
  orderingKey?: string;
  status: string;
  createdAt: number;
  updatedAt: number;
}

/** An order with its line SKUs, for console query tests. */
export interface TestOrder {
  id: string;
  number: string;
  correlationId: string;
  status: string;
  skus: string[];
}

/** Inserts messages (payload `{"n": i + 1}` in list order) and orders with their lines, as the console queries read them. */
export async function enqueueTestRows(db: Db, messages: TestMessage[], orders: TestOrder[]): Promise<void> {
  await db
    .insertInto('messages')
    .values(
      messages.map((m, i) => ({
        id: m.id,
        type: m.type,
        source: 'test',
        subject: m.subject ?? null,
        time: m.createdAt,
        schema_version: 1,
        data: JSON.stringify({ n: i + 1 }),
        correlation_id: m.correlationId,
        causation_id: m.causationId ?? null,
        traceparent: null,
        lane: 'standard',
        ordering_key: m.orderingKey ?? null,
        status: m.status,
        attempts: m.status === 'pending' ? 0 : 1,
        available_at: m.createdAt,
        lease_owner: null,
        lease_expires_at: null,
        last_error: null,
        dead_reason: m.status === 'dead' ? 'invalid_sku: no such SKU' : null,
        created_at: m.createdAt,
        updated_at: m.updatedAt,
      })),
    )
    .execute();
  for (const o of orders) {
    await db
      .insertInto('orders')
      .values({
        id: o.id,
        source: 'shop',
        external_id: o.id,
        number: o.number,
        status: o.status,
        hold_reason: o.status === 'on_hold' ? 'manual' : null,
        currency: 'EUR',
        total: 1000,
        placed_at: '2026-09-21T10:00:00Z',
        body_hash: 'h',
        data: '{}',
        correlation_id: o.correlationId,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await db
      .insertInto('order_line_quantities')
      .values(o.skus.map((sku, i) => ({ order_id: o.id, line_id: `l${i}`, sku, ordered: 1, shipped: 0, cancelled: 0, returned: 0, updated_at: 1 })))
      .execute();
  }
}
