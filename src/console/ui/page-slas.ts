import { api, query } from './api.js';
import { badge, h, table } from './dom.js';
import { dateTime, duration, percent } from './format.js';
import type { Page } from './page.js';

interface Sla {
  name: string;
  title: string;
  target: number;
  completed: number;
  withinTarget: number;
  breached: number;
  open: number;
  openBreached: number;
  p50Ms: number | null;
  p95Ms: number | null;
  worst: { entity: string; startedAt: string; elapsedMs: number; done: boolean }[];
}

/** Business SLAs from the configuration, with breaches highlighted and the worst cases listed. */
export const slasPage: Page = {
  title: 'Business SLAs',
  async render(ctx) {
    const window = ctx.search.get('window') ?? '24h';
    const slas = await api<{ data: Sla[] }>(`/v1/slas${query({ window })}`);
    const breached = (s: Sla) => s.breached + s.openBreached > 0;
    return h(
      'div',
      {},
      h('h1', {}, 'Business SLAs'),
      h('p', { class: 'muted' }, `How fast the business promises are kept over the last ${window}: from the configuration's targets. Red rows missed their target.`),
      h('div', { class: 'tabs' }, ['1h', '24h', '7d'].map((w) => h('button', { type: 'button', class: w === window ? 'active' : '', onclick: () => ctx.navigate(`/slas?window=${w}`) }, `Last ${w}`))),
      table([
        { title: 'Promise', cell: (s: Sla) => s.title },
        { title: 'Target', cell: (s) => duration(s.target) },
        { title: 'Done', cell: (s) => String(s.completed), num: true },
        { title: 'Within target', cell: (s) => percent(s.completed === 0 ? null : s.withinTarget / s.completed), num: true },
        { title: 'Median', cell: (s) => duration(s.p50Ms), num: true },
        { title: 'p95', cell: (s) => duration(s.p95Ms), num: true },
        { title: 'Still open', cell: (s) => String(s.open), num: true },
        { title: 'Breaches', cell: (s) => (breached(s) ? badge(`${s.breached} done late, ${s.openBreached} open and late`, 'bad') : badge('met', 'ok')) },
      ], slas.data, { rowClass: (s) => (breached(s) ? 'breach' : undefined), testId: 'slas' }),
      slas.data.filter((s) => s.worst.length > 0).map((s) =>
        h('div', { class: 'panel' }, h('h2', {}, `${s.title}: worst cases`),
          table([
            { title: 'What', cell: (w: Sla['worst'][number]) => w.entity },
            { title: 'Started', cell: (w) => dateTime(w.startedAt) },
            { title: 'Took', cell: (w) => duration(w.elapsedMs), num: true },
            { title: '', cell: (w) => (w.done ? badge('done late', 'warn') : badge('still open', 'bad')) },
          ], s.worst, { rowClass: () => 'breach' }))),
    );
  },
};
