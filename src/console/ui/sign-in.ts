import { api, ApiError } from './api.js';
import { errorBox, h } from './dom.js';

/** The sign-in form: an API key, or an OAuth client's id and secret. */
export function signInView(onSignedIn: () => void): HTMLElement {
  let mode: 'key' | 'client' = 'key';
  const message = h('div', {});
  const keyField = h('label', {}, 'API key', h('input', { name: 'apiKey', type: 'password', autocomplete: 'off', placeholder: 'tb_…', required: true }));
  const clientFields = h(
    'div',
    { class: 'client-fields' },
    h('label', {}, 'Client id', h('input', { name: 'clientId', autocomplete: 'off' })),
    h('label', {}, 'Client secret', h('input', { name: 'clientSecret', type: 'password', autocomplete: 'off' })),
  );
  clientFields.hidden = true;
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const body = mode === 'key' ? { apiKey: String(data.get('apiKey') ?? '') } : { clientId: String(data.get('clientId') ?? ''), clientSecret: String(data.get('clientSecret') ?? '') };
        api('/console/session', { method: 'POST', body })
          .then(onSignedIn)
          .catch((error: unknown) => message.replaceChildren(errorBox(error instanceof ApiError ? error.message : 'Sign-in failed')));
      },
    },
    keyField,
    clientFields,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  const tab = (label: string, which: 'key' | 'client') =>
    h('button', {
      type: 'button',
      class: which === mode ? 'active' : '',
      onclick: (event) => {
        mode = which;
        keyField.hidden = which !== 'key';
        clientFields.hidden = which !== 'client';
        (keyField.querySelector('input') as HTMLInputElement).required = which === 'key';
        for (const b of tabs.querySelectorAll('button')) b.classList.toggle('active', b === event.currentTarget);
      },
    }, label);
  const tabs = h('div', { class: 'tabs' }, tab('API key', 'key'), tab('OAuth client', 'client'));
  return h('div', { class: 'signin' }, h('h1', {}, 'Tillbridge console'), h('p', { class: 'muted' }, 'Sign in with an API key or an OAuth client to watch and fix the flows between your systems.'), tabs, form, message);
}
