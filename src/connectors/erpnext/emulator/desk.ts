import { z } from 'zod';
import { decText } from './decimal.js';
import type { DocumentStore } from './store.js';
import { updateChildQtyRate } from './update-items.js';
import { decOf, rowsOf, textOf, type Doc } from './values.js';

/**
 * An edit a person makes in ERPNext's desk (`POST /_sandbox/desk`), as that user: "Update Items" on
 * a submitted Sales Order (new quantity or rate per item code), a save of changed fields, or a
 * cancel. The same validations as the API apply, and webhooks fire as for any change.
 */
export const DeskEdit = z.object({
  user: z.string().min(1).default('accounts@retailer.example'),
  doctype: z.string().min(1),
  name: z.string().min(1),
  action: z.enum(['update-items', 'save', 'cancel']),
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

/** Applies a person's edit as that user (modified_by), answering the document as it is afterwards. */
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
    }
    return store.require(edit.doctype, edit.name);
  } finally {
    store.options.user = apiUser;
  }
}
