import { api, ApiError, query } from './api.js';
import { badge, errorBox, h, link, notice, table } from './dom.js';
import { ago, dateTime, duration, money, words } from './format.js';
import { changed, type Page, type PageContext } from './page.js';
import { messageTable, statusBadge, type MessageView } from './views.js';
import { adviceFor } from './advice.js';

interface OrderSummary {
  id: string;
  number?: string;
  externalId: string;
  source: string;
  status: string;
  holdReason?: string;
  currency: string;
  totals: { total: number };
  placedAt: string;
  updatedAt: string;
  correlationId: string;
  stuck?: { workflow: string; step: string | null; since: string | null; overdueMs: number; lastError?: string };
}
interface OrderDetail extends OrderSummary {
  lines: { lineId: string; sku: string; title: string; quantity: number; unitPrice: number; progress?: Record<string, number> }[];
  timeline: { at: string; event: string; system: string; detail?: unknown; messageId?: string }[];
  workflows: { id: string; workflow: string; status: string; step: string | null; error?: string; stepDeadline?: string; steps: { name: string; status: string; system: string; attempts: number; error?: string; startedAt: string; finishedAt: string | null }[] }[];
}

const views = [
  { id: 'stuck', label: 'Stuck', status: 'stuck', hint: 'Orders with a step past its SLA: no progress in time.' },
  { id: 'on_hold', label: 'On hold', status: 'on_hold', hint: 'Orders held, each with the reason.' },
  { id: 'recent', label: 'Recent', status: undefined, hint: 'The newest orders.' },
] as const;

function orderStatus(order: { status: string; holdReason?: string }) {
  const tone = order.status === 'on_hold' || order.status === 'cancelled' ? 'warn' : order.status === 'closed' || order.status === 'invoiced' || order.status === 'shipped' ? 'ok' : 'neutral';
  return h('span', {}, badge(words(order.status), tone), order.holdReason ? h('span', { class: 'muted' }, ` — ${words(order.holdReason)}`) : null);
}

async function listView(ctx: PageContext): Promise<Node> {
  const view = views.find((v) => v.id === (ctx.search.get('view') ?? 'stuck')) ?? views[0];
  const find = ctx.search.get('number') ?? '';
  const page = find
    ? await api<{ data: OrderSummary[] }>(`/v1/orders${query({ number: find, limit: 50 })}`)
    : await api<{ data: OrderSummary[] }>(`/v1/orders${query({ status: view.status, limit: 100 })}`);
  ctx.onLive((summary, previous) => {
    if (changed(summary, previous, ['stuckOrders', 'ordersOnHold'])) ctx.refresh();
  });
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        ctx.navigate(`/orders${query({ number: String(new FormData(form).get('number') ?? '') })}`);
      },
    },
    h('label', {}, 'Order number', h('input', { name: 'number', value: find, placeholder: '#1001' })),
    h('button', { type: 'submit' }, 'Find'),
  );
  const tabs = h('div', { class: 'tabs' }, views.map((v) => h('button', { type: 'button', class: !find && v.id === view.id ? 'active' : '', onclick: () => ctx.navigate(`/orders?view=${v.id}`) }, v.label)));
  const rows = table([
    { title: 'Order', cell: (o: OrderSummary) => link(`/orders/${encodeURIComponent(o.id)}`, o.number ?? o.externalId) },
    { title: 'Channel', cell: (o) => o.source },
    { title: 'Status', cell: (o) => orderStatus(o) },
    { title: 'Stuck on', cell: (o) => (o.stuck ? h('span', {}, badge(`${words(o.stuck.step ?? o.stuck.workflow)} · ${duration(o.stuck.overdueMs)} over`, 'bad'), o.stuck.lastError ? h('div', { class: 'muted' }, o.stuck.lastError) : null) : '') },
    { title: 'Total', cell: (o) => money(o.totals.total, o.currency), num: true },
    { title: 'Placed', cell: (o) => dateTime(o.placedAt) },
  ], page.data, { empty: find ? `No order numbered ${find}.` : view.id === 'stuck' ? 'No stuck orders: every order is moving within its SLA.' : 'No orders here.', testId: 'orders', rowClass: (o) => (o.stuck ? 'bad' : undefined) });
  return h('div', {}, h('h1', {}, 'Orders'), form, tabs, h('p', { class: 'muted' }, find ? '' : view.hint), rows);
}

async function detailView(ctx: PageContext, id: string): Promise<Node> {
  const order = await api<OrderDetail>(`/v1/orders/${encodeURIComponent(id)}`);
  const messages = await api<{ data: MessageView[] }>(`/v1/messages${query({ q: order.correlationId, limit: 200 })}`).catch(() => ({ data: [] as MessageView[] }));
  const dead = messages.data.filter((m) => m.status === 'dead');
  ctx.onLive((summary, previous) => {
    if (changed(summary, previous, ['deadLetters', 'stuckOrders', 'ordersOnHold'])) ctx.refresh();
  });
  const outcome = h('div', {});
  const act = (path: string, body: unknown, done: string) =>
    api(path, { method: 'POST', body })
      .then(() => {
        outcome.replaceChildren(notice(done));
        setTimeout(() => ctx.refresh(), 1000);
      })
      .catch((error: unknown) => outcome.replaceChildren(errorBox(error instanceof ApiError ? error.describe() : String(error))));
  const actions = h(
    'div',
    { class: 'toolbar' },
    order.status === 'on_hold' ? h('button', { type: 'button', onclick: () => void act(`/v1/orders/${encodeURIComponent(id)}/release`, { note: 'released from the console' }, 'Hold released.') }, 'Release hold') : null,
    order.status !== 'on_hold' && !['closed', 'cancelled', 'shipped', 'invoiced'].includes(order.status) ? h('button', { type: 'button', class: 'secondary', onclick: () => void act(`/v1/orders/${encodeURIComponent(id)}/hold`, { reason: 'manual', note: 'held from the console' }, 'Order held.') }, 'Hold') : null,
    dead.length > 0 ? h('button', { type: 'button', data: { testid: 'replay-order-dead-letters' }, onclick: () => void Promise.all(dead.map((m) => api(`/v1/dead-letters/${encodeURIComponent(m.id)}/replay`, { method: 'POST', body: { note: `replayed from order ${order.number ?? id}` } }))).then(() => { outcome.replaceChildren(notice(`Replayed ${dead.length} failed message${dead.length === 1 ? '' : 's'}.`)); setTimeout(() => ctx.refresh(), 1500); }).catch((error: unknown) => outcome.replaceChildren(errorBox(String(error)))) }, `Replay ${dead.length} failed message${dead.length === 1 ? '' : 's'}`) : null,
  );
  const runs = order.workflows.filter((w) => w.status !== 'completed' || w.error);
  return h(
    'div',
    {},
    h('p', {}, link('/orders', '← Orders')),
    h('h1', {}, `Order ${order.number ?? order.externalId}`),
    h('div', { class: 'cards' },
      h('div', { class: 'card', data: { testid: 'order-status' } }, h('div', { class: 'label' }, 'Status'), h('div', { class: 'value' }, orderStatus(order))),
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'Total'), h('div', { class: 'value' }, money(order.totals.total, order.currency))),
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'Channel'), h('div', { class: 'value' }, order.source)),
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'Last change'), h('div', { class: 'value' }, ago(order.updatedAt))),
    ),
    actions,
    outcome,
    dead.length > 0 ? h('div', { class: 'panel', data: { testid: 'order-dead-letters' } }, h('h2', {}, 'Failed messages (dead letters)'), table([
      { title: 'Step', cell: (m: MessageView) => link(`/dead-letters/${encodeURIComponent(m.id)}`, m.type) },
      { title: 'Why it failed', cell: (m) => m.reason ?? '' },
      { title: 'What to do', cell: (m) => adviceFor(m.reason) },
      { title: 'Attempts', cell: (m) => String(m.attempts), num: true },
    ], dead)) : null,
    runs.length > 0 ? h('div', { class: 'panel' }, h('h2', {}, 'Workflows in progress'), runs.map((run) => h('div', {},
      h('p', {}, h('strong', {}, words(run.workflow)), ' ', statusBadge(run.status), run.step ? ` at ${words(run.step)}` : '', run.stepDeadline ? h('span', { class: 'muted' }, ` (SLA deadline ${dateTime(run.stepDeadline)})`) : null),
      table([
        { title: 'Step', cell: (s: OrderDetail['workflows'][number]['steps'][number]) => words(s.name) },
        { title: 'System', cell: (s) => s.system },
        { title: 'Status', cell: (s) => statusBadge(s.status) },
        { title: 'Attempts', cell: (s) => String(s.attempts), num: true },
        { title: 'Error', cell: (s) => s.error ?? '' },
      ], run.steps)))) : null,
    h('h2', {}, 'Timeline across systems'),
    table([
      { title: 'When', cell: (t: OrderDetail['timeline'][number]) => dateTime(t.at) },
      { title: 'System', cell: (t) => t.system },
      { title: 'What happened', cell: (t) => words(t.event) },
      { title: 'Detail', cell: (t) => (t.detail === undefined ? '' : h('code', {}, JSON.stringify(t.detail).slice(0, 300))) },
    ], order.timeline, { testId: 'order-timeline' }),
    h('h2', {}, 'Lines'),
    table([
      { title: 'SKU', cell: (l: OrderDetail['lines'][number]) => link(`/messages${query({ q: l.sku })}`, l.sku) },
      { title: 'Item', cell: (l) => l.title },
      { title: 'Qty', cell: (l) => String(l.quantity), num: true },
      { title: 'Unit price', cell: (l) => money(l.unitPrice, order.currency), num: true },
    ], order.lines),
    h('h2', {}, 'Messages of this order'),
    messageTable(messages.data, 'order-messages'),
  );
}

/** Orders: stuck ones, holds with reasons, and one order's timeline across systems with its failed messages. */
export const ordersPage: Page = {
  title: 'Orders',
  render: (ctx) => (ctx.params[0] ? detailView(ctx, ctx.params[0]) : listView(ctx)),
};
