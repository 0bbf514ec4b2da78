import type { Connection } from './connections.js';

/** The vendor API a connection speaks and when that version stops being supported. */
export interface ConnectionApi {
  version: string | null;
  /** ISO 8601, or null when the vendor publishes no end for it. */
  endOfLifeAt: string | null;
  /** Whole days from `now` to the end of life (negative, days since, once past), or null. */
  daysToEndOfLife: number | null;
}

const dayMs = 86_400_000;

/** A connection's API version and end of life as its connector declares them (pure given `now`). */
export function connectionApi(connection: Pick<Connection, 'definition' | 'settings'>, now: number): ConnectionApi {
  const version = connection.definition.apiVersion?.(connection.settings) ?? null;
  const endOfLife = version === null ? null : (connection.definition.apiEndOfLife?.(version) ?? null);
  return {
    version,
    endOfLifeAt: endOfLife === null ? null : new Date(endOfLife).toISOString(),
    daysToEndOfLife: endOfLife === null ? null : Math.trunc((endOfLife - now) / dayMs),
  };
}
