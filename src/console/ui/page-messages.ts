import { api, query } from './api.js';
import { h, json, link, table } from './dom.js';
import { dateTime, words } from './format.js';
import type { Page, PageContext } from './page.js';
import { messageHistory, messageTable, statusBadge, type MessageView } from './views.js';

interface MessageDetail extends MessageView {
  causedBy?: MessageView | null;
  caused?: MessageView[];
  order?: { id: string; number: string | null; status: string } | null;
}

async function searchView(ctx: PageContext): Promise<Node> {
  const q = ctx.search.get('q') ?? '';
  const status = ctx.search.get('status') ?? '';
  const results = q || status ? await api<{ data: MessageView[] }>(`/v1/messages${query({ q, status, limit: 100 })}`) : undefined;
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(form);
        ctx.navigate(`/messages${query({ q: String(data.get('q') ?? ''), status: String(data.get('status') ?? '') })}`);
      },
    },
    h('label', {}, 'Order number, SKU, correlation id or message id', h('input', { name: 'q', value: q, placeholder: '#1001 or TEE-RED-M' })),
    h('label', {}, 'Status', h('select', { name: 'status' }, ['', 'pending', 'leased', 'done', 'dead'].map((s) => h('option', { value: s }, s ? words(s) : 'any')))),
    h('button', { type: 'submit' }, 'Search'),
  );
  (form.querySelector('select') as HTMLSelectElement).value = status;
  return h('div', {}, h('h1', {}, 'Flows and messages'), h('p', { class: 'muted' }, 'Every step of every flow is a message. Find the ones behind an order, a SKU or a correlation id, and open one to see its full history.'), form, results ? messageTable(results.data) : null);
}

async function detailView(id: string): Promise<Node> {
  const message = await api<MessageDetail>(`/v1/messages/${encodeURIComponent(id)}`);
  const summary: [string, Node | string][] = [
    ['Type', message.type],
    ['Flow', message.flow ?? '—'],
    ['Status', statusBadge(message.status)],
    ['Reason', message.reason ?? '—'],
    ['Subject', message.subject ?? '—'],
    ['Lane', message.lane],
    ['Correlation id', link(`/messages${query({ q: message.correlationId })}`, message.correlationId)],
    ['Created', dateTime(message.createdAt)],
    ['Attempts', String(message.attempts)],
  ];
  if (message.order) summary.push(['Order', link(`/orders/${encodeURIComponent(message.order.id)}`, `${message.order.number ?? message.order.id} (${words(message.order.status)})`)]);
  return h(
    'div',
    {},
    h('p', {}, link('/messages', '← Search')),
    h('h1', {}, `Message ${message.type}`),
    message.status === 'dead' ? h('p', {}, link(`/dead-letters/${encodeURIComponent(message.id)}`, 'This message is a dead letter: inspect, fix and replay it →')) : null,
    h('div', { class: 'grid2' },
      h('div', { class: 'panel', data: { testid: 'message-summary' } }, table([{ title: 'Field', cell: (r: [string, Node | string]) => r[0] }, { title: 'Value', cell: (r) => r[1] }], summary)),
      h('div', { class: 'panel' }, h('h2', {}, 'Payload'), json(message.payload), message.lastError ? [h('h2', {}, 'Last error'), json(message.lastError)] : null),
    ),
    h('h2', {}, 'History'),
    messageHistory(message),
    h('h2', {}, 'Caused by'),
    message.causedBy ? messageTable([message.causedBy], 'caused-by') : h('p', { class: 'muted' }, 'Nothing: this message started its flow.'),
    h('h2', {}, 'Caused'),
    messageTable(message.caused ?? [], 'caused'),
  );
}

/** Flows and messages: search by order number, SKU or correlation id; one message's full history and lineage. */
export const messagesPage: Page = {
  title: 'Flows and messages',
  render: (ctx) => (ctx.params[0] ? detailView(ctx.params[0]) : searchView(ctx)),
};
