import { api, ApiError } from './api.js';
import { badge, errorBox, h, notice, table } from './dom.js';
import { ago, count, date, dateTime, words } from './format.js';
import type { Page } from './page.js';

interface Connection {
  id: string;
  system: string;
  title: string;
  health: { circuit: string; consecutiveFailures: number; rate: RateState | null; calls: number; failures: number; lastSuccessAt: string | null; lastFailure: { at: string; code?: string; message?: string } | null };
  api?: { version: string | null; endOfLifeAt: string | null; daysToEndOfLife: number | null } | null;
}

interface RateState { capacity?: number; refillPerSecond?: number; available?: number; pausedUntil?: number | string | null; waiting?: number }

/** The rate governor's state in words: what is left of the budget, how fast it refills, and any pause the vendor asked for. */
function rateText(rate: RateState | null | undefined): string {
  if (!rate || rate.capacity === undefined) return '—';
  const parts = [`${count(Math.floor(rate.available ?? 0))} of ${count(rate.capacity)} calls available`, `refills ${count(rate.refillPerSecond ?? 0)}/s`];
  if (rate.pausedUntil) parts.push(`paused by the vendor until ${dateTime(new Date(rate.pausedUntil).toISOString())}`);
  if (rate.waiting) parts.push(`${count(rate.waiting)} calls waiting`);
  return parts.join(' · ');
}

/** Connections: health, circuit, last success, rate-governor state, API version and its end-of-life date. */
export const connectionsPage: Page = {
  title: 'Connections',
  async render(ctx) {
    const { data } = await api<{ data: Connection[] }>('/v1/connections');
    const outcome = h('div', {});
    const check = (id: string) =>
      api<{ ok: boolean; message?: string }>(`/v1/connections/${encodeURIComponent(id)}/check`, { method: 'POST' })
        .then((r) => {
          outcome.replaceChildren(r.ok ? notice(`${id}: reachable, credentials accepted.`) : errorBox(`${id}: ${r.message ?? 'check failed'}`));
          setTimeout(() => ctx.refresh(), 1500);
        })
        .catch((error: unknown) => outcome.replaceChildren(errorBox(error instanceof ApiError ? error.describe() : String(error))));
    const eol = (c: Connection) => {
      if (!c.api?.version) return '—';
      if (!c.api.endOfLifeAt) return `${c.api.version} (no end of life)`;
      const days = c.api.daysToEndOfLife ?? 0;
      return h('span', {}, `${c.api.version} · supported until ${date(c.api.endOfLifeAt)} `, badge(days < 0 ? 'past end of life' : `${days} days left`, days < 30 ? 'bad' : days < 90 ? 'warn' : 'ok'));
    };
    return h(
      'div',
      {},
      h('h1', {}, 'Connections'),
      outcome,
      table([
        { title: 'Connection', cell: (c: Connection) => h('span', {}, h('strong', {}, c.id), h('div', { class: 'muted' }, c.title)) },
        { title: 'Circuit', cell: (c) => badge(words(c.health.circuit), c.health.circuit === 'closed' ? 'ok' : c.health.circuit === 'open' ? 'bad' : 'warn') },
        { title: 'Last success', cell: (c) => ago(c.health.lastSuccessAt) },
        { title: 'Last failure', cell: (c) => (c.health.lastFailure ? h('span', {}, ago(c.health.lastFailure.at), h('div', { class: 'muted' }, c.health.lastFailure.message ?? c.health.lastFailure.code ?? '')) : '—') },
        { title: 'Calls / failures', cell: (c) => `${count(c.health.calls)} / ${count(c.health.failures)}`, num: true },
        { title: 'Rate governor', cell: (c) => rateText(c.health.rate) },
        { title: 'API version', cell: (c) => eol(c) },
        { title: '', cell: (c) => h('button', { type: 'button', class: 'secondary', onclick: () => void check(c.id) }, 'Check now') },
      ], data, { rowClass: (c) => (c.health.circuit === 'open' ? 'bad' : c.health.circuit !== 'closed' ? 'warn' : undefined), testId: 'connections' }),
    );
  },
};
