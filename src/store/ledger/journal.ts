import type { Insertable, Selectable } from 'kysely';
import type { JournalEntriesTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A journal entry as stored. */
export type JournalEntryRow = Selectable<JournalEntriesTable>;
/** A journal entry to record. */
export type NewJournalEntryRow = Insertable<JournalEntriesTable>;

/** Records entries once per key, 100 rows per statement; answers the keys inserted (an entry whose key exists already is a repeat of the same event). */
export async function insertJournalEntries(db: Db, rows: readonly NewJournalEntryRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let start = 0; start < rows.length; start += 100) {
    const keys = await db.insertInto('journal_entries').values(rows.slice(start, start + 100)).onConflict((oc) => oc.column('key').doNothing()).returning('key').execute();
    for (const { key } of keys) inserted.add(key);
  }
  return inserted;
}

/** One entry. */
export async function getJournalEntry(db: Db, id: string): Promise<JournalEntryRow | undefined> {
  return db.selectFrom('journal_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The entry recorded under a key (one per business event). */
export async function getJournalEntryByKey(db: Db, key: string): Promise<JournalEntryRow | undefined> {
  return db.selectFrom('journal_entries').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Records where an entry went in the ERP (or why it did not). */
export async function setJournalPosting(db: Db, id: string, posting: { status: string; erp_connection: string | null; erp_documents: string | null; error: string | null; posted_at: number | null }): Promise<void> {
  await db.updateTable('journal_entries').set(posting).where('id', '=', id).execute();
}

/** Entries by order, correlation id and date range (dates inclusive, YYYY-MM-DD), oldest first, a page at a time after `after` (date, id). */
export async function listJournalEntries(
  db: Db,
  filter: { orderId?: string | undefined; correlationId?: string | undefined; from?: string | undefined; to?: string | undefined },
  page: { limit: number; after?: { date: string; id: string } | undefined },
): Promise<JournalEntryRow[]> {
  let query = db.selectFrom('journal_entries').selectAll();
  if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
  if (filter.correlationId !== undefined) query = query.where('correlation_id', '=', filter.correlationId);
  if (filter.from !== undefined) query = query.where('date', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('date', '<=', filter.to);
  if (page.after) {
    const { date, id } = page.after;
    query = query.where((eb) => eb.or([eb('date', '>', date), eb.and([eb('date', '=', date), eb('id', '>', id)])]));
  }
  return query.orderBy('date').orderBy('id').limit(page.limit).execute();
}
