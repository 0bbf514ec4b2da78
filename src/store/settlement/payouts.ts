import type { Insertable, Selectable } from 'kysely';
import type { PayoutsTable, SettlementLinesTable, SettlementMatchesTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A payout as stored. */
export type PayoutRow = Selectable<PayoutsTable>;
/** A settlement line as stored. */
export type SettlementLineRow = Selectable<SettlementLinesTable>;
/** A line's match record as stored. */
export type SettlementMatchRow = Selectable<SettlementMatchesTable>;
/** A line's match record to write (attempts and first_seen_at are kept by the store). */
export type NewSettlementMatchRow = Omit<Insertable<SettlementMatchesTable>, 'attempts' | 'first_seen_at'>;

/**
 * Records a payout once per connection and provider reference; a later event of the same payout
 * updates its status, amount and arrival date. Answers the stored row and whether it is new.
 */
export async function upsertPayout(db: Db, row: PayoutRow): Promise<{ payout: PayoutRow; created: boolean }> {
  const inserted = await db.insertInto('payouts').values(row).onConflict((oc) => oc.columns(['connection_id', 'reference']).doNothing()).returning('id').executeTakeFirst();
  if (inserted) return { payout: row, created: true };
  await db
    .updateTable('payouts')
    .set({ status: row.status, amount: row.amount, currency: row.currency, arrival_date: row.arrival_date, updated_at: row.updated_at })
    .where('connection_id', '=', row.connection_id)
    .where('reference', '=', row.reference)
    .execute();
  const payout = await db.selectFrom('payouts').selectAll().where('connection_id', '=', row.connection_id).where('reference', '=', row.reference).executeTakeFirstOrThrow();
  return { payout, created: false };
}

/** One payout by the hub's id. */
export async function getPayout(db: Db, id: string): Promise<PayoutRow | undefined> {
  return db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A connection's payout by its provider reference. */
export async function getPayoutByReference(db: Db, connectionId: string, reference: string): Promise<PayoutRow | undefined> {
  return db.selectFrom('payouts').selectAll().where('connection_id', '=', connectionId).where('reference', '=', reference).executeTakeFirst();
}

/** Payouts with a provider reference (one per connection). */
export async function findPayoutsByReference(db: Db, reference: string): Promise<PayoutRow[]> {
  return db.selectFrom('payouts').selectAll().where('reference', '=', reference).orderBy('created_at').execute();
}

/** Records where a payout's lines stand (missing, fetched, reported) and what keeps it from reconciling. */
export async function setPayoutLinesState(db: Db, id: string, state: { lines_state: string; violations: string | null; updated_at: number }): Promise<void> {
  await db.updateTable('payouts').set(state).where('id', '=', id).execute();
}

/** Newest payouts first, optionally of one status, a page at a time before `before` (created_at, id). */
export async function listPayouts(db: Db, filter: { status?: string | undefined; before?: { createdAt: number; id: string } | undefined; limit: number }): Promise<PayoutRow[]> {
  let query = db.selectFrom('payouts').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.before) {
    const { createdAt, id } = filter.before;
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Replaces a payout's lines (a fetch gives them all at once). */
export async function replaceSettlementLines(db: Db, payoutId: string, lines: SettlementLineRow[]): Promise<void> {
  await db.deleteFrom('settlement_lines').where('payout_id', '=', payoutId).execute();
  await db.deleteFrom('settlement_matches').where('payout_id', '=', payoutId).execute();
  for (let start = 0; start < lines.length; start += 200) await db.insertInto('settlement_lines').values(lines.slice(start, start + 200)).execute();
}

/** A payout's lines in report order. */
export async function listSettlementLines(db: Db, payoutId: string): Promise<SettlementLineRow[]> {
  return db.selectFrom('settlement_lines').selectAll().where('payout_id', '=', payoutId).orderBy('position').execute();
}

/** Some lines by (payout, line) key. */
export async function getSettlementLines(db: Db, keys: readonly { payoutId: string; lineId: string }[]): Promise<SettlementLineRow[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('settlement_lines')
    .selectAll()
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('payout_id', '=', k.payoutId), eb('line_id', '=', k.lineId)]))))
    .execute();
}

/** Writes match records: a new one starts its attempts at 1, a repeated one counts another attempt and keeps when it was first seen. */
export async function saveSettlementMatches(db: Db, rows: readonly NewSettlementMatchRow[], now: number): Promise<void> {
  for (const row of rows) {
    const { payout_id: _payout, line_id: _line, ...changes } = row;
    await db
      .insertInto('settlement_matches')
      .values({ ...row, attempts: 1, first_seen_at: now })
      .onConflict((oc) => oc.columns(['payout_id', 'line_id']).doUpdateSet((eb) => ({ ...changes, attempts: eb('settlement_matches.attempts', '+', 1) })))
      .execute();
  }
}

/** The match records of a payout's lines. */
export async function listSettlementMatches(db: Db, payoutId: string): Promise<SettlementMatchRow[]> {
  return db.selectFrom('settlement_matches').selectAll().where('payout_id', '=', payoutId).execute();
}

/** Matched and unmatched line counts of some payouts. */
export async function countSettlementMatches(db: Db, payoutIds: readonly string[]): Promise<Map<string, { matched: number; unmatched: number }>> {
  const counts = new Map(payoutIds.map((id) => [id, { matched: 0, unmatched: 0 }]));
  if (payoutIds.length === 0) return counts;
  const rows = await db
    .selectFrom('settlement_matches')
    .select(['payout_id', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('payout_id', 'in', [...payoutIds])
    .groupBy(['payout_id', 'status'])
    .execute();
  for (const row of rows) {
    const tally = counts.get(row.payout_id);
    if (tally && (row.status === 'matched' || row.status === 'unmatched')) tally[row.status] = Number(row.n);
  }
  return counts;
}

/** The unmatched queue, oldest first (optionally of one connection), a page at a time after `after` (first_seen_at, payout, line). */
export async function listUnmatchedSettlementLines(
  db: Db,
  filter: { connectionId?: string | undefined; after?: { firstSeenAt: number; payoutId: string; lineId: string } | undefined; limit: number },
): Promise<(SettlementMatchRow & { kind: string; reference: string; gross: number; fee: number; net: number; currency: string; payout_reference: string; provider: string })[]> {
  let query = db
    .selectFrom('settlement_matches as m')
    .innerJoin('settlement_lines as l', (join) => join.onRef('l.payout_id', '=', 'm.payout_id').onRef('l.line_id', '=', 'm.line_id'))
    .innerJoin('payouts as p', 'p.id', 'm.payout_id')
    .selectAll('m')
    .select(['l.kind', 'l.reference', 'l.gross', 'l.fee', 'l.net', 'l.currency', 'p.reference as payout_reference', 'p.provider'])
    .where('m.status', '=', 'unmatched');
  if (filter.connectionId !== undefined) query = query.where('m.connection_id', '=', filter.connectionId);
  if (filter.after) {
    const { firstSeenAt, payoutId, lineId } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('m.first_seen_at', '>', firstSeenAt),
        eb.and([eb('m.first_seen_at', '=', firstSeenAt), eb.or([eb('m.payout_id', '>', payoutId), eb.and([eb('m.payout_id', '=', payoutId), eb('m.line_id', '>', lineId)])])]),
      ]),
    );
  }
  return query.orderBy('m.first_seen_at').orderBy('m.payout_id').orderBy('m.line_id').limit(filter.limit).execute();
}
