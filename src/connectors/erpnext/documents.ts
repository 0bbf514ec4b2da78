import type { z } from 'zod';
import { unexpectedResponse } from '../framework/index.js';
import type { FrappeDoc, FrappeResources } from './resources.js';

/** Where a submittable document is in its life: docstatus 0, 1 or 2. */
export type DocState = 'draft' | 'submitted' | 'cancelled';

/** docstatus → state. */
export function stateOf(docstatus: 0 | 1 | 2): DocState {
  return docstatus === 0 ? 'draft' : docstatus === 1 ? 'submitted' : 'cancelled';
}

/** Reads a Frappe document with a wire schema; a document of another shape is a permanent error. */
export function parseWire<T extends z.ZodType>(schema: T, doc: unknown, connectionId: string, what: string): z.output<T> {
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    throw unexpectedResponse(connectionId, `${what}: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** A retry-safe create's result in typed form. */
export interface Ensured<T> {
  doc: T;
  outcome: 'created' | 'existing';
}

/** Operations every submittable doctype has: read, find by the hub's reference, submit, cancel. */
export interface SubmittableOps<T> {
  get(name: string, signal?: AbortSignal): Promise<T>;
  /** The document with this hub reference, or null. */
  find(reference: string, signal?: AbortSignal): Promise<T | null>;
  /** Submits the draft (docstatus 0 → 1); a submitted document is returned as it is. */
  submit(name: string, signal?: AbortSignal): Promise<T>;
  /** Cancels the submitted document (docstatus 1 → 2); a cancelled one is returned as it is. */
  cancel(name: string, signal?: AbortSignal): Promise<T>;
}

/** Builds the read/find/submit/cancel operations of one doctype over the generic resources. */
export function submittableOps<T>(resources: FrappeResources, doctype: string, convert: (doc: FrappeDoc) => T): SubmittableOps<T> {
  return {
    get: async (name, signal) => convert(await resources.getDoc(doctype, name, signal)),
    async find(reference, signal) {
      const doc = await resources.findByReference(doctype, reference, signal);
      return doc ? convert(doc) : null;
    },
    submit: async (name, signal) => convert(await resources.submitDoc(doctype, name, signal)),
    cancel: async (name, signal) => convert(await resources.cancelDoc(doctype, name, signal)),
  };
}

/** The value of an optional text field, without nulls. */
export function optional(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
