import type { Insertable, Selectable } from 'kysely';
import type { OrderTimelineTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A timeline entry as stored. */
export type TimelineRow = Selectable<OrderTimelineTable>;
/** A timeline entry to insert. */
export type NewTimelineRow = Omit<Insertable<OrderTimelineTable>, 'seq'>;

/** Appends entries to orders' timelines. */
export async function appendTimeline(db: Db, rows: NewTimelineRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('order_timeline').values(rows).execute();
}

/** An order's timeline, oldest first. */
export async function getTimeline(db: Db, orderId: string): Promise<TimelineRow[]> {
  return db.selectFrom('order_timeline').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
}
