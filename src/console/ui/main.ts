import { api, ApiError, useSession } from './api.js';
import { errorBox, h } from './dom.js';
import type { LiveSummary, Page, PageContext } from './page.js';
import { overviewPage } from './page-overview.js';
import { messagesPage } from './page-messages.js';
import { deadLettersPage } from './page-dead-letters.js';
import { ordersPage } from './page-orders.js';
import { slasPage } from './page-slas.js';
import { connectionsPage } from './page-connections.js';
import { reconciliationPage } from './page-reconciliation.js';
import { settlementsPage } from './page-settlements.js';
import { signInView } from './sign-in.js';

interface SessionView {
  principal: { id: string; name: string; kind: string; scopes: string[] };
  csrfToken: string;
}

const pages: { path: string; label: string; page: Page; counts?: string[] }[] = [
  { path: '', label: 'Overview', page: overviewPage, counts: ['openAlerts'] },
  { path: 'orders', label: 'Orders', page: ordersPage, counts: ['stuckOrders', 'ordersOnHold'] },
  { path: 'messages', label: 'Flows & messages', page: messagesPage },
  { path: 'dead-letters', label: 'Dead letters', page: deadLettersPage, counts: ['deadLetters'] },
  { path: 'slas', label: 'Business SLAs', page: slasPage },
  { path: 'connections', label: 'Connections', page: connectionsPage },
  { path: 'reconciliation', label: 'Reconciliation', page: reconciliationPage, counts: ['openDrift'] },
  { path: 'settlements', label: 'Settlements', page: settlementsPage, counts: ['unmatchedSettlementLines'] },
];

const root = document.getElementById('app') as HTMLElement;
let live: LiveSummary | undefined;
let liveListeners: ((summary: LiveSummary, previous: LiveSummary | undefined) => void)[] = [];
let stream: EventSource | undefined;

function currentPath(): string {
  return location.pathname.replace(/^\/console\/?/, '').replace(/\/$/, '');
}

function navigate(path: string): void {
  history.pushState(null, '', `/console${path.startsWith('/') ? path : `/${path}`}`);
  void render();
}

function sideNav(session: SessionView): HTMLElement {
  const path = currentPath();
  const section = path.split('/')[0] ?? '';
  return h(
    'nav',
    { class: 'side', aria: { label: 'Console sections' } },
    h('div', { class: 'brand' }, 'Tillbridge'),
    pages.map((p) => {
      const total = (p.counts ?? []).reduce((sum, key) => sum + (live?.[key] ?? 0), 0);
      return h('a', { href: `/console/${p.path}`, class: p.path === section ? 'active' : '', data: { link: '', nav: p.path || 'overview' } }, h('span', {}, p.label), total > 0 ? h('span', { class: 'count' }, String(total)) : null);
    }),
    h('div', { class: 'live', id: 'live-status' }, live ? 'Live' : 'Connecting…'),
    h(
      'div',
      { class: 'who' },
      h('div', {}, `Signed in as ${session.principal.name}`),
      h('button', { class: 'secondary', type: 'button', onclick: () => void signOut() }, 'Sign out'),
    ),
  );
}

async function signOut(): Promise<void> {
  await api('/console/session', { method: 'DELETE' }).catch(() => undefined);
  stream?.close();
  stream = undefined;
  showSignIn();
}

function showSignIn(): void {
  stream?.close();
  stream = undefined;
  root.replaceChildren(signInView(() => void start()));
}

function openStream(): void {
  if (stream) return;
  stream = new EventSource('/v1/ops/stream');
  stream.addEventListener('summary', (event) => {
    const previous = live;
    const summary = JSON.parse((event as MessageEvent<string>).data) as LiveSummary;
    live = summary;
    const status = document.getElementById('live-status');
    if (status) status.textContent = `Live · updated ${new Date().toLocaleTimeString()}`;
    for (const item of pages) {
      const anchor = document.querySelector(`nav.side a[data-nav="${item.path || 'overview'}"]`);
      if (!anchor || !item.counts) continue;
      const total = item.counts.reduce((sum, key) => sum + (summary[key] ?? 0), 0);
      anchor.querySelector('.count')?.remove();
      if (total > 0) anchor.appendChild(h('span', { class: 'count' }, String(total)));
    }
    for (const listener of liveListeners) listener(summary, previous);
  });
}

let session: SessionView | undefined;
let rendering = 0;

async function render(): Promise<void> {
  if (!session) return;
  const ticket = ++rendering;
  liveListeners = [];
  const path = currentPath();
  const [section = '', ...params] = path.split('/');
  const entry = pages.find((p) => p.path === section) ?? pages[0]!;
  const main = h('main', {}, h('p', { class: 'muted' }, 'Loading…'));
  root.replaceChildren(h('div', { class: 'layout' }, sideNav(session), main));
  document.title = `${entry.label} · Tillbridge console`;
  const ctx: PageContext = {
    params: params.map(decodeURIComponent),
    search: new URLSearchParams(location.search),
    navigate,
    refresh: () => void render(),
    onLive: (listener) => liveListeners.push(listener),
  };
  try {
    const content = await entry.page.render(ctx);
    if (ticket === rendering) main.replaceChildren(content);
  } catch (error) {
    if (ticket !== rendering) return;
    if (error instanceof ApiError && error.status === 401) return showSignIn();
    main.replaceChildren(h('h1', {}, entry.page.title), errorBox(error instanceof ApiError ? error.describe() : String(error)));
  }
}

async function start(): Promise<void> {
  try {
    session = await api<SessionView>('/console/session');
  } catch {
    session = undefined;
    return showSignIn();
  }
  useSession(session.csrfToken, showSignIn);
  openStream();
  await render();
}

document.addEventListener('click', (event) => {
  const anchor = (event.target as Element | null)?.closest('a[data-link]');
  if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || (event as MouseEvent).button !== 0) return;
  event.preventDefault();
  navigate((anchor.getAttribute('href') ?? '/console').replace(/^\/console/, ''));
});
window.addEventListener('popstate', () => void render());
void start();
