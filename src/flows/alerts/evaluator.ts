import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../model/index.js';
import { inOutboxTransaction, type HandlerTransaction } from '../../messaging/index.js';
import { listOpenAlerts, openAlert, resolveAlert, touchAlert, type AlertRow, type Store } from '../../store/index.js';
import type { BusinessSlas } from '../slas/index.js';
import type { AlertsConfig } from './config.js';
import { circuitConditions, deadLetterConditions, driftConditions, slaConditions, type AlertCondition, type AlertKind, type CircuitSource } from './conditions.js';
import { alertEmail, alertRaised, alertResolved, type AlertEvent } from './messages.js';
import { presentAlert } from './view.js';

/** What one evaluation changed: the keys it raised and resolved. */
export interface AlertOutcome {
  raised: string[];
  resolved: string[];
}

/** Raises and resolves alerts from the current conditions; start() evaluates periodically. */
export interface AlertEvaluator {
  evaluate(): Promise<AlertOutcome>;
  start(): { stop(): Promise<void> };
}

/** What the evaluator reads and where it reports. */
export interface AlertEvaluatorDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  config: AlertsConfig;
  slas?: BusinessSlas | undefined;
  connections?: CircuitSource | undefined;
  /** This process's name: circuit state is per process, so only its observer (or staleness) resolves a circuit alert. */
  observer: string;
  /** Queue an email per raised and resolved alert (email configured and its handler registered). */
  email?: boolean | undefined;
  /** Called after an evaluation queued messages, so the dispatcher picks them up at once. */
  onEmitted?: (() => void) | undefined;
  logger?: Logger | undefined;
}

const localKinds: ReadonlySet<AlertKind> = new Set(['circuit_open']);

function eventOf(row: AlertRow): AlertEvent {
  const { id, count: _count, ...view } = presentAlert(row);
  return { alertId: id, ...view };
}

/** The alert evaluator: deduplicated by key, notifying through the outbox in the alert's own transaction. */
export function createAlertEvaluator(deps: AlertEvaluatorDeps): AlertEvaluator {
  const { store, clock } = deps;

  async function gather(now: number): Promise<{ conditions: AlertCondition[]; checked: Set<AlertKind> }> {
    const conditions: AlertCondition[] = [];
    const checked = new Set<AlertKind>();
    const checks: [AlertKind, () => Promise<AlertCondition[]>][] = [
      ['dead_letter_growth', () => deadLetterConditions(store.db, deps.config.deadLetterGrowth, now)],
      ['reconciliation_drift', () => driftConditions(store.db)],
      ...(deps.connections ? [['circuit_open', async () => circuitConditions(deps.connections!)] as [AlertKind, () => Promise<AlertCondition[]>]] : []),
      ...(deps.slas ? [['sla_breach', () => slaConditions(deps.slas!)] as [AlertKind, () => Promise<AlertCondition[]>]] : []),
    ];
    for (const [kind, check] of checks) {
      try {
        conditions.push(...(await check()));
        checked.add(kind);
      } catch (error) {
        deps.logger?.warn({ err: error, kind }, 'alert check failed; its alerts are left as they are');
      }
    }
    return { conditions, checked };
  }

  function notify(tx: HandlerTransaction, event: 'raised' | 'resolved', row: AlertRow): void {
    const data = eventOf(row);
    const options = { subject: row.key, orderingKey: `alert:${row.key}` };
    tx.emit(event === 'raised' ? alertRaised : alertResolved, data, options);
    if (deps.email) tx.emit(alertEmail, { event, alert: data }, options);
  }

  async function inTransaction<T>(correlationId: string, now: number, work: (tx: HandlerTransaction) => Promise<T>): Promise<T> {
    return inOutboxTransaction(store, { origin: { source: 'tillbridge/alerts', correlationId }, now, newId: deps.newId }, work);
  }

  async function evaluate(): Promise<AlertOutcome> {
    const now = clock.now();
    const { conditions, checked } = await gather(now);
    const outcome: AlertOutcome = { raised: [], resolved: [] };
    for (const condition of conditions) {
      const id = deps.newId('alr');
      const sighting = {
        id,
        key: condition.key,
        kind: condition.kind,
        severity: condition.severity,
        title: condition.title,
        detail: JSON.stringify(condition.detail),
        observer: localKinds.has(condition.kind) ? deps.observer : null,
      };
      const raised = await inTransaction(id, now, async (tx) => {
        if (await openAlert(tx.db, sighting, now)) {
          notify(tx, 'raised', { ...sighting, status: 'open', count: 1, first_seen_at: now, last_seen_at: now, resolved_at: null });
          return true;
        }
        await touchAlert(tx.db, sighting, now);
        return false;
      });
      if (raised) outcome.raised.push(condition.key);
    }
    const holding = new Set(conditions.map((c) => c.key));
    const staleBefore = now - 3 * deps.config.every;
    for (const alert of await listOpenAlerts(store.db)) {
      if (holding.has(alert.key) || !checked.has(alert.kind as AlertKind)) continue;
      if (localKinds.has(alert.kind as AlertKind) && alert.observer !== deps.observer && Number(alert.last_seen_at) >= staleBefore) continue;
      const resolved = await inTransaction(alert.id, now, async (tx) => {
        if (!(await resolveAlert(tx.db, alert.id, now))) return false;
        notify(tx, 'resolved', { ...alert, status: 'resolved', resolved_at: now });
        return true;
      });
      if (resolved) outcome.resolved.push(alert.key);
    }
    if (outcome.raised.length > 0 || outcome.resolved.length > 0) {
      deps.logger?.info(outcome, 'alerts changed');
      deps.onEmitted?.();
    }
    return outcome;
  }

  return {
    evaluate,
    start() {
      const shutdown = new AbortController();
      const loop = (async () => {
        while (!shutdown.signal.aborted) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              clearTimeout(timer);
              shutdown.signal.removeEventListener('abort', wake);
              resolve();
            };
            const timer = setTimeout(wake, deps.config.every);
            shutdown.signal.addEventListener('abort', wake, { once: true });
          });
          if (shutdown.signal.aborted) break;
          try {
            await evaluate();
          } catch (error) {
            deps.logger?.warn({ err: error }, 'alert evaluation failed');
          }
        }
      })();
      return {
        async stop() {
          shutdown.abort();
          await loop;
        },
      };
    },
  };
}
