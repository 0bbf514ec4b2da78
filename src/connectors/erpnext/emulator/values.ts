import { LosslessNumber } from 'lossless-json';
import { cint, parseDec, pyFloat, type Dec } from './decimal.js';
import { frappeThrow } from './errors.js';
import { childFields, isDecimal, standardFields, type DocTypeMeta, type FieldDef } from './meta.js';

/** A stored document or child row: field values by name (decimals as {@link Dec}, tables as rows). */
export type Doc = Record<string, unknown> & { name: string; doctype: string; docstatus: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/;

/** A date field's value as YYYY-MM-DD, or a ValidationError. */
function dateOf(value: unknown, field: FieldDef): string {
  const match = typeof value === 'string' ? DATE.exec(value.trim()) : null;
  if (!match) frappeThrow('ValidationError', `${field.label}: ${String(value)} is not a valid date (yyyy-mm-dd)`);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** Coerces a submitted value to the field's type, as Frappe's setters and _fix_numeric_types do. */
export function coerce(value: unknown, field: FieldDef): unknown {
  if (value === null || value === undefined || value === '') return field.fieldtype === 'Table' ? [] : undefined;
  switch (field.fieldtype) {
    case 'Int':
    case 'Check':
      return cint(value);
    case 'Float':
    case 'Currency':
    case 'Percent':
      return typeof value === 'bigint' ? value : (parseDec(value) ?? 0n);
    case 'Date':
      return dateOf(value, field);
    case 'Table':
      return Array.isArray(value) ? value : [];
    default:
      return typeof value === 'string' ? value : typeof value === 'object' && value !== null && 'value' in value ? String((value as { value: unknown }).value) : String(value);
  }
}

/** A field's value when none was given. */
export function defaultOf(field: FieldDef): unknown {
  if (field.default !== undefined) return coerce(field.default, field);
  if (isDecimal(field.fieldtype)) return 0n;
  if (field.fieldtype === 'Int' || field.fieldtype === 'Check') return 0;
  if (field.fieldtype === 'Table') return [];
  return undefined;
}

/** Builds a document (or row) of `meta` from submitted values: unknown keys are dropped, as Frappe drops them. */
export function buildDoc(meta: DocTypeMeta, input: Record<string, unknown>, metas: ReadonlyMap<string, DocTypeMeta>, givenFields?: Set<string>): Doc {
  const doc: Doc = { name: typeof input['name'] === 'string' ? input['name'] : '', doctype: meta.name, docstatus: cint(input['docstatus']) };
  for (const field of meta.fields) {
    const raw = input[field.fieldname];
    const given = raw !== undefined && raw !== null && raw !== '';
    if (given) givenFields?.add(field.fieldname);
    if (field.fieldtype === 'Table') {
      const child = metas.get(field.options ?? '');
      const rows = Array.isArray(raw) ? raw : [];
      doc[field.fieldname] = child
        ? rows.map((row, index) => {
            const built = buildDoc(child, (row ?? {}) as Record<string, unknown>, metas);
            built['idx'] = index + 1;
            built['parentfield'] = field.fieldname;
            built['parenttype'] = meta.name;
            return built;
          })
        : [];
      continue;
    }
    doc[field.fieldname] = given ? coerce(raw, field) : defaultOf(field);
  }
  return doc;
}

/** The rows of a table field. */
export function rowsOf(doc: Doc, fieldname: string): Doc[] {
  const rows = doc[fieldname];
  return Array.isArray(rows) ? (rows as Doc[]) : [];
}

/** A decimal field's value (0 when unset). */
export function decOf(doc: Doc, fieldname: string): Dec {
  const value = doc[fieldname];
  return typeof value === 'bigint' ? value : 0n;
}

/** A text field's value ('' when unset). */
export function textOf(doc: Doc, fieldname: string): string {
  const value = doc[fieldname];
  return typeof value === 'string' ? value : '';
}

function wireValue(value: unknown, field: FieldDef | undefined): unknown {
  if (typeof value === 'bigint') return new LosslessNumber(pyFloat(value));
  if (value === undefined) return field && (field.fieldtype === 'Int' || field.fieldtype === 'Check') ? 0 : null;
  return value;
}

/** A document as Frappe's `as_dict()` answers it: standard fields, every field (null when empty), child rows. */
export function toWire(doc: Doc, metas: ReadonlyMap<string, DocTypeMeta>, only?: readonly string[]): Record<string, unknown> {
  const meta = metas.get(doc.doctype);
  const out: Record<string, unknown> = {};
  const isChild = meta?.isChild === true;
  const keys = only ?? [...standardFields.filter((f) => f !== 'doctype'), ...(isChild ? childFields : []), ...(meta?.fields.map((f) => f.fieldname) ?? []), 'doctype'];
  for (const key of keys) {
    const field = meta?.fields.find((f) => f.fieldname === key);
    if (field?.fieldtype === 'Table') {
      if (only) continue;
      out[key] = rowsOf(doc, key).map((row) => toWire(row, metas));
      continue;
    }
    out[key] = wireValue(doc[key], field);
  }
  return out;
}
