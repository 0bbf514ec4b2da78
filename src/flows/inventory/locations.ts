import type { InventoryConfig } from './config.js';

/** Where a system's stock report belongs: a hub location, or the channel's own view of what it sells. */
export type ReportPlace = { kind: 'location'; locationId: string } | { kind: 'channel'; connectionId: string };

/**
 * Maps a system's location id to a hub location: a configured location by id or alias (plain, or
 * `<connection>:<id>`); a channel's report for a place that is no hub location is the channel's
 * own view of availability; anything else is a location of its own, known by that id.
 */
export function placeOfReport(config: InventoryConfig, connectionId: string, locationId: string): ReportPlace {
  const scoped = `${connectionId}:${locationId}`;
  const configured = config.locations.find((l) => l.id === locationId || l.aliases.includes(locationId) || l.aliases.includes(scoped));
  if (configured) return { kind: 'location', locationId: configured.id };
  if (config.channels.some((c) => c.connection === connectionId)) return { kind: 'channel', connectionId };
  return { kind: 'location', locationId };
}
