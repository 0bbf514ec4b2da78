import { api } from './api.js';
import { badge, h, link, table } from './dom.js';
import { dateTime, money, words } from './format.js';
import { changed, type Page, type PageContext } from './page.js';

interface Payout { id: string; provider: string; connection: string; reference: string; currency: string; amount: number; status: string; arrivalDate: string | null; linesState: string; matched: number; unmatched: number; createdAt: string }
interface Unmatched { payoutId: string; payoutReference: string; provider: string; lineId: string; kind: string; reference: string; gross: number; fee: number; net: number; currency: string; reason: string | null; attempts: number; firstSeenAt: string }
interface Explanation {
  payout: Payout;
  lines: { id: string; kind: string; reference: string; gross: number; fee: number; net: number; currency: string; match: { status: string; reason: string | null } | null; order: { id: string; number: string | null } | null }[];
}

async function listView(ctx: PageContext): Promise<Node> {
  const [payouts, unmatched] = await Promise.all([api<{ data: Payout[] }>('/v1/payouts?limit=50'), api<{ data: Unmatched[] }>('/v1/settlements/unmatched?limit=200')]);
  ctx.onLive((summary, previous) => {
    if (changed(summary, previous, ['unmatchedSettlementLines'])) ctx.refresh();
  });
  return h(
    'div',
    {},
    h('h1', {}, 'Settlements'),
    h('p', { class: 'muted' }, 'Money paid out by payment providers, matched line by line to orders, refunds and fees.'),
    h('h2', {}, `Unmatched items (${unmatched.data.length})`),
    table([
      { title: 'Payout', cell: (u: Unmatched) => link(`/settlements/${encodeURIComponent(u.payoutId)}`, `${u.provider} ${u.payoutReference}`) },
      { title: 'Item', cell: (u) => `${words(u.kind)} ${u.reference}` },
      { title: 'Gross', cell: (u) => money(u.gross, u.currency), num: true },
      { title: 'Fee', cell: (u) => money(u.fee, u.currency), num: true },
      { title: 'Net', cell: (u) => money(u.net, u.currency), num: true },
      { title: 'Why unmatched', cell: (u) => words(u.reason) },
      { title: 'Waiting since', cell: (u) => dateTime(u.firstSeenAt) },
    ], unmatched.data, { empty: 'Every settlement line is matched.', rowClass: () => 'warn', testId: 'unmatched' }),
    h('h2', {}, 'Payouts'),
    table([
      { title: 'Payout', cell: (p: Payout) => link(`/settlements/${encodeURIComponent(p.id)}`, `${p.provider} ${p.reference}`) },
      { title: 'Amount', cell: (p) => money(p.amount, p.currency), num: true },
      { title: 'Status', cell: (p) => words(p.status) },
      { title: 'Arrives', cell: (p) => p.arrivalDate ?? '—' },
      { title: 'Lines', cell: (p) => (p.unmatched > 0 ? badge(`${p.matched} matched, ${p.unmatched} unmatched`, 'warn') : badge(`${p.matched} matched`, 'ok')) },
    ], payouts.data, { empty: 'No payouts yet.', testId: 'payouts' }),
  );
}

async function explainView(id: string): Promise<Node> {
  const explanation = await api<Explanation>(`/v1/payouts/${encodeURIComponent(id)}/explain`);
  const p = explanation.payout;
  return h(
    'div',
    {},
    h('p', {}, link('/settlements', '← Settlements')),
    h('h1', {}, `Payout ${p.reference}: ${money(p.amount, p.currency)}`),
    h('p', { class: 'muted' }, `${p.provider} via ${p.connection}, ${words(p.status)}${p.arrivalDate ? `, arriving ${p.arrivalDate}` : ''}.`),
    table([
      { title: 'Line', cell: (l: Explanation['lines'][number]) => `${words(l.kind)} ${l.reference}` },
      { title: 'Order', cell: (l) => (l.order ? link(`/orders/${encodeURIComponent(l.order.id)}`, l.order.number ?? l.order.id) : '—') },
      { title: 'Gross', cell: (l) => money(l.gross, l.currency), num: true },
      { title: 'Fee', cell: (l) => money(l.fee, l.currency), num: true },
      { title: 'Net', cell: (l) => money(l.net, l.currency), num: true },
      { title: 'Match', cell: (l) => (l.match ? (l.match.status === 'matched' ? badge('matched', 'ok') : badge(words(l.match.reason ?? 'unmatched'), 'warn')) : '—') },
    ], explanation.lines, { testId: 'payout-lines' }),
  );
}

/** Settlements: payouts, their lines matched to orders, and the unmatched queue with reasons. */
export const settlementsPage: Page = {
  title: 'Settlements',
  render: (ctx) => (ctx.params[0] ? explainView(ctx.params[0]) : listView(ctx)),
};
