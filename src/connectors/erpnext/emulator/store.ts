import { cint, decText } from './decimal.js';
import { bold, frappeThrow } from './errors.js';
import { isNumeric, type DocTypeMeta, type FieldDef } from './meta.js';
import { runList, type ListQuery } from './query.js';
import { buildDoc, coerce, rowsOf, textOf, toWire, type Doc } from './values.js';

/** Document events the store reports (Frappe's doc events). */
export type DocEvent = 'on_update' | 'on_submit' | 'on_cancel' | 'on_trash';

/** Business rules of one doctype: fill and check, then apply a submit or cancel (effects never throw). */
export interface DocTypeHooks {
  /** Fills defaults and fetched values, before links and mandatory fields are checked. */
  beforeValidate?(doc: Doc, store: DocumentStore): void;
  validate?(doc: Doc, store: DocumentStore): void;
  validateSubmit?(doc: Doc, store: DocumentStore): void;
  onSubmit?(doc: Doc, store: DocumentStore): void;
  validateCancel?(doc: Doc, store: DocumentStore): void;
  onCancel?(doc: Doc, store: DocumentStore): void;
  /** Runs after a new document is stored (e.g. an Item's standard rate becomes an Item Price). */
  afterInsert?(doc: Doc, store: DocumentStore): void;
}

/** What the store needs from its surroundings. */
export interface StoreOptions {
  metas: ReadonlyMap<string, DocTypeMeta>;
  hooks: ReadonlyMap<string, DocTypeHooks>;
  now: () => number;
  random: () => number;
  user: string;
  referenceField: string | null;
  uniqueReference: boolean;
  onEvent?(doctype: string, event: DocEvent, doc: Doc): void;
}

/** Frappe's datetime text in the system time zone (UTC here): "2026-11-26 10:15:00.123000". */
export function frappeNow(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/**
 * The emulator's database and document life cycle: insert (defaults, link and mandatory checks,
 * validation, naming), save, submit, cancel, delete and list, with Frappe's docstatus rules.
 */
export class DocumentStore {
  private readonly docs = new Map<string, Map<string, Doc>>();
  private readonly sequence = new WeakMap<Doc, number>();
  private readonly series = new Map<string, number>();
  private counter = 0;

  constructor(readonly options: StoreOptions) {}

  meta(doctype: string): DocTypeMeta {
    const meta = this.options.metas.get(doctype);
    if (!meta || meta.isChild) return frappeThrow('DoesNotExistError', `DocType ${doctype} not found`);
    return meta;
  }

  now(): string {
    return frappeNow(this.options.now());
  }

  today(): string {
    return this.now().slice(0, 10);
  }

  get(doctype: string, name: string): Doc | undefined {
    return this.docs.get(doctype)?.get(name);
  }

  require(doctype: string, name: string): Doc {
    this.meta(doctype);
    return this.get(doctype, name) ?? frappeThrow('DoesNotExistError', `${doctype} ${name} not found`);
  }

  all(doctype: string): Doc[] {
    return [...(this.docs.get(doctype)?.values() ?? [])];
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.docs].filter(([, docs]) => docs.size > 0).map(([doctype, docs]) => [doctype, docs.size]));
  }

  wire(doc: Doc): Record<string, unknown> {
    return toWire(doc, this.options.metas);
  }

  list(doctype: string, query: ListQuery): Record<string, unknown>[] {
    return runList(this.meta(doctype), this.all(doctype), (doc) => this.sequence.get(doc) ?? 0, query, this.options.metas);
  }

  /** Marks a document changed (modified, modified_by) and reports on_update. */
  touch(doc: Doc, event: DocEvent = 'on_update'): void {
    doc['modified'] = this.nextTimestamp(textOf(doc, 'modified'));
    doc['modified_by'] = this.options.user;
    this.options.onEvent?.(doc.doctype, event, doc);
  }

  private nextTimestamp(previous: string): string {
    const now = this.now();
    if (now > previous) return now;
    // Two writes in one millisecond still get increasing `modified` values.
    const micros = Number(previous.slice(20)) + 1;
    return `${previous.slice(0, 20)}${String(micros).padStart(6, '0')}`;
  }

  private hooks(doctype: string): DocTypeHooks {
    return this.options.hooks.get(doctype) ?? {};
  }

  private randomHash(): string {
    let out = '';
    while (out.length < 10) out += Math.floor(this.options.random() * 36).toString(36);
    return out;
  }

  private checkLinks(meta: DocTypeMeta, doc: Doc, rowLabel?: string, submittable = meta.isSubmittable === true): void {
    const missing: string[] = [];
    const cancelled: string[] = [];
    for (const field of meta.fields) {
      if (field.fieldtype === 'Table') {
        const child = this.options.metas.get(field.options ?? '');
        if (child) for (const row of rowsOf(doc, field.fieldname)) this.checkLinks(child, row, `Row #${String(row['idx'])}`, submittable);
        continue;
      }
      const value = doc[field.fieldname];
      if (typeof value !== 'string' || value === '') continue;
      const target = field.fieldtype === 'Link' ? field.options : field.fieldtype === 'Dynamic Link' ? textOf(doc, field.options ?? '') : undefined;
      if (!target) continue;
      const label = rowLabel ? `${rowLabel}: ${field.label}` : field.label;
      const linked = this.options.metas.has(target) ? this.get(target, value) : undefined;
      if (!linked) missing.push(`${label}: ${value}`);
      // An amendment links the cancelled document it replaces (Frappe ignores amended_from here).
      else if (linked.docstatus === 2 && submittable && field.fieldname !== 'amended_from') cancelled.push(`${label}: ${value}`);
    }
    if (missing.length > 0) frappeThrow('LinkValidationError', `Could not find ${missing.join(', ')}`);
    if (cancelled.length > 0) frappeThrow('CancelledLinkError', `Cannot link cancelled document: ${cancelled.join(', ')}`);
  }

  private missingMandatory(meta: DocTypeMeta, doc: Doc, parentLabel?: string): { messages: string[]; fields: string[] } {
    const messages: string[] = [];
    const fields: string[] = [];
    for (const field of meta.fields) {
      const value = doc[field.fieldname];
      if (field.fieldtype === 'Table') {
        const child = this.options.metas.get(field.options ?? '');
        if (child) {
          for (const row of rowsOf(doc, field.fieldname)) {
            const inner = this.missingMandatory(child, row, `${field.label}, Row #${String(row['idx'])}`);
            messages.push(...inner.messages);
            fields.push(...inner.fields);
          }
        }
        if (field.reqd && rowsOf(doc, field.fieldname).length === 0) {
          messages.push(`Error: Value missing for ${meta.name}: ${field.label}`);
          fields.push(field.fieldname);
        }
        continue;
      }
      if (!field.reqd) continue;
      const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
      if (!empty) continue;
      messages.push(parentLabel ? `Error: Data missing in table ${parentLabel}: ${field.label}` : `Error: Value missing for ${meta.name}: ${field.label}`);
      fields.push(field.fieldname);
    }
    return { messages, fields };
  }

  private checkSelects(meta: DocTypeMeta, doc: Doc): void {
    for (const field of meta.fields) {
      if (field.fieldtype === 'Table') {
        const child = this.options.metas.get(field.options ?? '');
        if (child) for (const row of rowsOf(doc, field.fieldname)) this.checkSelects(child, row);
        continue;
      }
      if (field.fieldtype !== 'Select' || typeof doc[field.fieldname] !== 'string') continue;
      const choices = (field.options ?? '').split('\n');
      const value = doc[field.fieldname] as string;
      if (!choices.includes(value)) {
        const allowed = choices.filter(Boolean).map((c) => `"${c}"`).join(', ');
        frappeThrow('ValidationError', `${meta.name} ${field.label} cannot be "${value}". It should be one of ${allowed}`);
      }
    }
  }

  private prepare(meta: DocTypeMeta, doc: Doc): void {
    const hooks = this.hooks(meta.name);
    hooks.beforeValidate?.(doc, this);
    this.checkLinks(meta, doc);
    const missing = this.missingMandatory(meta, doc);
    if (missing.messages.length > 0) {
      frappeThrow('MandatoryError', missing.messages, { exception: `[${meta.name}, ${doc.name}]: ${missing.fields.join(', ')}` });
    }
    this.checkSelects(meta, doc);
    hooks.validate?.(doc, this);
    const reference = this.options.referenceField;
    const value = reference ? textOf(doc, reference) : '';
    if (reference && value && this.options.uniqueReference) {
      const clash = this.all(meta.name).find((other) => other.name !== doc.name && other[reference] === value);
      if (clash) frappeThrow('UniqueValidationError', `Tillbridge Reference must be unique`, { exception: `('${meta.name}', '${doc.name}', IntegrityError(1062, "Duplicate entry '${value}' for key '${reference}'"))` });
    }
  }

  /** Frappe's amended name: `<original>-1` for the first amendment, `<original>-2` when amending an amendment. */
  private amendedName(meta: DocTypeMeta, amendedFrom: string): string {
    const original = this.require(meta.name, amendedFrom);
    if (original.docstatus !== 2) frappeThrow('ValidationError', `${meta.name} ${bold(amendedFrom)} is not cancelled: only a cancelled document can be amended`);
    if (!textOf(original, 'amended_from')) return `${amendedFrom}-1`;
    const parts = amendedFrom.split('-');
    return `${parts.slice(0, -1).join('-')}-${cint(parts.at(-1)) + 1}`;
  }

  private nameFor(meta: DocTypeMeta, doc: Doc): string {
    const amendedFrom = meta.isSubmittable ? textOf(doc, 'amended_from') : '';
    if (amendedFrom) return this.amendedName(meta, amendedFrom);
    const naming = meta.naming;
    switch (naming.by) {
      case 'series': {
        const prefix = (textOf(doc, 'naming_series') || naming.series).replace('.YYYY.', this.today().slice(0, 4)).replace(/\.#+$/, '');
        const next = (this.series.get(prefix) ?? 0) + 1;
        this.series.set(prefix, next);
        return `${prefix}${String(next).padStart(5, '0')}`;
      }
      case 'field':
        return textOf(doc, naming.field);
      case 'abbr': {
        const company = this.get('Company', textOf(doc, 'company'));
        return `${textOf(doc, naming.field)} - ${company ? textOf(company, 'abbr') : ''}`;
      }
      case 'customer-name': {
        const base = textOf(doc, 'customer_name');
        if (!this.get('Customer', base)) return base;
        const suffixes = this.all('Customer')
          .map((c) => (c.name.startsWith(`${base} - `) ? Number(c.name.slice(base.length + 3)) : 0))
          .filter((n) => Number.isInteger(n));
        return `${base} - ${Math.max(0, ...suffixes) + 1}`;
      }
      case 'hash':
        return this.randomHash();
    }
  }

  private finishRows(meta: DocTypeMeta, doc: Doc, fresh: boolean): void {
    for (const field of meta.fields) {
      if (field.fieldtype !== 'Table') continue;
      rowsOf(doc, field.fieldname).forEach((row, index) => {
        if (fresh || !row.name) row.name = this.randomHash();
        row['idx'] = index + 1;
        row['parent'] = doc.name;
        row['parentfield'] = field.fieldname;
        row['parenttype'] = meta.name;
        row.docstatus = doc.docstatus;
        row['owner'] ??= doc['owner'];
        row['creation'] ??= doc['creation'];
        row['modified'] = doc['modified'];
        row['modified_by'] = doc['modified_by'];
      });
    }
  }

  private store(doc: Doc): void {
    let byName = this.docs.get(doc.doctype);
    if (!byName) this.docs.set(doc.doctype, (byName = new Map()));
    byName.set(doc.name, doc);
    if (!this.sequence.has(doc)) this.sequence.set(doc, ++this.counter);
  }

  /** Inserts a document, submitting it too when it arrives with docstatus 1 (as Frappe does). */
  insert(doctype: string, input: Record<string, unknown>): Doc {
    const meta = this.meta(doctype);
    if (meta.readOnly) frappeThrow('PermissionError', `Insufficient Permission for ${doctype}`);
    const docstatus = cint(input['docstatus']);
    if (docstatus === 2 || (docstatus === 1 && !meta.isSubmittable)) frappeThrow('DocstatusTransitionError', `Cannot change docstatus from 0 to ${docstatus}`);
    const doc = buildDoc(meta, input, this.options.metas);
    doc.name = `new-${doctype.toLowerCase().replace(/ /g, '-')}-${this.randomHash()}`;
    doc.docstatus = docstatus;
    this.prepare(meta, doc);
    if (docstatus === 1) this.hooks(doctype).validateSubmit?.(doc, this);
    const name = this.nameFor(meta, doc);
    if (!name) frappeThrow('ValidationError', `${doctype}: a name is required`);
    if (this.get(doctype, name)) frappeThrow('DuplicateEntryError', `${doctype} ${bold(name)} already exists`, { exception: `('${doctype}', '${name}', IntegrityError(1062, "Duplicate entry '${name}' for key 'PRIMARY'"))` });
    const now = this.now();
    Object.assign(doc, { name, owner: this.options.user, creation: now, modified: now, modified_by: this.options.user, idx: 0 });
    this.finishRows(meta, doc, true);
    this.store(doc);
    if (docstatus === 1) this.hooks(doctype).onSubmit?.(doc, this);
    this.hooks(doctype).afterInsert?.(doc, this);
    this.options.onEvent?.(doctype, 'on_update', doc);
    if (docstatus === 1) this.options.onEvent?.(doctype, 'on_submit', doc);
    return doc;
  }

  private changedFields(meta: DocTypeMeta, doc: Doc, input: Record<string, unknown>): FieldDef[] {
    const changed: FieldDef[] = [];
    for (const field of meta.fields) {
      if (!(field.fieldname in input)) continue;
      if (field.fieldtype === 'Table') {
        const rows = input[field.fieldname];
        if (Array.isArray(rows) && JSON.stringify(rows.map((r) => (r as Doc)?.name ?? null)) !== JSON.stringify(rowsOf(doc, field.fieldname).map((r) => r.name))) changed.push(field);
        continue;
      }
      const next = coerce(input[field.fieldname], field);
      const current = doc[field.fieldname];
      const same = isNumeric(field.fieldtype) ? String(next ?? 0) === String(current ?? 0) : (next ?? '') === (current ?? '');
      if (!same) changed.push(field);
    }
    return changed;
  }

  /** Saves changes (PUT): edits a draft, submits (docstatus 1), cancels (docstatus 2) or updates allowed fields after submit. */
  update(doctype: string, name: string, input: Record<string, unknown>): Doc {
    const meta = this.meta(doctype);
    if (meta.readOnly) frappeThrow('PermissionError', `Insufficient Permission for ${doctype}`);
    const doc = this.require(doctype, name);
    if (typeof input['modified'] === 'string' && input['modified'] !== doc['modified']) {
      frappeThrow('TimestampMismatchError', `Error: Document has been modified after you have opened it (${String(input['modified'])}, ${String(doc['modified'])}). Please refresh to get the latest document.`);
    }
    const from = doc.docstatus;
    const to = input['docstatus'] === undefined ? from : cint(input['docstatus']);
    if (from === 2) frappeThrow('ValidationError', 'Cannot edit cancelled document');
    if (from === 1 && to === 2) return this.cancel(doctype, name);
    if ((from === 0 && to === 2) || (from === 1 && to === 0) || (to === 1 && !meta.isSubmittable)) {
      frappeThrow('DocstatusTransitionError', `Cannot change docstatus from ${from} to ${to}`);
    }
    if (from === 1) {
      const changed = this.changedFields(meta, doc, input);
      const refused = changed.find((f) => !f.allowOnSubmit);
      if (refused) {
        const before = refused.fieldtype === 'Table' ? '' : String(typeof doc[refused.fieldname] === 'bigint' ? decText(doc[refused.fieldname] as bigint) : (doc[refused.fieldname] ?? ''));
        frappeThrow('UpdateAfterSubmitError', `Not allowed to change ${bold(refused.label)} after submission from ${bold(before)} to ${bold(String(input[refused.fieldname] ?? ''))}`);
      }
      if (changed.length === 0) return doc;
      for (const field of changed) doc[field.fieldname] = coerce(input[field.fieldname], field);
      this.touch(doc);
      return doc;
    }
    const merged: Record<string, unknown> = { ...doc, ...input, name, docstatus: to };
    const next = buildDoc(meta, merged, this.options.metas);
    Object.assign(next, { owner: doc['owner'], creation: doc['creation'], modified: doc['modified'], idx: doc['idx'] });
    this.prepare(meta, next);
    if (to === 1) this.hooks(doctype).validateSubmit?.(next, this);
    next['modified'] = this.nextTimestamp(textOf(doc, 'modified'));
    next['modified_by'] = this.options.user;
    this.finishRows(meta, next, false);
    this.sequence.set(next, this.sequence.get(doc) ?? ++this.counter);
    this.store(next);
    if (to === 1) this.hooks(doctype).onSubmit?.(next, this);
    this.options.onEvent?.(doctype, 'on_update', next);
    if (to === 1) this.options.onEvent?.(doctype, 'on_submit', next);
    return next;
  }

  /** Submitted documents that link to this one (they must be cancelled first). */
  private backLinks(doctype: string, name: string): string[] {
    const found: string[] = [];
    for (const [otherType, docs] of this.docs) {
      const meta = this.options.metas.get(otherType);
      if (!meta?.isSubmittable) continue;
      for (const other of docs.values()) {
        if (other.docstatus !== 1) continue;
        const rows: [DocTypeMeta, Doc][] = [[meta, other]];
        for (const table of meta.fields.filter((f) => f.fieldtype === 'Table')) {
          const child = this.options.metas.get(table.options ?? '');
          if (child) rows.push(...rowsOf(other, table.fieldname).map((row): [DocTypeMeta, Doc] => [child, row]));
        }
        const links = rows.some(([m, d]) =>
          m.fields.some((f) => d[f.fieldname] === name && ((f.fieldtype === 'Link' && f.options === doctype) || (f.fieldtype === 'Dynamic Link' && d[f.options ?? ''] === doctype))),
        );
        if (links) found.push(`${otherType} ${bold(other.name)}`);
      }
    }
    return found;
  }

  /** Cancels a submitted document (frappe.client.cancel). */
  cancel(doctype: string, name: string): Doc {
    const meta = this.meta(doctype);
    const doc = this.require(doctype, name);
    if (doc.docstatus === 2) frappeThrow('ValidationError', 'Cannot edit cancelled document');
    if (doc.docstatus === 0 || !meta.isSubmittable) frappeThrow('DocstatusTransitionError', `Cannot change docstatus from ${doc.docstatus} to 2`);
    const links = this.backLinks(doctype, name);
    if (links.length > 0) frappeThrow('LinkExistsError', `Cannot delete or cancel because ${doctype} ${bold(name)} is linked with ${links.join(', ')}`);
    this.hooks(doctype).validateCancel?.(doc, this);
    doc.docstatus = 2;
    for (const table of meta.fields.filter((f) => f.fieldtype === 'Table')) for (const row of rowsOf(doc, table.fieldname)) row.docstatus = 2;
    this.hooks(doctype).onCancel?.(doc, this);
    this.touch(doc, 'on_cancel');
    return doc;
  }

  /** Deletes a draft or cancelled document (DELETE). */
  delete(doctype: string, name: string): void {
    const meta = this.meta(doctype);
    if (meta.readOnly) frappeThrow('PermissionError', `Insufficient Permission for ${doctype}`);
    const doc = this.require(doctype, name);
    if (doc.docstatus === 1) frappeThrow('ValidationError', `${doctype} ${name}: Submitted Record cannot be deleted. You must Cancel it first.`);
    this.docs.get(doctype)?.delete(name);
    this.options.onEvent?.(doctype, 'on_trash', doc);
  }

  /** Stores a document maintained by the system itself (e.g. a Bin), bypassing REST rules. */
  putSystem(doctype: string, values: Record<string, unknown>): Doc {
    const meta = this.meta(doctype);
    const doc = buildDoc(meta, values, this.options.metas);
    const now = this.now();
    Object.assign(doc, { name: this.nameFor(meta, doc), owner: 'Administrator', creation: now, modified: now, modified_by: 'Administrator', idx: 0 });
    this.store(doc);
    return doc;
  }
}
