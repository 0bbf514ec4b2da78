import { frappeThrow } from './errors.js';
import type { DocTypeMeta, FieldDef } from './meta.js';

const flag = (value: boolean | undefined) => (value ? 1 : 0);

function docTypeDict(meta: DocTypeMeta): Record<string, unknown> {
  return {
    doctype: 'DocType',
    name: meta.name,
    module: meta.isChild ? 'Selling' : 'Core',
    istable: flag(meta.isChild),
    is_submittable: flag(meta.isSubmittable),
    issingle: 0,
    fields: meta.fields.map((field: FieldDef, index) => ({
      doctype: 'DocField',
      parent: meta.name,
      parentfield: 'fields',
      parenttype: 'DocType',
      idx: index + 1,
      fieldname: field.fieldname,
      label: field.label,
      fieldtype: field.fieldtype,
      ...(field.options !== undefined ? { options: field.options } : {}),
      ...(field.default !== undefined ? { default: String(field.default) } : {}),
      reqd: flag(field.reqd),
      unique: flag(field.unique),
      allow_on_submit: flag(field.allowOnSubmit),
    })),
  };
}

/**
 * What `frappe.desk.form.load.getdoctype` puts in the response's `docs` (not `message`): the
 * doctype's meta, then the meta of each of its child tables, fields with their flags (reqd,
 * unique, allow_on_submit) as 0 or 1.
 */
export function metaBundle(metas: ReadonlyMap<string, DocTypeMeta>, doctype: string): Record<string, unknown>[] {
  const meta = metas.get(doctype);
  if (!meta) return frappeThrow('DoesNotExistError', `DocType ${doctype} not found`);
  const children = meta.fields
    .filter((field) => field.fieldtype === 'Table')
    .map((field) => metas.get(field.options ?? ''))
    .filter((child): child is DocTypeMeta => child !== undefined);
  return [meta, ...children].map(docTypeDict);
}
