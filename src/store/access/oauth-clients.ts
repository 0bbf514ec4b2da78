import type { Selectable } from 'kysely';
import type { OAuthClientsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** An OAuth client row as stored (the secret itself is never stored, only its SHA-256). */
export type OAuthClientRow = Selectable<OAuthClientsTable>;

/** Stores a new OAuth client. */
export async function insertOAuthClient(db: Db, row: OAuthClientRow): Promise<void> {
  await db.insertInto('oauth_clients').values(row).execute();
}

/** One client by id (deleted or not). */
export async function getOAuthClient(db: Db, id: string): Promise<OAuthClientRow | undefined> {
  return db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The client with this id unless it was deleted. */
export async function findActiveOAuthClient(db: Db, id: string): Promise<OAuthClientRow | undefined> {
  return db.selectFrom('oauth_clients').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Every client, newest first; deleted ones only when asked. */
export async function listOAuthClients(db: Db, options: { includeDeleted?: boolean } = {}): Promise<OAuthClientRow[]> {
  let q = db.selectFrom('oauth_clients').selectAll();
  if (!options.includeDeleted) q = q.where('deleted_at', 'is', null);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Marks a client deleted; false when it does not exist or was already deleted. */
export async function deleteOAuthClient(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('oauth_clients').set({ deleted_at: now }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
