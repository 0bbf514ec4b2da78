import { z } from 'zod';
import { decText } from './decimal.js';
import type { DocumentStore } from './store.js';
import { updateChildQtyRate } from './update-items.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

/**
 * An edit a person makes in ERPNext's desk (`POST /_sandbox/desk`), as that user: "Update Items" on
 * a submitted Sales Order (new quantity or rate per item code), a save of changed fields, a
 * cancel, or an amend of a cancelled document (its copy with `changes` applied, `amended_from` set,
 * submitted unless `changes` says docstatus 0). The same validations as the API apply, and webhooks
 * fire as for any change.
 */
export const DeskEdit = z.object({
  user: z.string().min(1).default('accounts@retailer.example'),
  doctype: z.string().min(1),
  name: z.string().min(1),
  action: z.enum(['update-items', 'save', 'cancel', 'amend']),
  items: z.array(z.object({ item_code: z.string().min(1), qty: z.number().nonnegative().optional(), rate: z.number().nonnegative().optional() })).optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
});
export type DeskEdit = z.infer<typeof DeskEdit>;

function updateItems(store: DocumentStore, edit: DeskEdit): void {
  const order = store.require(edit.doctype, edit.name);
  const transItems = rowsOf(order, 'items').map((row) => {
    const change = edit.items?.find((i) => i.item_code === textOf(row, 'item_code'));
    return {
      docname: row.name,
      item_code: textOf(row, 'item_code'),
      qty: change?.qty ?? decText(decOf(row, 'qty')),
      rate: change?.rate ?? decText(decOf(row, 'rate')),
    };
  });
  updateChildQtyRate(store, { parent_doctype: edit.doctype, parent_doctype_name: edit.name, child_docname: 'items', trans_items: JSON.stringify(transItems) });
  store.touch(store.require(edit.doctype, edit.name), 'on_update');
}

const notCopied = new Set(['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'doctype', 'parent', 'parentfield', 'parenttype', 'amended_from']);

function copyOf(values: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (notCopied.has(key)) continue;
    copy[key] = Array.isArray(value) ? value.map((row) => (row && typeof row === 'object' ? copyOf(row as Record<string, unknown>) : row)) : value;
  }
  return copy;
}

/** The desk's Amend of a cancelled document: a copy (as the wire shows it) with the person's changes, named `<original>-1`. */
function amend(store: DocumentStore, edit: DeskEdit): Doc {
  const original = store.require(edit.doctype, edit.name);
  const copy = copyOf(store.wire(original));
  return store.insert(edit.doctype, { ...copy, docstatus: 1, ...edit.changes, amended_from: edit.name });
}

/** Applies a person's edit as that user (modified_by), answering the document as it is afterwards (for an amend, the amendment). */
export function applyDeskEdit(store: DocumentStore, edit: DeskEdit): Doc {
  const apiUser = store.options.user;
  store.options.user = edit.user;
  try {
    switch (edit.action) {
      case 'update-items':
        updateItems(store, edit);
        break;
      case 'save':
        store.update(edit.doctype, edit.name, edit.changes ?? {});
        break;
      case 'cancel':
        store.cancel(edit.doctype, edit.name);
        break;
      case 'amend':
        return amend(store, edit);
    }
    return store.require(edit.doctype, edit.name);
  } finally {
    store.options.user = apiUser;
  }
}
