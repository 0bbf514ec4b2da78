import { stringify as losslessStringify } from 'lossless-json';
import { z } from 'zod';
import { permanentError, TillbridgeError } from '../../model/index.js';
import { unexpectedResponse, type HttpClient } from '../framework/index.js';
import { excTypeOf, toErpnextError } from './errors.js';
import { uniqueReferenceProbe } from './unique-reference.js';

/** A Frappe document as the API answers it (`as_dict()`): field values by fieldname. */
export type FrappeDoc = Record<string, unknown> & { name: string };

/** A list filter: `[field, operator, value]` or `[doctype, field, operator, value]` (child table fields). */
export type FrappeFilter = readonly [string, string, unknown] | readonly [string, string, string, unknown];

/** Options of `listDocs`: Frappe's `filters`, `fields`, `limit_page_length`, `limit_start` and `order_by`. */
export interface ListOptions {
  filters?: readonly FrappeFilter[] | Record<string, unknown>;
  /** Fields to return (default ["name"]; "*" for every parent field). */
  fields?: readonly string[];
  /** Page size (Frappe's default is 20; 0 means every row). */
  limit?: number;
  start?: number;
  /** e.g. "creation asc" (Frappe's default is the doctype's sort, usually "modified desc"). */
  orderBy?: string;
  signal?: AbortSignal;
}

/** How a look-up by reference reads the document it finds. */
export interface LookUpOptions {
  /**
   * Take the document from the list answer (every parent field, no child tables): one call
   * instead of a list and a read, for doctypes whose use needs no child rows (e.g. Customer).
   */
  parentFieldsOnly?: boolean;
}

/** The result of a retry-safe create: the document, and whether this call created it or found it. */
export interface EnsureResult {
  doc: FrappeDoc;
  outcome: 'created' | 'existing';
}

/** Generic Frappe REST operations (any doctype). */
export interface FrappeResources {
  getDoc(doctype: string, name: string, signal?: AbortSignal): Promise<FrappeDoc>;
  /** One page of documents. */
  listDocs(doctype: string, options?: ListOptions): Promise<FrappeDoc[]>;
  /** Every page, `pageSize` rows at a time (default 100), ordered by creation unless told otherwise. */
  listAll(doctype: string, options?: Omit<ListOptions, 'limit' | 'start'> & { pageSize?: number }): Promise<FrappeDoc[]>;
  /** POST /api/resource/{doctype}: never retried blindly (use ensureDoc for a retry-safe create). */
  insertDoc(doctype: string, doc: Record<string, unknown>, signal?: AbortSignal): Promise<FrappeDoc>;
  /** PUT /api/resource/{doctype}/{name} with the changed fields. */
  updateDoc(doctype: string, name: string, changes: Record<string, unknown>, signal?: AbortSignal): Promise<FrappeDoc>;
  /** Submits a draft (PUT with docstatus 1); submitting a submitted document is harmless. */
  submitDoc(doctype: string, name: string, signal?: AbortSignal): Promise<FrappeDoc>;
  /** Cancels a submitted document (frappe.client.cancel); cancelling a cancelled one returns it. */
  cancelDoc(doctype: string, name: string, signal?: AbortSignal): Promise<FrappeDoc>;
  /** The document carrying this reference in the reference field, or null (a live one before a cancelled one). */
  findByReference(doctype: string, reference: string, signal?: AbortSignal, options?: LookUpOptions): Promise<FrappeDoc | null>;
  /**
   * The retry-safe create: looks the reference up first and creates only when absent. When the
   * answer to the create is lost (timeout, 5xx) it looks again before sending again, so a retry
   * never makes a second document. When the reference field is Unique on the doctype (read once
   * from its meta), the database refuses a racing second create and the loser takes the winner's
   * document; otherwise a look-up after the create catches a race, reported as the permanent
   * error `erpnext_duplicate_reference` naming every document with the reference. A body with
   * `docstatus: 1` is submitted by the same call (Frappe submits on insert).
   */
  ensureDoc(
    doctype: string,
    reference: string,
    build: () => Record<string, unknown> | Promise<Record<string, unknown>>,
    signal?: AbortSignal,
    options?: LookUpOptions,
  ): Promise<EnsureResult>;
  /** True when the reference field is marked Unique on the doctype (read once per doctype; false when unknown). */
  referenceIsUnique(doctype: string): Promise<boolean>;
  /**
   * Calls a whitelisted method (`/api/method/{method}`) and returns its `message` (undefined when
   * the method returns nothing: Frappe then answers `{}`). `retry: true` marks a POST safe to
   * repeat when its answer is lost.
   */
  callMethod(method: string, options?: { httpMethod?: 'GET' | 'POST'; args?: Record<string, unknown>; signal?: AbortSignal; retry?: boolean }): Promise<unknown>;
}

const DocEnvelope = z.object({ data: z.looseObject({ name: z.string().min(1) }) });
const ListEnvelope = z.object({ data: z.array(z.record(z.string(), z.unknown())) });
const MethodEnvelope = z.object({ message: z.unknown() });
const MethodAnswer = z.object({ message: z.unknown().optional() });
const lostInFlight = new Set(['outbound_timeout', 'outbound_unreachable', 'outbound_server_error']);

/** True when a call may have been done by the server although its answer never arrived. */
export function isLostInFlight(error: unknown): boolean {
  return error instanceof TillbridgeError && lostInFlight.has(error.code);
}

/** Frappe's `/api/resource/{DocType}` path (the doctype's spaces URL-encoded). */
export function resourcePath(doctype: string, name?: string): string {
  return `/api/resource/${encodeURIComponent(doctype)}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** Generic Frappe operations over one connection's HTTP client. */
export function createFrappeResources(options: { http: HttpClient; connectionId: string; referenceField: string; maxAttempts?: number }): FrappeResources {
  const { http, connectionId, referenceField } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
  const json = (body: unknown) => ({ body: losslessStringify(body) ?? '{}', headers: { 'content-type': 'application/json' } });

  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toErpnextError(error);
    }
  };
  const docOf = (body: unknown, what: string): FrappeDoc => {
    const parsed = DocEnvelope.safeParse(body);
    if (!parsed.success) throw unexpectedResponse(connectionId, `${what}: no {"data": {"name": …}} in the answer`);
    return parsed.data.data as FrappeDoc;
  };

  const getDoc = (doctype: string, name: string, signal?: AbortSignal) =>
    call(async () => docOf((await http.request({ method: 'GET', path: resourcePath(doctype, name), ...withSignal(signal) })).body, `GET ${doctype} ${name}`));

  const listDocs = (doctype: string, list: ListOptions = {}) =>
    call(async () => {
      const query: Record<string, string | number | undefined> = {
        fields: list.fields ? JSON.stringify(list.fields) : undefined,
        filters: list.filters ? JSON.stringify(list.filters) : undefined,
        limit_page_length: list.limit,
        limit_start: list.start,
        order_by: list.orderBy,
      };
      const response = await http.request({ method: 'GET', path: resourcePath(doctype), query, ...withSignal(list.signal) });
      const parsed = ListEnvelope.safeParse(response.body);
      if (!parsed.success) throw unexpectedResponse(connectionId, `GET ${doctype} list: no {"data": [...]} in the answer`);
      return parsed.data.data as FrappeDoc[];
    });

  const referenceIsUnique = uniqueReferenceProbe(http, referenceField);

  const referenceMatches = async (doctype: string, reference: string, signal?: AbortSignal, fields: readonly string[] = ['name', 'docstatus']) => {
    try {
      return await listDocs(doctype, { filters: [[referenceField, '=', reference]], fields, limit: 0, orderBy: 'creation asc', ...withSignal(signal) });
    } catch (error) {
      if (excTypeOf(error) === 'DataError' && error instanceof Error && error.message.includes(referenceField)) {
        throw permanentError(
          'erpnext_reference_field_missing',
          `${connectionId}: ${doctype} has no field ${referenceField}: add a Custom Field "${referenceField}" (type Data, Unique) to ${doctype} so the hub can find what it created (${error.message})`,
          422,
        );
      }
      throw error;
    }
  };

  const duplicate = (doctype: string, reference: string, names: string[]) =>
    permanentError('erpnext_duplicate_reference', `${connectionId}: ${names.length} ${doctype} documents carry ${referenceField} = ${reference} (${names.join(', ')}): cancel or delete all but one`, 409, {
      doctype,
      reference,
      names,
    });

  const findByReference = async (doctype: string, reference: string, signal?: AbortSignal, options: LookUpOptions = {}) => {
    const matches = await referenceMatches(doctype, reference, signal, options.parentFieldsOnly ? ['*'] : undefined);
    const live = matches.filter((doc) => doc['docstatus'] !== 2);
    if (live.length > 1) throw duplicate(doctype, reference, live.map((d) => d.name));
    const chosen = live[0] ?? matches.at(-1);
    if (!chosen) return null;
    return options.parentFieldsOnly ? chosen : getDoc(doctype, chosen.name, signal);
  };

  const insertDoc = (doctype: string, doc: Record<string, unknown>, signal?: AbortSignal) =>
    call(async () => docOf((await http.request({ method: 'POST', path: resourcePath(doctype), ...json(doc), retry: false, ...withSignal(signal) })).body, `POST ${doctype}`));

  return {
    getDoc,
    listDocs,
    async listAll(doctype, list = {}) {
      const pageSize = list.pageSize ?? 100;
      const rows: FrappeDoc[] = [];
      for (let start = 0; ; start += pageSize) {
        const page = await listDocs(doctype, { ...list, orderBy: list.orderBy ?? 'creation asc', limit: pageSize, start });
        rows.push(...page);
        if (page.length < pageSize) return rows;
      }
    },
    insertDoc,
    updateDoc: (doctype, name, changes, signal) =>
      call(async () => docOf((await http.request({ method: 'PUT', path: resourcePath(doctype, name), ...json(changes), ...withSignal(signal) })).body, `PUT ${doctype} ${name}`)),
    submitDoc: (doctype, name, signal) =>
      call(async () => docOf((await http.request({ method: 'PUT', path: resourcePath(doctype, name), ...json({ docstatus: 1 }), ...withSignal(signal) })).body, `submit ${doctype} ${name}`)),
    async cancelDoc(doctype, name, signal) {
      try {
        const response = await call(() => http.request({ method: 'POST', path: '/api/method/frappe.client.cancel', ...json({ doctype, name }), retry: true, ...withSignal(signal) }));
        const message = MethodEnvelope.safeParse(response.body);
        const doc = message.success ? (message.data.message as FrappeDoc | null) : null;
        return doc && typeof doc === 'object' && typeof doc.name === 'string' ? doc : await getDoc(doctype, name, signal);
      } catch (error) {
        // A retried cancel whose first answer was lost finds the document already cancelled.
        if (error instanceof TillbridgeError && error.code === 'erpnext_validation') {
          const current = await getDoc(doctype, name, signal).catch(() => undefined);
          if (current?.['docstatus'] === 2) return current;
        }
        throw error;
      }
    },
    findByReference,
    referenceIsUnique,
    async ensureDoc(doctype, reference, build, signal, options = {}) {
      // Asked alongside the look-up: only the first create of a doctype waits for the answer.
      const unique = referenceIsUnique(doctype);
      const existing = await findByReference(doctype, reference, signal, options);
      if (existing) return { doc: existing, outcome: 'existing' };
      const body = { ...(await build()), [referenceField]: reference };
      for (let attempt = 1; ; attempt++) {
        try {
          const created = await insertDoc(doctype, body, signal);
          if (!(await unique)) {
            const live = (await referenceMatches(doctype, reference, signal)).filter((doc) => doc['docstatus'] !== 2);
            if (live.length > 1) throw duplicate(doctype, reference, live.map((d) => d.name));
          }
          return { doc: created, outcome: 'created' };
        } catch (error) {
          // With a Unique reference field, the loser of a race is refused: the winner is the document.
          const raced = excTypeOf(error) === 'UniqueValidationError' || excTypeOf(error) === 'DuplicateEntryError';
          if (!raced && !isLostInFlight(error)) throw error;
          // The create may have been done before its answer was lost: look before sending it again.
          // When the look-up fails too, give up for now rather than create blindly.
          const found = await findByReference(doctype, reference, signal, options);
          if (found) return { doc: found, outcome: 'existing' };
          if (raced || attempt >= maxAttempts) throw error;
        }
      }
    },
    async callMethod(method, args = {}) {
      const httpMethod = args.httpMethod ?? 'GET';
      const response = await call(() =>
        http.request({
          method: httpMethod,
          path: `/api/method/${method}`,
          ...(httpMethod === 'POST' ? json(args.args ?? {}) : { query: Object.fromEntries(Object.entries(args.args ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) }),
          ...(args.retry !== undefined ? { retry: args.retry } : {}),
          ...withSignal(args.signal),
        }),
      );
      const parsed = MethodAnswer.safeParse(response.body);
      if (!parsed.success) throw unexpectedResponse(connectionId, `${method}: no {"message": …} in the answer`);
      return parsed.data.message;
    },
  };
}
