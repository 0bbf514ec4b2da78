import { parse as losslessParse } from 'lossless-json';
import { cint, parseDec } from './decimal.js';
import { frappeThrow } from './errors.js';
import { childFields, isDecimal, standardFields, type DocTypeMeta } from './meta.js';
import { coerce, rowsOf, toWire, type Doc } from './values.js';

/** `GET /api/resource/{doctype}` query parameters. */
export interface ListQuery {
  fields?: string;
  filters?: string;
  order_by?: string;
  limit_start?: string;
  limit_page_length?: string;
  limit?: string;
}

interface Condition {
  doctype: string;
  field: string;
  operator: string;
  value: unknown;
}

const operators = new Set(['=', '!=', '>', '<', '>=', '<=', 'like', 'not like', 'in', 'not in', 'is', 'between']);

function parseJsonParam(text: string | undefined, what: string): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return losslessParse(text, null, (value) => value);
  } catch {
    return frappeThrow('ValidationError', `Invalid ${what}: ${text}`);
  }
}

function conditionsOf(doctype: string, raw: unknown): Condition[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    return raw.map((item) => {
      if (!Array.isArray(item) || item.length < 3) frappeThrow('ValidationError', `Invalid filter: ${JSON.stringify(item)}`);
      const [a, b, c, d] = item as unknown[];
      return item.length >= 4 ? { doctype: String(a), field: String(b), operator: String(c).toLowerCase(), value: d } : { doctype, field: String(a), operator: String(b).toLowerCase(), value: c };
    });
  }
  if (typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(([field, value]) =>
      Array.isArray(value) ? { doctype, field, operator: String(value[0]).toLowerCase(), value: value[1] } : { doctype, field, operator: '=', value },
    );
  }
  return frappeThrow('ValidationError', 'filters must be a list or an object');
}

function known(meta: DocTypeMeta, field: string): boolean {
  return standardFields.includes(field) || (meta.isChild === true && childFields.includes(field)) || meta.fields.some((f) => f.fieldname === field && f.fieldtype !== 'Table');
}

function notPermitted(field: string): never {
  return frappeThrow('DataError', `Field not permitted in query: ${field}`);
}

function compare(a: unknown, b: unknown, decimal: boolean): number {
  if (decimal) {
    const x = typeof a === 'bigint' ? a : (parseDec(a) ?? 0n);
    const y = typeof b === 'bigint' ? b : (parseDec(b) ?? 0n);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' || typeof b === 'number') return cint(a) - cint(b);
  const x = a === undefined || a === null ? '' : String(a);
  const y = b === undefined || b === null ? '' : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function scalar(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'value' in value && typeof (value as { value: unknown }).value === 'string' ? (value as { value: string }).value : value;
}

function matches(doc: Doc, meta: DocTypeMeta, condition: Condition): boolean {
  const field = meta.fields.find((f) => f.fieldname === condition.field);
  const decimal = field ? isDecimal(field.fieldtype) : false;
  const actual = doc[condition.field];
  const value = scalar(condition.value);
  const target = field && !Array.isArray(value) && value !== undefined && value !== null && !['like', 'not like', 'is'].includes(condition.operator) ? coerce(value, field) : value;
  switch (condition.operator) {
    case '=':
      return compare(actual, target, decimal) === 0;
    case '!=':
      return compare(actual, target, decimal) !== 0;
    case '>':
      return compare(actual, target, decimal) > 0;
    case '<':
      return compare(actual, target, decimal) < 0;
    case '>=':
      return compare(actual, target, decimal) >= 0;
    case '<=':
      return compare(actual, target, decimal) <= 0;
    case 'like':
      return likeToRegExp(String(value)).test(String(actual ?? ''));
    case 'not like':
      return !likeToRegExp(String(value)).test(String(actual ?? ''));
    case 'in':
    case 'not in': {
      const list = (Array.isArray(value) ? value : String(value).split(',')).map((v) => String(scalar(v)).trim());
      const found = list.some((v) => compare(actual, field ? coerce(v, field) : v, decimal) === 0);
      return condition.operator === 'in' ? found : !found;
    }
    case 'is': {
      const set = actual !== undefined && actual !== null && actual !== '';
      return String(value) === 'set' ? set : !set;
    }
    case 'between': {
      const [low, high] = Array.isArray(value) ? value.map(scalar) : [];
      return compare(actual, field ? coerce(low, field) : low, decimal) >= 0 && compare(actual, field ? coerce(high, field) : high, decimal) <= 0;
    }
    default:
      return false;
  }
}

function orderOf(meta: DocTypeMeta, orderBy: string | undefined): { field: string; desc: boolean }[] {
  const text = !orderBy || orderBy === 'KEEP_DEFAULT_ORDERING' ? 'modified desc' : orderBy;
  return text.split(',').map((part) => {
    const [rawField = '', direction = 'asc'] = part.trim().split(/\s+/);
    const field = rawField.replace(/^`?tab[^`]*`?\./, '').replace(/`/g, '');
    if (!known(meta, field)) notPermitted(field);
    return { field, desc: direction.toLowerCase() === 'desc' };
  });
}

/**
 * Evaluates a `frappe.client.get_list` query over documents: `fields` (JSON list, default
 * ["name"], "*" for all), `filters` (list of [field, op, value] / [doctype, field, op, value], or an
 * object), `order_by`, `limit_start`, `limit_page_length` (or `limit`; 0 = all).
 */
export function runList(
  meta: DocTypeMeta,
  docs: readonly Doc[],
  sequence: (doc: Doc) => number,
  query: ListQuery,
  metas: ReadonlyMap<string, DocTypeMeta>,
): Record<string, unknown>[] {
  const fieldsParam = parseJsonParam(query.fields, 'fields');
  const requested = fieldsParam === undefined ? ['name'] : Array.isArray(fieldsParam) ? fieldsParam.map(String) : [String(fieldsParam)];
  const fields = requested.flatMap((f) => {
    const name = f.trim().replace(/^`?tab[^`]*`?\./, '').replace(/`/g, '');
    if (name === '*') return [...standardFields.filter((f) => f !== 'doctype'), ...meta.fields.filter((d) => d.fieldtype !== 'Table').map((d) => d.fieldname)];
    if (!known(meta, name)) notPermitted(name);
    return [name];
  });
  const conditions = conditionsOf(meta.name, parseJsonParam(query.filters, 'filters'));
  const tables = meta.fields.filter((f) => f.fieldtype === 'Table');
  for (const condition of conditions) {
    if (!operators.has(condition.operator)) frappeThrow('ValidationError', `Operator must be one of ${[...operators].join(', ')}`);
    const childTable = condition.doctype !== meta.name ? tables.find((t) => t.options === condition.doctype) : undefined;
    if (condition.doctype !== meta.name && !childTable) frappeThrow('DataError', `Field not permitted in query: ${condition.doctype}.${condition.field}`);
    const target = childTable ? metas.get(condition.doctype) : meta;
    if (!target || !known(target, condition.field)) notPermitted(condition.field);
  }
  const selected = docs.filter((doc) =>
    conditions.every((condition) => {
      if (condition.doctype === meta.name) return matches(doc, meta, condition);
      const table = tables.find((t) => t.options === condition.doctype);
      const childMeta = metas.get(condition.doctype);
      return table !== undefined && childMeta !== undefined && rowsOf(doc, table.fieldname).some((row) => matches(row, childMeta, condition));
    }),
  );
  const order = orderOf(meta, query.order_by);
  selected.sort((a, b) => {
    for (const { field, desc } of order) {
      const def = meta.fields.find((f) => f.fieldname === field);
      const c = compare(a[field], b[field], def ? isDecimal(def.fieldtype) : false);
      if (c !== 0) return desc ? -c : c;
    }
    return order[0]?.desc ? sequence(b) - sequence(a) : sequence(a) - sequence(b);
  });
  const start = Math.max(0, cint(query.limit_start));
  const length = cint(query.limit ?? query.limit_page_length ?? 20);
  const page = length > 0 ? selected.slice(start, start + length) : selected.slice(start);
  return page.map((doc) => toWire(doc, metas, fields));
}
