import { sql } from 'kysely';
import type { Db } from '../messages/types.js';

/** One business transaction an SLA measures: when it started and when it was done (null while open). */
export interface SlaFact {
  entity: string;
  startedAt: number;
  doneAt: number | null;
}

/** A time window, epoch ms, both ends inclusive. */
export interface SlaWindow {
  from: number;
  to: number;
}

const doneStepStatuses = ['done', 'skipped'];
const abandonedRunStatuses = ['compensating', 'compensated'];

/**
 * Runs of a workflow started in the window, each with the time its `step` finished forward (done or
 * skipped), or null while it has not. Runs being undone (compensating, compensated) are left out.
 * `startOfOrder` takes the order's placedAt as the start instead of the run's start.
 */
export async function workflowStepFacts(db: Db, options: { workflow: string; step: string; window: SlaWindow; startOfOrder?: boolean }): Promise<SlaFact[]> {
  const rows = await db
    .selectFrom('workflow_runs as r')
    .leftJoin('workflow_steps as s', (join) => join.onRef('s.run_id', '=', 'r.id').on('s.phase', '=', 'forward').on('s.step', '=', options.step))
    .leftJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.id as run_id', 'r.order_id', 'r.key', 'r.started_at', 's.status as step_status', 's.finished_at', 'o.placed_at', 'o.number'])
    .where('r.workflow', '=', options.workflow)
    .where('r.started_at', '>=', options.window.from)
    .where('r.started_at', '<=', options.window.to)
    .where('r.status', 'not in', abandonedRunStatuses)
    .execute();
  return rows.map((row) => {
    const placed = options.startOfOrder && row.placed_at ? Date.parse(row.placed_at) : Number.NaN;
    const startedAt = Number.isFinite(placed) ? placed : Number(row.started_at);
    const done = row.step_status !== null && doneStepStatuses.includes(row.step_status) && row.finished_at !== null;
    return { entity: row.order_id ?? row.key, startedAt, doneAt: done ? Number(row.finished_at) : null };
  });
}

/**
 * Approved products changed in the window and whether every channel publication of theirs shows
 * that version: done at the latest publication time. Products without any publication (no
 * channel) are left out; unpublished and deleted listings do not count.
 */
export async function productPublicationFacts(db: Db, window: SlaWindow): Promise<SlaFact[]> {
  const products = await db
    .selectFrom('products')
    .select(['sku', 'version', 'updated_at'])
    .where('updated_at', '>=', window.from)
    .where('updated_at', '<=', window.to)
    .where('status', '=', 'approved')
    .execute();
  const facts: SlaFact[] = [];
  for (let i = 0; i < products.length; i += 500) {
    const chunk = products.slice(i, i + 500);
    const publications = await db
      .selectFrom('product_publications')
      .select(['sku', 'status', 'published_version', 'published_at'])
      .where('sku', 'in', chunk.map((p) => p.sku))
      .where('status', 'not in', ['unpublished', 'deleted'])
      .execute();
    const bySku = new Map<string, typeof publications>();
    for (const p of publications) bySku.set(p.sku, [...(bySku.get(p.sku) ?? []), p]);
    for (const product of chunk) {
      const listed = bySku.get(product.sku);
      if (!listed || listed.length === 0) continue;
      const version = Number(product.version);
      const current = listed.every((p) => p.status === 'published' && p.published_version !== null && Number(p.published_version) >= version && p.published_at !== null);
      const doneAt = current ? Math.max(...listed.map((p) => Number(p.published_at))) : null;
      facts.push({ entity: product.sku, startedAt: Number(product.updated_at), doneAt });
    }
  }
  return facts;
}

/**
 * Paid payouts (their last change, when they became paid, in the window) and when their journal
 * entry (`payout:<provider>:<reference>`) was posted to the ERP. Payouts whose entry is not to be
 * posted (no ERP configured) are left out.
 */
export async function settlementPostingFacts(db: Db, window: SlaWindow): Promise<SlaFact[]> {
  const rows = await db
    .selectFrom('payouts as p')
    .leftJoin('journal_entries as j', (join) => join.on('j.key', '=', sql<string>`'payout:' || p.provider || ':' || p.reference`))
    .select(['p.connection_id', 'p.reference', 'p.updated_at', 'j.status as entry_status', 'j.posted_at'])
    .where('p.status', '=', 'paid')
    .where('p.updated_at', '>=', window.from)
    .where('p.updated_at', '<=', window.to)
    .execute();
  return rows
    .filter((row) => row.entry_status !== 'not-posted')
    .map((row) => ({
      entity: `${row.connection_id}:${row.reference}`,
      startedAt: Number(row.updated_at),
      doneAt: row.entry_status === 'posted' && row.posted_at !== null ? Number(row.posted_at) : null,
    }));
}
