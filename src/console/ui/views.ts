import { badge, h, link, table, type Child } from './dom.js';
import { dateTime, words } from './format.js';

/** A dead letter or message as the API shows it. */
export interface MessageView {
  id: string;
  type: string;
  flow?: string;
  subject: string | null;
  lane: string;
  correlationId: string;
  causationId: string | null;
  status: string;
  reason: string | null;
  lastError?: unknown;
  attempts: number;
  createdAt: string;
  updatedAt?: string;
  deadAt?: string;
  payload?: unknown;
  history?: { attempt: number; at: string; outcome: string; errorCode: string | null; errorMessage: string | null; worker: string | null }[];
  replays?: { at: string; actor: string; note: string | null }[];
  edits?: { at: string; actor: string; note: string | null }[];
}

/** A message status as a badge. */
export function statusBadge(status: string): HTMLElement {
  const tone = status === 'done' || status === 'completed' || status === 'closed' || status === 'matched' || status === 'succeeded' ? 'ok' : status === 'dead' || status === 'failed' || status === 'open' ? 'bad' : status === 'pending' || status === 'leased' ? 'neutral' : 'warn';
  return badge(words(status), tone);
}

/** A message's attempts, replays and edits, oldest first. */
export function messageHistory(message: MessageView): HTMLElement {
  type Row = { at: string; what: Child; by: string; detail: Child };
  const rows: Row[] = [
    ...(message.history ?? []).map((a) => ({ at: a.at, what: `attempt ${a.attempt}: ${words(a.outcome)}`, by: a.worker ?? '', detail: [a.errorCode ? h('strong', {}, a.errorCode, ' ') : null, a.errorMessage ?? ''] })),
    ...(message.replays ?? []).map((r) => ({ at: r.at, what: 'replayed', by: r.actor, detail: r.note ?? '' })),
    ...(message.edits ?? []).map((e) => ({ at: e.at, what: 'payload edited', by: e.actor, detail: e.note ?? '' })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return table([
    { title: 'When', cell: (r: Row) => dateTime(r.at) },
    { title: 'What', cell: (r) => r.what },
    { title: 'Who', cell: (r) => r.by },
    { title: 'Detail', cell: (r) => r.detail },
  ], rows, { empty: 'No attempts yet.', testId: 'message-history' });
}

/** Messages in a table, each linking to its full history. */
export function messageTable(messages: MessageView[], testId = 'messages'): HTMLElement {
  return table([
    { title: 'Message', cell: (m: MessageView) => link(`/messages/${encodeURIComponent(m.id)}`, m.type) },
    { title: 'Status', cell: (m) => statusBadge(m.status) },
    { title: 'Subject', cell: (m) => m.subject ?? '' },
    { title: 'Reason', cell: (m) => m.reason ?? '' },
    { title: 'Attempts', cell: (m) => String(m.attempts), num: true },
    { title: 'Updated', cell: (m) => dateTime(m.updatedAt ?? m.deadAt ?? m.createdAt) },
  ], messages, { empty: 'No messages found.', testId });
}
