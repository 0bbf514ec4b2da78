import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, MessageRow } from './types.js';

/** What the console searches messages by; all optional, combined with AND. */
export interface MessageSearch {
  /** A message id, correlation id, subject, ordering key, order number (`#1001`), order id or SKU. */
  q?: string | undefined;
  status?: string | undefined;
  type?: string | undefined;
  /** Keeps only rows whose type passes (for filters derived from the type, such as the flow); applied after the indexed scan. */
  typeFilter?: ((type: string) => boolean) | undefined;
}

/** A page of a message search: the rows and the cursor (sequence number) to continue before, or null. */
export interface MessageSearchPage {
  rows: MessageRow[];
  next: number | null;
}

/** Orders a SKU search follows at most (the newest ones), so a best-selling SKU stays a bounded lookup. */
const maxOrdersPerSku = 200;

/**
 * The correlation ids of the orders `q` names: by order id, order number (with or without `#`) or
 * a SKU on one of its lines. Every lookup is by an indexed column.
 */
export async function correlationIdsForQuery(db: Db, q: string): Promise<string[]> {
  const number = q.startsWith('#') ? q.slice(1) : q;
  const byOrder = await db
    .selectFrom('orders')
    .select('correlation_id')
    .where((eb) => eb.or([eb('id', '=', q), eb('number', '=', number), eb('number', '=', `#${number}`)]))
    .limit(maxOrdersPerSku)
    .execute();
  const bySku = await db
    .selectFrom('order_line_quantities as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select('o.correlation_id')
    .distinct()
    .where('l.sku', '=', q)
    .orderBy('o.correlation_id')
    .limit(maxOrdersPerSku)
    .execute();
  return [...new Set([...byOrder, ...bySku].map((r) => r.correlation_id))];
}

/**
 * Messages newest first matching a search, paging by sequence number (`before` is exclusive).
 * `q` is resolved to indexed equality lookups only (id, correlation id, subject, ordering key and
 * the correlation ids of the orders it names). With a `typeFilter`, at most `scanLimit` rows are
 * read per call, so a page may hold fewer than `limit` rows and still have a next cursor.
 */
export async function searchMessages(
  db: Db,
  search: MessageSearch,
  page: { limit: number; before?: number | undefined; scanLimit?: number | undefined },
): Promise<MessageSearchPage> {
  const q = search.q?.trim();
  const correlationIds = q ? await correlationIdsForQuery(db, q) : [];
  const batch = search.typeFilter ? Math.max(page.limit, Math.min(page.scanLimit ?? 2000, page.limit * 20)) : page.limit + 1;
  let query = db.selectFrom('messages').selectAll();
  if (q) {
    query = query.where((eb) => {
      const terms: Expression<SqlBool>[] = [
        eb('id', '=', q),
        eb('correlation_id', '=', q),
        eb('subject', '=', q),
        eb('ordering_key', '=', q),
      ];
      if (correlationIds.length > 0) terms.push(eb('correlation_id', 'in', correlationIds));
      return eb.or(terms);
    });
  }
  if (search.status) {
    // With q, the q lookups are the selective ones: `status || ''` keeps SQLite from scanning the status index instead.
    query = q ? query.where(sql<string>`${sql.ref('status')} || ''`, '=', search.status) : query.where('status', '=', search.status);
  }
  if (search.type) query = query.where('type', '=', search.type);
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  const rows = await query.orderBy('seq', 'desc').limit(batch).execute();
  if (!search.typeFilter) {
    const shown = rows.slice(0, page.limit);
    return { rows: shown, next: rows.length > page.limit ? (shown.at(-1)?.seq ?? null) : null };
  }
  const matched: MessageRow[] = [];
  let lastScanned: number | null = null;
  for (const row of rows) {
    lastScanned = row.seq;
    if (!search.typeFilter(row.type)) continue;
    matched.push(row);
    if (matched.length === page.limit) break;
  }
  const exhausted = rows.length < batch && lastScanned === (rows.at(-1)?.seq ?? null);
  return { rows: matched, next: exhausted ? null : lastScanned };
}

/** One message by id, or undefined. */
export async function getMessageRow(db: Db, id: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The messages a message caused, oldest first, at most `limit`: found among its correlation's messages (indexed), by causation id. */
export async function listCausedMessages(db: Db, cause: { id: string; correlationId: string }, limit: number): Promise<MessageRow[]> {
  return db.selectFrom('messages').selectAll().where('correlation_id', '=', cause.correlationId).where('causation_id', '=', cause.id).orderBy('seq').limit(limit).execute();
}

/** The order whose correlation id this is, if any. */
export async function findOrderByCorrelationId(db: Db, correlationId: string): Promise<{ id: string; number: string | null; status: string } | undefined> {
  return db.selectFrom('orders').select(['id', 'number', 'status']).where('correlation_id', '=', correlationId).orderBy('created_at').limit(1).executeTakeFirst();
}
