import { sql, type Selectable } from 'kysely';
import { messageStatus, type Db } from '../messages/types.js';
import type { AlertsTable } from '../schema.js';

/** An alert as stored. */
export type AlertRow = Selectable<AlertsTable>;

/** What an evaluation saw for one alert key. */
export interface AlertSighting {
  id: string;
  key: string;
  kind: string;
  severity: string;
  title: string;
  /** JSON */
  detail: string;
  observer: string | null;
}

/**
 * Opens an alert for the key unless one is open: true when this call opened it (and so must
 * notify). A partial unique index on open keys settles racing evaluators: the loser inserts nothing.
 */
export async function openAlert(db: Db, sighting: AlertSighting, now: number): Promise<boolean> {
  const result = await db
    .insertInto('alerts')
    .values({ ...sighting, status: 'open', count: 1, first_seen_at: now, last_seen_at: now, resolved_at: null })
    .onConflict((oc) => oc.column('key').where(sql.ref('status'), '=', sql.lit('open')).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Notes that an open alert's condition still holds: its latest detail, time and observer. */
export async function touchAlert(db: Db, sighting: AlertSighting, now: number): Promise<void> {
  await db
    .updateTable('alerts')
    .set((eb) => ({ detail: sighting.detail, severity: sighting.severity, title: sighting.title, observer: sighting.observer, last_seen_at: now, count: eb('count', '+', 1) }))
    .where('key', '=', sighting.key)
    .where('status', '=', 'open')
    .execute();
}

/** Resolves an open alert; true when this call resolved it (and so must notify). */
export async function resolveAlert(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('alerts').set({ status: 'resolved', resolved_at: now }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Open alerts, oldest first. */
export async function listOpenAlerts(db: Db): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().where('status', '=', 'open').orderBy('first_seen_at').orderBy('id').execute();
}

/** Alerts newest first, of one status or all. */
export async function listAlerts(db: Db, options: { status?: 'open' | 'resolved' | undefined; limit: number }): Promise<AlertRow[]> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .$if(options.status !== undefined, (qb) => qb.where('status', '=', options.status!))
    .orderBy('first_seen_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

/** Messages that became dead letters since `since` (replayed ones no longer count). */
export async function countDeadLettersSince(db: Db, since: number): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', messageStatus.dead)
    .where('updated_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Open reconciliation drift, counted by kind. */
export async function countOpenDriftByKind(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('reconciliation_drift')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('status', '=', 'open')
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}
