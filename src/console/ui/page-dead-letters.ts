import { api, ApiError, query } from './api.js';
import { errorBox, h, json, link, notice, table } from './dom.js';
import { dateTime, words } from './format.js';
import { changed, type Page, type PageContext } from './page.js';
import { messageHistory, statusBadge, type MessageView } from './views.js';
import { adviceFor } from './advice.js';

const filterNames = ['type', 'reason', 'errorCode', 'correlationId', 'subject'] as const;

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.describe() : String(error);
}

/** Waits until a replayed message is settled again (done or dead), up to ~20 s. */
async function settled(id: string): Promise<MessageView> {
  for (let i = 0; i < 80; i++) {
    const message = await api<MessageView>(`/v1/messages/${encodeURIComponent(id)}`);
    if (message.status === 'done' || message.status === 'dead') return message;
    await new Promise((r) => setTimeout(r, 250));
  }
  return api<MessageView>(`/v1/messages/${encodeURIComponent(id)}`);
}

async function listView(ctx: PageContext): Promise<Node> {
  const filter = Object.fromEntries(filterNames.map((n) => [n, ctx.search.get(n) ?? undefined]));
  const page = await api<{ data: MessageView[]; nextCursor: string | null }>(`/v1/dead-letters${query({ ...filter, limit: 100 })}`);
  ctx.onLive((summary, previous) => {
    if (changed(summary, previous, ['deadLetters'])) ctx.refresh();
  });
  const message = h('div', {});
  const selected = new Set<string>();
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(form);
        ctx.navigate(`/dead-letters${query(Object.fromEntries(filterNames.map((n) => [n, String(data.get(n) ?? '')])))}`);
      },
    },
    filterNames.map((n) => h('label', {}, words(n === 'correlationId' ? 'correlation id' : n === 'errorCode' ? 'error code' : n), h('input', { name: n, value: filter[n] ?? '' }))),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const replay = async (ids: string[], note: string) => {
    try {
      const outcomes = await Promise.all(ids.map((id) => api(`/v1/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST', body: { note } })));
      message.replaceChildren(notice(`Replayed ${outcomes.length} dead letter${outcomes.length === 1 ? '' : 's'}.`));
      setTimeout(() => ctx.refresh(), 1500);
    } catch (error) {
      message.replaceChildren(errorBox(errorText(error)));
    }
  };
  const anyFilter = Object.values(filter).some((v) => v);
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('button', { type: 'button', data: { testid: 'replay-selected' }, onclick: () => void replay([...selected], 'replayed from the console') }, 'Replay selected'),
    h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => {
        const matching = anyFilter ? { filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) } : { all: true };
        if (!confirm(anyFilter ? 'Replay every dead letter matching these filters?' : 'Replay EVERY dead letter?')) return;
        api<{ count?: number; replayed: string[] }>('/v1/dead-letters/replay', { method: 'POST', body: { ...matching, note: 'replayed from the console (all matching)' } })
          .then((r) => {
            message.replaceChildren(notice(`Replayed ${r.count ?? r.replayed.length} dead letters.`));
            setTimeout(() => ctx.refresh(), 1500);
          })
          .catch((error: unknown) => message.replaceChildren(errorBox(errorText(error))));
      },
    }, anyFilter ? 'Replay all matching' : 'Replay all'),
  );
  const rows = table([
    { title: '', cell: (m: MessageView) => h('input', { type: 'checkbox', aria: { label: `select ${m.id}` }, onchange: (e) => ((e.target as HTMLInputElement).checked ? selected.add(m.id) : selected.delete(m.id)) }) },
    { title: 'Message', cell: (m) => link(`/dead-letters/${encodeURIComponent(m.id)}`, m.type) },
    { title: 'Reason', cell: (m) => m.reason ?? '' },
    { title: 'Subject', cell: (m) => m.subject ?? '' },
    { title: 'Attempts', cell: (m) => String(m.attempts), num: true },
    { title: 'Dead since', cell: (m) => dateTime(m.deadAt) },
  ], page.data, { empty: 'No dead letters. Every message was handled.', testId: 'dead-letters' });
  return h('div', {}, h('h1', {}, 'Dead letters'), h('p', { class: 'muted' }, 'Messages that failed for good. Inspect one, fix its payload if needed, and replay it.'), form, toolbar, message, rows);
}

async function detailView(ctx: PageContext, id: string): Promise<Node> {
  const letter = await api<MessageView>(`/v1/dead-letters/${encodeURIComponent(id)}`);
  const message = h('div', { data: { testid: 'dead-letter-outcome' } });
  const editor = h('textarea', { name: 'payload', aria: { label: 'payload' }, rows: 18 }, JSON.stringify(letter.payload, null, 2));
  const note = h('input', { name: 'note', placeholder: 'why (recorded in the audit log)', value: '' });
  const save = async (): Promise<boolean> => {
    let payload: unknown;
    try {
      payload = JSON.parse(editor.value);
    } catch (error) {
      message.replaceChildren(errorBox(`The payload is not valid JSON: ${String(error)}`));
      return false;
    }
    if (JSON.stringify(payload) === JSON.stringify(letter.payload)) return true;
    try {
      await api(`/v1/dead-letters/${encodeURIComponent(id)}/payload`, { method: 'PUT', body: { payload, note: note.value || 'edited in the console' } });
      letter.payload = payload;
      message.replaceChildren(notice('Payload saved (the change is audited).'));
      return true;
    } catch (error) {
      message.replaceChildren(errorBox(errorText(error)));
      return false;
    }
  };
  const replay = async () => {
    if (!(await save())) return;
    try {
      await api(`/v1/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST', body: { note: note.value || 'replayed from the console' } });
      message.replaceChildren(notice('Replayed — waiting for the outcome…'));
      const after = await settled(id);
      message.replaceChildren(after.status === 'done' ? notice('Replayed: the message succeeded.') : errorBox(`Replayed, but it failed again: ${after.reason ?? 'unknown reason'}`));
      history.replaceState(null, '', `/console/messages/${encodeURIComponent(id)}`);
      setTimeout(() => ctx.refresh(), after.status === 'done' ? 1200 : 0);
    } catch (error) {
      message.replaceChildren(errorBox(errorText(error)));
    }
  };
  if (letter.status !== 'dead') message.replaceChildren(notice(`This message is no longer dead (status: ${words(letter.status)}).`));
  return h(
    'div',
    {},
    h('p', {}, link('/dead-letters', '← All dead letters')),
    h('h1', {}, `Dead letter: ${letter.type}`),
    letter.status === 'dead' ? h('div', { class: 'panel advice', data: { testid: 'advice' } }, h('strong', {}, 'What to do: '), adviceFor(letter.reason)) : null,
    h('div', { class: 'grid2' },
      h('div', { class: 'panel' },
        table([{ title: 'Field', cell: (r: [string, unknown]) => r[0] }, { title: 'Value', cell: (r) => (r[1] instanceof Node ? r[1] : String(r[1] ?? '—')) }], [
          ['Status', statusBadge(letter.status)],
          ['Reason', letter.reason],
          ['Subject', letter.subject],
          ['Correlation id', link(`/messages${query({ q: letter.correlationId })}`, letter.correlationId)],
          ['Attempts', letter.attempts],
          ['Dead since', dateTime(letter.deadAt)],
          ['Message id', letter.id],
        ]),
        h('h2', {}, 'Last error'), json(letter.lastError)),
      h('div', { class: 'panel' }, h('h2', {}, 'Payload'), editor, h('div', { class: 'toolbar' }, note,
        h('button', { type: 'button', class: 'secondary', onclick: () => void save() }, 'Save payload'),
        h('button', { type: 'button', data: { testid: 'replay' }, onclick: () => void replay() }, 'Save and replay')), message),
    ),
    h('h2', {}, 'History'),
    messageHistory(letter),
  );
}

/** Dead letters: filter, inspect, edit the payload (audited) and replay one or many. */
export const deadLettersPage: Page = {
  title: 'Dead letters',
  render: (ctx) => (ctx.params[0] ? detailView(ctx, ctx.params[0]) : listView(ctx)),
};
