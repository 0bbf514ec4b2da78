import type { DriftRow, ReconciliationRunRow } from '../../store/index.js';
import type { DriftSeverity, ReconciliationScope } from './drift.js';
import type { StoredDrift } from './ports.js';

/** What one check of a run did. */
export interface CheckSummary {
  name: string;
  scope: ReconciliationScope;
  drift: number;
  ms: number;
  error?: string | undefined;
  /** Why nothing was compared, e.g. no connection offers the scope. */
  note?: string | undefined;
}

/** A drift as the API shows it. */
export interface DriftView {
  id: string;
  runId: string;
  scope: ReconciliationScope;
  kind: string;
  entity: string;
  systems: string[];
  expected: unknown;
  actual: unknown;
  severity: DriftSeverity;
  correction: string | null;
  status: 'open' | 'resolved' | 'dismissed' | 'failed' | 'superseded';
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  foundAt: string;
}

/** A run as the API shows it. */
export interface RunView {
  id: string;
  scope: ReconciliationScope[];
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  trigger: string;
  requestedBy: string | null;
  window: { from: string; to: string };
  checks: CheckSummary[];
  driftCount: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** A stored run as the API shows it. */
export function runView(row: ReconciliationRunRow): RunView {
  return {
    id: row.id,
    scope: JSON.parse(row.scope) as ReconciliationScope[],
    status: row.status as RunView['status'],
    trigger: row.trigger,
    requestedBy: row.requested_by,
    window: { from: iso(row.window_from)!, to: iso(row.window_to)! },
    checks: (json(row.checks) ?? []) as CheckSummary[],
    driftCount: Number(row.drift_count),
    error: row.error,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

/** What a stored drift says, as a check found it. */
function foundOf(row: DriftRow) {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind,
    entity: row.entity,
    systems: JSON.parse(row.systems) as string[],
    expected: json(row.expected),
    actual: json(row.actual),
    severity: row.severity as DriftSeverity,
  };
}

/** A stored drift as the API shows it. */
export function driftView(row: DriftRow): DriftView {
  return {
    ...foundOf(row),
    scope: row.scope as ReconciliationScope,
    correction: row.correction,
    status: row.status as DriftView['status'],
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    resolvedAt: iso(row.resolved_at),
    foundAt: iso(row.created_at)!,
  };
}

/** A stored drift as its correction gets it. */
export function storedDrift(row: DriftRow): StoredDrift {
  const detail = json(row.detail) as Record<string, unknown> | null;
  return { ...foundOf(row), correction: row.correction ?? undefined, detail: detail ?? undefined };
}
