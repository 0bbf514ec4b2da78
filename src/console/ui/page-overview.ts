import { optionalApi } from './api.js';
import { lineChart } from './charts.js';
import { badge, card, h, link, table } from './dom.js';
import { ago, count, dateTime, duration, percent, words } from './format.js';
import { changed, type Page } from './page.js';

interface FlowPoint { t: number | string; done: number; failed: number; retried?: number; p50Ms: number | null; p95Ms: number | null }
interface Overview {
  flows: { flow: string; points: FlowPoint[] }[];
  backlog: Record<string, number>;
  deadLetters: number;
  errorRate: number | null;
  connections: { id: string; system: string; circuit: string; lastSuccessAt: string | null }[];
  stuckOrders: number;
  ordersOnHold: number;
}
interface Sla { name: string; title: string; target: number; breached: number; openBreached: number; completed: number; p95Ms: number | null }
interface Alert { id: string; kind: string; severity: string; title: string; detail?: unknown; status: string; firstSeenAt: string; lastSeenAt: string }

const epoch = (t: number | string) => (typeof t === 'number' ? t : Date.parse(t));

function circuitBadge(state: string) {
  return badge(words(state), state === 'closed' ? 'ok' : state === 'open' ? 'bad' : 'warn');
}

/** Overview: throughput and latency per flow over the last hour, backlog per lane, error rate, circuits, SLAs and open alerts. */
export const overviewPage: Page = {
  title: 'Overview',
  async render(ctx) {
    const [overview, slas, alerts] = await Promise.all([
      optionalApi<Overview>('/v1/ops/overview?window=1h&step=1m'),
      optionalApi<{ data: Sla[] }>('/v1/slas'),
      optionalApi<{ data: Alert[] }>('/v1/alerts?status=open'),
    ]);
    ctx.onLive((summary, previous) => {
      if (changed(summary, previous, ['deadLetters', 'stuckOrders', 'ordersOnHold', 'openDrift', 'openAlerts'])) ctx.refresh();
    });
    const content = h('div', {}, h('h1', {}, 'Overview'));
    if (alerts && alerts.data.length > 0) {
      content.appendChild(
        h('div', { class: 'panel', data: { testid: 'open-alerts' } }, h('h2', {}, `Open alerts (${alerts.data.length})`),
          table([
            { title: 'Severity', cell: (a: Alert) => badge(a.severity, a.severity === 'critical' ? 'bad' : 'warn') },
            { title: 'Alert', cell: (a) => a.title },
            { title: 'Since', cell: (a) => dateTime(a.firstSeenAt) },
            { title: 'Last seen', cell: (a) => ago(a.lastSeenAt) },
          ], alerts.data)),
      );
    }
    if (!overview) {
      content.appendChild(h('p', { class: 'muted' }, 'Overview figures are not available on this hub.'));
      return content;
    }
    const totalBacklog = Object.values(overview.backlog).reduce((a, b) => a + b, 0);
    const slaBreaches = (slas?.data ?? []).reduce((sum, s) => sum + s.breached + s.openBreached, 0);
    const openCircuits = overview.connections.filter((c) => c.circuit !== 'closed').length;
    content.appendChild(
      h('div', { class: 'cards' },
        card('Error rate (1 h)', percent(overview.errorRate), (overview.errorRate ?? 0) > 0.05 ? 'bad' : (overview.errorRate ?? 0) > 0 ? 'warn' : undefined, 'error-rate'),
        card('Dead letters', link('/dead-letters', count(overview.deadLetters)), overview.deadLetters > 0 ? 'bad' : undefined, 'dead-letters'),
        card('Stuck orders', link('/orders?view=stuck', count(overview.stuckOrders)), overview.stuckOrders > 0 ? 'bad' : undefined, 'stuck-orders'),
        card('Orders on hold', link('/orders?view=on_hold', count(overview.ordersOnHold)), overview.ordersOnHold > 0 ? 'warn' : undefined),
        card('Backlog (messages)', count(totalBacklog), totalBacklog > 1000 ? 'warn' : undefined, 'backlog'),
        card('SLA breaches', link('/slas', count(slaBreaches)), slaBreaches > 0 ? 'bad' : undefined),
        card('Circuits not closed', link('/connections', count(openCircuits)), openCircuits > 0 ? 'bad' : undefined),
      ),
    );
    const allTimes = [...new Set(overview.flows.flatMap((f) => f.points.map((p) => epoch(p.t))))].sort((a, b) => a - b);
    const seriesOf = (pick: (p: FlowPoint) => number | null) =>
      overview.flows.map((f) => {
        const byTime = new Map(f.points.map((p) => [epoch(p.t), pick(p)]));
        return { label: f.flow, values: allTimes.map((t) => byTime.get(t) ?? null) };
      });
    content.appendChild(
      h('div', { class: 'charts' },
        lineChart('Throughput per flow (messages per minute)', allTimes, seriesOf((p) => p.done), { unit: 'per min', testId: 'chart-throughput' }),
        lineChart('Latency per flow (p95, ms)', allTimes, seriesOf((p) => p.p95Ms), { unit: 'ms', testId: 'chart-latency' }),
        lineChart('Failures per flow (dead-lettered per minute)', allTimes, seriesOf((p) => p.failed), { unit: 'per min' }),
      ),
    );
    content.appendChild(
      h('div', { class: 'grid2' },
        h('div', { class: 'panel' }, h('h2', {}, 'Backlog per lane'),
          table([{ title: 'Lane', cell: (r: [string, number]) => r[0] }, { title: 'Waiting or in flight', cell: (r) => count(r[1]), num: true }], Object.entries(overview.backlog))),
        h('div', { class: 'panel' }, h('h2', {}, 'Connections'),
          table([
            { title: 'Connection', cell: (c: Overview['connections'][number]) => `${c.id} (${c.system})` },
            { title: 'Circuit', cell: (c) => circuitBadge(c.circuit) },
            { title: 'Last success', cell: (c) => ago(c.lastSuccessAt) },
          ], overview.connections, { rowClass: (c) => (c.circuit === 'open' ? 'bad' : undefined), testId: 'overview-connections' })),
      ),
    );
    if (slas) {
      content.appendChild(
        h('div', { class: 'panel' }, h('h2', {}, 'Business SLAs (last 24 h)'),
          table([
            { title: 'SLA', cell: (s: Sla) => s.title },
            { title: 'Target', cell: (s) => duration(s.target) },
            { title: 'p95', cell: (s) => duration(s.p95Ms), num: true },
            { title: 'Breaches', cell: (s) => (s.breached + s.openBreached > 0 ? badge(`${s.breached + s.openBreached} breached`, 'bad') : badge('met', 'ok')) },
          ], slas.data, { rowClass: (s) => (s.breached + s.openBreached > 0 ? 'breach' : undefined) })),
      );
    }
    return content;
  },
};
