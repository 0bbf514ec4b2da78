import { listAlerts, type AlertRow, type Db } from '../../store/index.js';
import type { AlertKind } from './conditions.js';

/** An alert as the API and events show it. */
export interface AlertView {
  id: string;
  key: string;
  kind: AlertKind;
  severity: 'warning' | 'critical';
  title: string;
  detail: Record<string, unknown>;
  status: 'open' | 'resolved';
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

/** Presents a stored alert. */
export function presentAlert(row: AlertRow): AlertView {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind as AlertKind,
    severity: row.severity as AlertView['severity'],
    title: row.title,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    status: row.status as AlertView['status'],
    count: Number(row.count),
    firstSeenAt: new Date(Number(row.first_seen_at)).toISOString(),
    lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
    resolvedAt: row.resolved_at === null ? null : new Date(Number(row.resolved_at)).toISOString(),
  };
}

/** Alerts of one status (or all), newest first, presented. */
export async function listAlertViews(db: Db, status: 'open' | 'resolved' | 'all', limit = 500): Promise<AlertView[]> {
  return (await listAlerts(db, { status: status === 'all' ? undefined : status, limit })).map(presentAlert);
}
