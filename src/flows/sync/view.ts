import type { SyncJobRow } from '../../store/index.js';
import type { SyncKind } from './ports.js';

/** A sync job as the API shows it. */
export interface SyncJobView {
  id: string;
  kind: SyncKind;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Items listed so far (grows as pages are read; final once the job has ended). */
  total: number;
  done: number;
  failed: number;
  error: string | null;
  connections: string[] | null;
  requestedBy: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

/** A stored job as the API shows it. */
export function syncJobView(row: SyncJobRow): SyncJobView {
  return {
    id: row.id,
    kind: row.kind as SyncKind,
    status: row.status as SyncJobView['status'],
    total: Number(row.total),
    done: Number(row.done),
    failed: Number(row.failed),
    error: row.error,
    connections: row.connections ? (JSON.parse(row.connections) as string[]) : null,
    requestedBy: row.requested_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
  };
}
