import type { SlaFact } from '../../store/index.js';

/** The business SLAs the hub measures. */
export const slaNames = ['productPublication', 'orderAcceptance', 'shipmentConfirmation', 'refundProcessing', 'settlementPosting'] as const;
/** One business SLA's name. */
export type SlaName = (typeof slaNames)[number];

/** Human titles of the SLAs, for the console and alerts. */
export const slaTitles: Record<SlaName, string> = {
  productPublication: 'Product published on every channel',
  orderAcceptance: 'Order accepted (booked in the ERP)',
  shipmentConfirmation: 'Shipment confirmed to the sales channel',
  refundProcessing: 'Refund processed at the payment provider',
  settlementPosting: 'Payout posted to the ERP',
};

/** One transaction that breached its SLA (done late, or still open past the target). */
export interface SlaBreach {
  entity: string;
  startedAt: string;
  elapsedMs: number;
  done: boolean;
}

/** How one business SLA did over a window. */
export interface SlaReport {
  name: SlaName;
  title: string;
  /** Target in ms. */
  target: number;
  window: { from: string; to: string };
  completed: number;
  withinTarget: number;
  breached: number;
  open: number;
  /** Still open and already past the target. */
  openBreached: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Up to 20 breaches, worst (longest) first. */
  worst: SlaBreach[];
}

/** The nearest-rank percentile of sorted values (null when there are none). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Measures an SLA's facts against its target at `now` (pure). */
export function evaluateSla(sla: { name: SlaName; target: number }, facts: readonly SlaFact[], window: { from: number; to: number }, now: number): SlaReport {
  const durations: number[] = [];
  const breaches: SlaBreach[] = [];
  let withinTarget = 0;
  let open = 0;
  let openBreached = 0;
  for (const fact of facts) {
    if (fact.doneAt !== null) {
      const elapsedMs = Math.max(0, fact.doneAt - fact.startedAt);
      durations.push(elapsedMs);
      if (elapsedMs <= sla.target) withinTarget += 1;
      else breaches.push({ entity: fact.entity, startedAt: new Date(fact.startedAt).toISOString(), elapsedMs, done: true });
    } else {
      open += 1;
      const elapsedMs = Math.max(0, now - fact.startedAt);
      if (elapsedMs > sla.target) {
        openBreached += 1;
        breaches.push({ entity: fact.entity, startedAt: new Date(fact.startedAt).toISOString(), elapsedMs, done: false });
      }
    }
  }
  durations.sort((a, b) => a - b);
  breaches.sort((a, b) => b.elapsedMs - a.elapsedMs || a.entity.localeCompare(b.entity));
  return {
    name: sla.name,
    title: slaTitles[sla.name],
    target: sla.target,
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
    completed: durations.length,
    withinTarget,
    breached: durations.length - withinTarget,
    open,
    openBreached,
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    worst: breaches.slice(0, 20),
  };
}
