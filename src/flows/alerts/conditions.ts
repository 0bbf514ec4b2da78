import { countDeadLettersSince, countOpenDriftByKind, type Db } from '../../store/index.js';
import type { BusinessSlas } from '../slas/index.js';

/** The kinds of alert the evaluator raises. */
export type AlertKind = 'sla_breach' | 'dead_letter_growth' | 'circuit_open' | 'reconciliation_drift';

/** A condition that holds now, under its dedup key. */
export interface AlertCondition {
  key: string;
  kind: AlertKind;
  severity: 'warning' | 'critical';
  title: string;
  detail: Record<string, unknown>;
}

/** Connections whose outbound circuit can be read (the runtime's connections map fits). */
export type CircuitSource = ReadonlyMap<string, { instance: { health(): { circuit: { state: string; openedAt: number | null; consecutiveFailures: number } } } }>;

/** Business SLAs with breaches in the window (done late or open past target). */
export async function slaConditions(slas: BusinessSlas): Promise<AlertCondition[]> {
  const reports = await slas.evaluate();
  return reports
    .filter((r) => r.breached > 0 || r.openBreached > 0)
    .map((r) => ({
      key: `sla_breach:${r.name}`,
      kind: 'sla_breach' as const,
      severity: r.openBreached > 0 ? ('critical' as const) : ('warning' as const),
      title: `SLA breached: ${r.title}`,
      detail: { sla: r.name, target: r.target, breached: r.breached, openBreached: r.openBreached, window: r.window, worst: r.worst.slice(0, 5) },
    }));
}

/** Dead letters that grew by at least `threshold` within `windowMs`. */
export async function deadLetterConditions(db: Db, rule: { threshold: number; window: number }, now: number): Promise<AlertCondition[]> {
  const count = await countDeadLettersSince(db, now - rule.window);
  if (count < rule.threshold) return [];
  return [{ key: 'dead_letter_growth', kind: 'dead_letter_growth', severity: 'critical', title: `${count} messages dead-lettered in the last ${Math.round(rule.window / 60_000)} min`, detail: { count, threshold: rule.threshold, windowMs: rule.window } }];
}

/** Connections whose outbound circuit is not closed (open, or half-open waiting for a probe to succeed), as this process sees it. */
export function circuitConditions(connections: CircuitSource): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const [id, connection] of connections) {
    const circuit = connection.instance.health().circuit;
    if (circuit.state === 'closed') continue;
    conditions.push({
      key: `circuit_open:${id}`,
      kind: 'circuit_open',
      severity: 'critical',
      title: `Circuit open: calls to ${id} are paused`,
      detail: { connection: id, state: circuit.state, openedAt: circuit.openedAt === null ? null : new Date(circuit.openedAt).toISOString(), consecutiveFailures: circuit.consecutiveFailures },
    });
  }
  return conditions;
}

/** Open reconciliation drift, one condition per kind. */
export async function driftConditions(db: Db): Promise<AlertCondition[]> {
  const counts = await countOpenDriftByKind(db);
  return Object.entries(counts)
    .filter(([, open]) => open > 0)
    .map(([kind, open]) => ({ key: `reconciliation_drift:${kind}`, kind: 'reconciliation_drift' as const, severity: 'warning' as const, title: `${open} open reconciliation drift of kind ${kind}`, detail: { kind, open } }));
}
