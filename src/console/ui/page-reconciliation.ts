import { api, ApiError, query } from './api.js';
import { badge, errorBox, h, notice, table } from './dom.js';
import { dateTime, duration, words } from './format.js';
import { changed, type Page } from './page.js';
import { statusBadge } from './views.js';

interface Run { id: string; scope: string[]; status: string; trigger: string; driftCount: number; createdAt: string; startedAt: string | null; finishedAt: string | null; error: string | null }
interface Drift { id: string; scope: string; kind: string; entity: string; systems: string[]; expected: unknown; actual: unknown; severity: string; correction: string | null; foundAt: string }

function shortJson(value: unknown): string {
  return value === undefined || value === null ? '—' : JSON.stringify(value).slice(0, 200);
}

/** Reconciliation: runs, and open drift between the hub, channels and the ERP, each with its correction. */
export const reconciliationPage: Page = {
  title: 'Reconciliation',
  async render(ctx) {
    const [runs, drift] = await Promise.all([api<{ data: Run[] }>('/v1/reconciliation/runs?limit=20'), api<{ data: Drift[] }>(`/v1/reconciliation/drift${query({ status: 'open', limit: 200 })}`)]);
    ctx.onLive((summary, previous) => {
      if (changed(summary, previous, ['openDrift'])) ctx.refresh();
    });
    const outcome = h('div', {});
    const fail = (error: unknown) => outcome.replaceChildren(errorBox(error instanceof ApiError ? error.describe() : String(error)));
    const resolve = (d: Drift, action: 'correct' | 'dismiss') =>
      api(`/v1/reconciliation/drift/${encodeURIComponent(d.id)}/resolve`, { method: 'POST', body: { action, note: `${action === 'correct' ? 'corrected' : 'dismissed'} from the console` } })
        .then(() => {
          outcome.replaceChildren(notice(action === 'correct' ? `Correction queued for ${d.entity}.` : `Dismissed ${d.entity}.`));
          setTimeout(() => ctx.refresh(), 1500);
        })
        .catch(fail);
    const runNow = () =>
      api<{ id: string }>('/v1/reconciliation/runs', { method: 'POST', body: {} })
        .then((r) => {
          outcome.replaceChildren(notice(`Run ${r.id} started.`));
          setTimeout(() => ctx.refresh(), 2000);
        })
        .catch(fail);
    return h(
      'div',
      {},
      h('h1', {}, 'Reconciliation'),
      h('p', { class: 'muted' }, 'Where the hub, the sales channels and the ERP disagree. Correct a difference (re-sync, re-post, import) or dismiss it as accepted; both are audited.'),
      h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => void runNow() }, 'Run a full reconciliation now')),
      outcome,
      h('h2', {}, `Open drift (${drift.data.length})`),
      table([
        { title: 'Severity', cell: (d: Drift) => badge(d.severity, d.severity === 'critical' ? 'bad' : d.severity === 'warning' ? 'warn' : 'neutral') },
        { title: 'What', cell: (d) => h('span', {}, h('strong', {}, words(d.kind)), h('div', { class: 'muted' }, d.entity)) },
        { title: 'Systems', cell: (d) => d.systems.join(' vs ') },
        { title: 'Expected', cell: (d) => h('code', {}, shortJson(d.expected)) },
        { title: 'Actual', cell: (d) => h('code', {}, shortJson(d.actual)) },
        { title: 'Found', cell: (d) => dateTime(d.foundAt) },
        { title: '', cell: (d) => h('div', { class: 'toolbar' }, d.correction ? h('button', { type: 'button', onclick: () => void resolve(d, 'correct') }, words(d.correction)) : null, h('button', { type: 'button', class: 'secondary', onclick: () => void resolve(d, 'dismiss') }, 'Dismiss')) },
      ], drift.data, { empty: 'No open drift: the systems agree.', rowClass: (d) => (d.severity === 'critical' ? 'bad' : undefined), testId: 'drift' }),
      h('h2', {}, 'Recent runs'),
      table([
        { title: 'Run', cell: (r: Run) => r.id },
        { title: 'Status', cell: (r) => statusBadge(r.status) },
        { title: 'Scope', cell: (r) => r.scope.join(', ') },
        { title: 'Trigger', cell: (r) => words(r.trigger) },
        { title: 'Drift found', cell: (r) => String(r.driftCount), num: true },
        { title: 'Started', cell: (r) => dateTime(r.startedAt ?? r.createdAt) },
        { title: 'Took', cell: (r) => (r.startedAt && r.finishedAt ? duration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '—'), num: true },
      ], runs.data, { empty: 'No runs yet.', testId: 'runs' }),
    );
  },
};
