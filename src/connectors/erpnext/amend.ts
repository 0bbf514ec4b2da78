import { isLostInFlight, type FrappeDoc, type FrappeResources } from './resources.js';

/** Fields Frappe sets itself on every document and row: never copied into an amendment. */
const systemFields = new Set(['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'doctype', 'parent', 'parentfield', 'parenttype', 'amended_from']);
/** Status fields a document computes from what happened to it (no_copy in ERPNext). */
const statusFields = new Set(['status', 'per_delivered', 'per_billed', 'delivery_status', 'billing_status', 'delivered_qty', 'billed_amt', 'returned_qty']);

function copyOf(values: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (systemFields.has(key) || statusFields.has(key)) continue;
    copy[key] = Array.isArray(value) ? value.map((row) => (row && typeof row === 'object' ? copyOf(row as Record<string, unknown>) : row)) : value;
  }
  return copy;
}

/**
 * Amends a cancelled document as the desk's Amend button does: a copy of it (system and status
 * fields left out) with `amended_from`, which ERPNext names `<original>-1`, submitted on insert.
 * `clear` names fields left empty on the copy: a field marked Unique (the hub reference on most
 * sites) cannot repeat the cancelled document's value, which the database still holds. Looked up
 * before it is created (by `amended_from`), so a retry answers the amendment made before instead
 * of making a second one.
 */
export async function amendDoc(resources: FrappeResources, doctype: string, name: string, options: { clear?: readonly string[]; signal?: AbortSignal | undefined } = {}): Promise<FrappeDoc> {
  const { signal } = options;
  const find = async () => {
    const found = (await resources.listDocs(doctype, { filters: [['amended_from', '=', name]], fields: ['name', 'docstatus'], limit: 0, orderBy: 'creation asc', ...(signal ? { signal } : {}) })).filter((d) => d['docstatus'] !== 2);
    return found[0] ? resources.getDoc(doctype, found[0].name, signal) : undefined;
  };
  const existing = await find();
  if (existing) return existing;
  const original = await resources.getDoc(doctype, name, signal);
  const body: Record<string, unknown> = { ...copyOf(original), amended_from: name, docstatus: 1 };
  for (const field of options.clear ?? []) body[field] = null;
  try {
    return await resources.insertDoc(doctype, body, signal);
  } catch (error) {
    // The insert may have landed before its answer was lost: look before reporting the failure.
    if (!isLostInFlight(error)) throw error;
    const found = await find();
    if (found) return found;
    throw error;
  }
}
