import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as losslessParse, stringify as losslessStringify } from 'lossless-json';
import { signaturesEqual } from '../../framework/index.js';
import { updateChildQtyRateMethod } from '../order-updates.js';
import { FrappeException, frappeErrorBody, frappeThrow } from './errors.js';
import { metaBundle } from './form-meta.js';
import type { ListQuery } from './query.js';
import type { DocumentStore } from './store.js';
import { updateChildQtyRate } from './update-items.js';

/** What the Frappe routes need. */
export interface FrappeRouteOptions {
  store: DocumentStore;
  apiKey: string;
  apiSecret: string;
  user: string;
  versions: Record<string, { title: string; version: string; branch: string }>;
  /** True when this write's answer should be lost (done, but answered 504 by the proxy). */
  loseResponse(): boolean;
}

const gatewayTimeout = '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Sends JSON with numbers written as they are held (Frappe floats keep their decimals). */
export function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json').send(losslessStringify(body));
}

/** Sends a Frappe exception in Frappe's shape. */
export function sendFrappeError(reply: FastifyReply, error: FrappeException): FastifyReply {
  return sendJson(reply, error.status, frappeErrorBody(error));
}

function credentialsOf(header: string | undefined): { key: string; secret: string } | undefined {
  if (!header) return undefined;
  const [scheme = '', value = ''] = header.split(/\s+/, 2);
  const pair = scheme.toLowerCase() === 'token' ? value : scheme.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString('utf8') : '';
  const colon = pair.indexOf(':');
  return colon > 0 ? { key: pair.slice(0, colon), secret: pair.slice(colon + 1) } : undefined;
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    // Form posts carry the document as a JSON string in `data` (frappe.form_dict.data).
    if (typeof record['data'] === 'string') return parseJsonObject(record['data']);
    return record;
  }
  return {};
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const parsed = losslessParse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  return frappeThrow('ValidationError', 'Invalid JSON in request body');
}

/**
 * Frappe's REST API v1: token (or Basic) auth, `/api/resource/{doctype}[/{name}]` for list, read,
 * insert, save and delete, and `/api/method/…` for the logged-in user, versions, a doctype's meta
 * (getdoctype), submit, cancel and Update Items (update_child_qty_rate).
 */
export function registerFrappeRoutes(app: FastifyInstance, options: FrappeRouteOptions): void {
  const { store } = options;

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      // Vendor routes keep numbers exact; the sandbox routes take plain JSON.
      done(null, request.url.startsWith('/_sandbox') ? JSON.parse(text) : losslessParse(text));
    } catch {
      done(new FrappeException('ValidationError', ['Invalid JSON in request body']), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof FrappeException) return sendFrappeError(reply, error);
    const status = typeof (error as { statusCode?: number }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    return sendFrappeError(reply, new FrappeException(status < 500 ? 'ValidationError' : 'InternalServerError', [(error as Error).message], { status: status < 500 ? 417 : 500 }));
  });
  app.setNotFoundHandler((request, reply) => sendFrappeError(reply, new FrappeException('DoesNotExistError', [`Page ${request.url.split('?')[0]} not found`])));

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/_sandbox')) return;
    const given = credentialsOf(request.headers.authorization);
    if (!given) return sendFrappeError(reply, new FrappeException('PermissionError', ['Not permitted'], { exception: 'You need to be logged in to access this resource' }));
    if (!signaturesEqual(options.apiKey, given.key) || !signaturesEqual(options.apiSecret, given.secret)) {
      return sendJson(reply, 401, { exception: 'frappe.exceptions.AuthenticationError', exc_type: 'AuthenticationError', exc: JSON.stringify([]) });
    }
  });

  const answer = (reply: FastifyReply, method: string, body: unknown, status = 200) => {
    if (method !== 'GET' && options.loseResponse()) return reply.code(504).type('text/html').send(gatewayTimeout);
    return sendJson(reply, status, body);
  };

  app.get('/api/method/frappe.auth.get_logged_user', async (_request, reply) => sendJson(reply, 200, { message: options.user }));
  app.get('/api/method/frappe.utils.change_log.get_versions', async (_request, reply) => sendJson(reply, 200, { message: options.versions }));
  app.post('/api/method/frappe.client.cancel', async (request, reply) => {
    const body = bodyOf(request);
    const doc = store.cancel(String(body['doctype'] ?? ''), String(body['name'] ?? ''));
    return answer(reply, 'POST', { message: store.wire(doc) });
  });
  app.post('/api/method/frappe.client.submit', async (request, reply) => {
    const body = bodyOf(request);
    const doc = typeof body['doc'] === 'string' ? parseJsonObject(body['doc']) : ((body['doc'] ?? {}) as Record<string, unknown>);
    const submitted = store.update(String(doc['doctype'] ?? ''), String(doc['name'] ?? ''), { ...doc, docstatus: 1 });
    return answer(reply, 'POST', { message: store.wire(submitted) });
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/api/method/frappe.desk.form.load.getdoctype',
    handler: async (request, reply) => {
      const args = { ...(request.query as Record<string, unknown>), ...bodyOf(request) };
      const doctype = typeof args['doctype'] === 'string' ? args['doctype'] : '';
      if (!doctype) return frappeThrow('TypeError', "getdoctype() missing 1 required positional argument: 'doctype'", { status: 500 });
      return sendJson(reply, 200, { docs: metaBundle(store.options.metas, doctype), user_settings: '{}' });
    },
  });
  app.post(`/api/method/${updateChildQtyRateMethod}`, async (request, reply) => {
    updateChildQtyRate(store, bodyOf(request));
    // The method returns None: Frappe answers with no "message".
    return answer(reply, 'POST', {});
  });
  app.all('/api/method/*', async (request) => {
    const method = (request.params as { '*': string })['*'];
    return frappeThrow('DoesNotExistError', `Failed to get method for command ${method} with No module named '${method.split('.')[0]}'`, { status: 404 });
  });

  app.get('/api/resource/:doctype', async (request, reply) => {
    const { doctype } = request.params as { doctype: string };
    return sendJson(reply, 200, { data: store.list(doctype, request.query as ListQuery) });
  });
  app.post('/api/resource/:doctype', async (request, reply) => {
    const { doctype } = request.params as { doctype: string };
    const doc = store.insert(doctype, bodyOf(request));
    return answer(reply, 'POST', { data: store.wire(doc) });
  });
  app.get('/api/resource/:doctype/*', async (request, reply) => {
    const { doctype, '*': name } = request.params as { doctype: string; '*': string };
    return sendJson(reply, 200, { data: store.wire(store.require(doctype, name)) });
  });
  app.put('/api/resource/:doctype/*', async (request, reply) => {
    const { doctype, '*': name } = request.params as { doctype: string; '*': string };
    const doc = store.update(doctype, name, bodyOf(request));
    return answer(reply, 'PUT', { data: store.wire(doc) });
  });
  app.delete('/api/resource/:doctype/*', async (request, reply) => {
    const { doctype, '*': name } = request.params as { doctype: string; '*': string };
    store.delete(doctype, name);
    return answer(reply, 'DELETE', { data: 'ok' }, 202);
  });
}
