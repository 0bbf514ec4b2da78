import type { Insertable, Kysely, Selectable } from 'kysely';
import type { MessagesTable, Schema } from '../schema.js';

/** A Kysely handle or an open transaction on the store. */
export type Db = Kysely<Schema>;
/** A message row as read back from the store. */
export type MessageRow = Selectable<MessagesTable>;
/** A message row to insert (the outbox side of a transaction). */
export type NewMessageRow = Omit<Insertable<MessagesTable>, 'seq'>;

/** Message statuses as stored. */
export const messageStatus = {
  pending: 'pending',
  leased: 'leased',
  done: 'done',
  dead: 'dead',
} as const;
