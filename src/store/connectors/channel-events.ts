import type { Selectable } from 'kysely';
import type { ChannelEventsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A received canonical event as stored. */
export type ChannelEventRow = Selectable<ChannelEventsTable>;

/** Keeps canonical events a connector received. */
export async function insertChannelEvents(db: Db, rows: ChannelEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('channel_events').values(rows).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Filters for listing received events. */
export interface ChannelEventFilter {
  connectionId?: string | undefined;
  kind?: string | undefined;
  subject?: string | undefined;
  orderId?: string | undefined;
  /** Only events received before this (received_at, id) position: the paging cursor. */
  before?: { receivedAt: number; id: string } | undefined;
  limit: number;
}

/** Received events, newest first. */
export async function listChannelEvents(db: Db, filter: ChannelEventFilter): Promise<ChannelEventRow[]> {
  let query = db.selectFrom('channel_events').selectAll();
  if (filter.connectionId) query = query.where('connection_id', '=', filter.connectionId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.subject) query = query.where('subject', '=', filter.subject);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  if (filter.before) {
    const { receivedAt, id } = filter.before;
    query = query.where((eb) => eb.or([eb('received_at', '<', receivedAt), eb.and([eb('received_at', '=', receivedAt), eb('id', '<', id)])]));
  }
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}
