import { transientError, TillbridgeError } from '../../model/index.js';

/** What a Frappe error body says: the exception class and the messages shown to the user. */
export interface FrappeErrorInfo {
  excType?: string;
  messages: string[];
  exception?: string;
}

const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Message HTML as plain text (Frappe messages carry <strong>, <br> and links). */
export function stripHtml(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot|#39|nbsp);/g, (entity) => entities[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The messages in `_server_messages`: a JSON string holding a list of JSON strings, each `{"message": …}`. */
export function serverMessages(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  let outer: unknown;
  try {
    outer = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(outer)) return [];
  return outer
    .map((item) => {
      if (typeof item !== 'string') return '';
      try {
        const inner = JSON.parse(item) as unknown;
        const message = inner && typeof inner === 'object' ? (inner as Record<string, unknown>)['message'] : inner;
        return typeof message === 'string' ? stripHtml(message) : '';
      } catch {
        return stripHtml(item);
      }
    })
    .filter((m) => m.length > 0);
}

/** The exception class and messages of a Frappe error body, or undefined when the body is not one. */
export function frappeErrorInfo(body: unknown): FrappeErrorInfo | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const excType = typeof record['exc_type'] === 'string' ? record['exc_type'] : undefined;
  const exception = typeof record['exception'] === 'string' ? stripHtml(record['exception'].split('\n')[0] ?? '') : undefined;
  const messages = serverMessages(record['_server_messages']);
  if (messages.length === 0 && typeof record['message'] === 'string') messages.push(stripHtml(record['message']));
  if (!excType && !exception && messages.length === 0) return undefined;
  return { ...(excType ? { excType } : {}), messages, ...(exception ? { exception } : {}) };
}

/** `ExcType: message; message` from a Frappe error body (the http client's errorMessage rule); never the traceback. */
export function frappeErrorMessage(_status: number, body: unknown): string | undefined {
  const info = frappeErrorInfo(body);
  if (!info) {
    if (typeof body === 'string' && /<title>/i.test(body)) return stripHtml(/<title>(.*?)<\/title>/is.exec(body)?.[1] ?? body).slice(0, 200);
    return undefined;
  }
  const text = info.messages.length > 0 ? info.messages.join('; ') : (info.exception ?? '');
  return info.excType ? `${info.excType}: ${text}` : text;
}

const codes: Record<number, string> = { 401: 'erpnext_unauthorized', 403: 'erpnext_permission', 404: 'erpnext_not_found', 409: 'erpnext_duplicate', 417: 'erpnext_validation' };

/**
 * Turns a rejected Frappe call into the connector's typed error: 417 (ValidationError and its
 * subclasses: MandatoryError, LinkValidationError, UpdateAfterSubmitError, …) → permanent
 * `erpnext_validation`; 409 DuplicateEntryError → `erpnext_duplicate`; 404 → `erpnext_not_found`;
 * 403 → `erpnext_permission`; 401 → `erpnext_unauthorized`; TimestampMismatchError (a concurrent
 * edit) → transient `erpnext_conflict`. Other errors pass through.
 */
export function toErpnextError(error: unknown): unknown {
  if (!(error instanceof TillbridgeError) || (error.code !== 'outbound_rejected' && error.code !== 'outbound_unauthorized')) return error;
  const details = error.details as { status?: number; body?: unknown } | undefined;
  const status = details?.status ?? error.httpStatus;
  const info = frappeErrorInfo(details?.body);
  const data = { status, excType: info?.excType, messages: info?.messages ?? [] };
  if (info?.excType === 'TimestampMismatchError') return transientError('erpnext_conflict', error.message, { httpStatus: 409, details: data, cause: error });
  const code = codes[status] ?? (status === 400 || status === 422 ? 'erpnext_validation' : 'erpnext_rejected');
  return new TillbridgeError(code, error.message, { retryable: false, httpStatus: status === 417 ? 422 : status, details: data, cause: error });
}

/** The Frappe exception class of a typed error, when it came from a Frappe error body. */
export function excTypeOf(error: unknown): string | undefined {
  if (!(error instanceof TillbridgeError)) return undefined;
  const details = error.details as { excType?: unknown } | undefined;
  return typeof details?.excType === 'string' ? details.excType : undefined;
}
