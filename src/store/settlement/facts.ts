import type { Selectable } from 'kysely';
import type { ChannelEventsTable, JournalEntriesTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** What settlement matching needs of an order. */
export interface SettlementOrderRow {
  id: string;
  source: string;
  external_id: string;
  number: string | null;
  total: number;
  currency: string;
  status: string;
}

/** A finished payment step of an order's workflow (capture, refund), with the documents it recorded. */
export interface PaymentStepRow {
  order_id: string;
  run_id: string;
  step: string;
  phase: string;
  system: string;
  /** JSON: { documents, output, skipped }. */
  output: string;
}

const orderColumns = ['id', 'source', 'external_id', 'number', 'total', 'currency', 'status'] as const;

/** Orders whose hub id or channel external id is one of `references`. */
export async function findOrdersByReferences(db: Db, references: readonly string[]): Promise<SettlementOrderRow[]> {
  if (references.length === 0) return [];
  const unique = [...new Set(references)];
  return db.selectFrom('orders').select(orderColumns).where((eb) => eb.or([eb('id', 'in', unique), eb('external_id', 'in', unique)])).execute();
}

/** Orders by hub id. */
export async function findSettlementOrders(db: Db, ids: readonly string[]): Promise<SettlementOrderRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('orders').select(orderColumns).where('id', 'in', [...new Set(ids)]).execute();
}

/**
 * Finished workflow steps of orders whose recorded documents name one of `references` (a capture,
 * a PaymentIntent, a refund). The text match is a first cut; callers check the parsed documents.
 */
export async function findPaymentSteps(db: Db, references: readonly string[]): Promise<PaymentStepRow[]> {
  const unique = [...new Set(references)].filter((r) => r.length > 0);
  if (unique.length === 0) return [];
  const rows: PaymentStepRow[] = [];
  for (let start = 0; start < unique.length; start += 100) {
    const chunk = unique.slice(start, start + 100);
    rows.push(
      ...(await db
        .selectFrom('workflow_steps as s')
        .innerJoin('workflow_runs as r', 'r.id', 's.run_id')
        .select(['r.order_id', 's.run_id', 's.step', 's.phase', 's.system', 's.output'])
        .where('s.status', '=', 'done')
        .where('r.order_id', 'is not', null)
        .where('s.output', 'is not', null)
        .where((eb) => eb.or(chunk.map((reference) => eb('s.output', 'like', `%"${reference}"%`))))
        .execute()) as PaymentStepRow[],
    );
  }
  return rows;
}

/** Finished workflow steps of some orders that recorded a capture, a payment or a refund. */
export async function findOrderPaymentSteps(db: Db, orderIds: readonly string[]): Promise<PaymentStepRow[]> {
  const unique = [...new Set(orderIds)];
  if (unique.length === 0) return [];
  return (await db
    .selectFrom('workflow_steps as s')
    .innerJoin('workflow_runs as r', 'r.id', 's.run_id')
    .select(['r.order_id', 's.run_id', 's.step', 's.phase', 's.system', 's.output'])
    .where('s.status', '=', 'done')
    .where('r.order_id', 'in', unique)
    .where((eb) => eb.or([eb('s.output', 'like', '%"capture"%'), eb('s.output', 'like', '%"refund"%'), eb('s.output', 'like', '%"payment"%')]))
    .execute()) as PaymentStepRow[];
}

/** Payment, refund and chargeback events a provider reported about any of `references` (by subject). */
export async function findPaymentEvents(db: Db, references: readonly string[]): Promise<Selectable<ChannelEventsTable>[]> {
  const unique = [...new Set(references)];
  if (unique.length === 0) return [];
  return db.selectFrom('channel_events').selectAll().where('kind', 'in', ['payment', 'refund']).where('subject', 'in', unique).orderBy('received_at').execute();
}

/** Journal entries by key (e.g. `payout:stripe:po_…`). */
export async function findJournalEntriesByKey(db: Db, keys: readonly string[]): Promise<Selectable<JournalEntriesTable>[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('journal_entries').selectAll().where('key', 'in', [...new Set(keys)]).execute();
}
