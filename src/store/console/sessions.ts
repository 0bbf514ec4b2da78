import type { Selectable } from 'kysely';
import type { ConsoleSessionsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A console session as stored. */
export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;

/** Stores a new console session. */
export async function insertConsoleSession(db: Db, row: ConsoleSessionRow): Promise<void> {
  await db.insertInto('console_sessions').values(row).execute();
}

/** The session with this token hash while it has not expired. */
export async function findConsoleSession(db: Db, tokenHash: string, now: number): Promise<ConsoleSessionRow | undefined> {
  return db.selectFrom('console_sessions').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
}

/** Records activity on a session and moves its idle expiry, never past `limit`. */
export async function touchConsoleSession(db: Db, tokenHash: string, now: number, expiresAt: number): Promise<void> {
  await db.updateTable('console_sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}

/** Ends a session; false when there was none. */
export async function deleteConsoleSession(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Removes expired sessions; returns how many. */
export async function purgeExpiredConsoleSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('console_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
