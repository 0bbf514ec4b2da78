/** Something that can be put inside an element: text is always inserted as text, never as HTML. */
export type Child = Node | string | number | null | undefined | false | Child[];

type Props = {
  class?: string;
  href?: string;
  title?: string;
  type?: string;
  name?: string;
  value?: string;
  placeholder?: string;
  checked?: boolean;
  disabled?: boolean;
  id?: string;
  for?: string;
  autocomplete?: string;
  required?: boolean;
  rows?: number;
  data?: Record<string, string>;
  aria?: Record<string, string>;
  onclick?: (event: MouseEvent) => void;
  onsubmit?: (event: SubmitEvent) => void;
  onchange?: (event: Event) => void;
};

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) for (const c of child) append(parent, c);
  else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

/** Creates an element with properties and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'class') el.className = value as string;
    else if (key === 'data') for (const [k, v] of Object.entries(value as Record<string, string>)) el.dataset[k] = v;
    else if (key === 'aria') for (const [k, v] of Object.entries(value as Record<string, string>)) el.setAttribute(`aria-${k}`, v);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'checked' || key === 'disabled' || key === 'required') (el as unknown as Record<string, boolean>)[key] = value as boolean;
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** A link inside the console (navigates without reloading the page). */
export function link(path: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href: `/console${path}`, data: { link: '' } }, ...children);
}

/** A coloured badge; the word itself carries the meaning, the colour only helps. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'neutral'): HTMLSpanElement {
  return h('span', { class: `badge ${tone}` }, text);
}

/** A column of a table: its heading and how to draw a cell. */
export interface Column<T> {
  title: string;
  cell: (row: T) => Child;
  num?: boolean;
}

/** A table of rows; `rowClass` can mark rows (breach, bad, warn). */
export function table<T>(columns: Column<T>[], rows: T[], options: { rowClass?: (row: T) => string | undefined; empty?: string; testId?: string } = {}): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted', ...(options.testId ? { data: { testid: options.testId } } : {}) }, options.empty ?? 'Nothing here.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      options.testId ? { data: { testid: options.testId } } : {},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', c.num ? { class: 'num' } : {}, c.title)))),
      h('tbody', {}, rows.map((row) => h('tr', { class: options.rowClass?.(row) ?? '' }, columns.map((c) => h('td', c.num ? { class: 'num' } : {}, c.cell(row)))))),
    ),
  );
}

/** A summary card with a label and a value; `tone` highlights it. */
export function card(label: string, value: Child, tone?: 'bad' | 'warn', testId?: string): HTMLElement {
  return h('div', { class: `card ${tone ?? ''}`, ...(testId ? { data: { testid: testId } } : {}) }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

/** JSON shown as text. */
export function json(value: unknown): HTMLElement {
  return h('pre', {}, JSON.stringify(value, null, 2));
}

/** An error message box. */
export function errorBox(message: string): HTMLElement {
  return h('div', { class: 'error', aria: { live: 'polite' } }, message);
}

/** A confirmation message box. */
export function notice(message: string): HTMLElement {
  return h('div', { class: 'notice', aria: { live: 'polite' } }, message);
}
