import type { Selectable } from 'kysely';
import type { LocationsTable } from '../schema.js';
import type { Db } from '../messages/types.js';

/** A stock location as stored. */
export type LocationRow = Selectable<LocationsTable>;

/** Records locations (insert or refresh their name and origin). */
export async function upsertLocations(db: Db, rows: LocationRow[]): Promise<void> {
  for (const row of rows) {
    await db
      .insertInto('locations')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, source: row.source, connection_id: row.connection_id, updated_at: row.updated_at }))
      .execute();
  }
}

/** Records a location first seen in a stock report, keeping what is known of it already. */
export async function noteLocation(db: Db, row: LocationRow): Promise<void> {
  await db.insertInto('locations').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Every known location, by id. */
export async function listLocations(db: Db): Promise<LocationRow[]> {
  return db.selectFrom('locations').selectAll().orderBy('id').execute();
}
