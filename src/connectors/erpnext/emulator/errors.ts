import { randomBytes } from 'node:crypto';
import { pythonJsonDumps } from './python-json.js';

/** Exception classes by Python module, for the `exception` text of an error body. */
const modules: Record<string, string> = {
  NegativeStockError: 'erpnext.stock.stock_ledger.NegativeStockError',
  ItemPriceDuplicateItem: 'erpnext.stock.doctype.item_price.item_price.ItemPriceDuplicateItem',
  OverAllowanceError: 'erpnext.controllers.status_updater.OverAllowanceError',
  StockOverReturnError: 'erpnext.controllers.sales_and_purchase_return.StockOverReturnError',
  InvalidWarehouseCompany: 'erpnext.stock.utils.InvalidWarehouseCompany',
  InvalidAccountCurrency: 'erpnext.accounts.doctype.account.account.InvalidAccountCurrency',
};

/** HTTP status of Frappe's exception classes. */
const statuses: Record<string, number> = {
  AuthenticationError: 401,
  PermissionError: 403,
  DoesNotExistError: 404,
  DuplicateEntryError: 409,
  TooManyRequestsError: 429,
  SessionStopped: 503,
};

/** A Frappe exception raised by the emulator: rendered as Frappe renders it. */
export class FrappeException extends Error {
  readonly status: number;

  constructor(
    readonly excType: string,
    readonly messages: string[],
    options: { status?: number; exception?: string } = {},
  ) {
    super(options.exception ?? messages.join('\n'));
    this.status = options.status ?? statuses[excType] ?? 417;
  }
}

/** Raises a Frappe exception (frappe.throw). */
export function frappeThrow(excType: string, message: string | string[], options: { status?: number; exception?: string } = {}): never {
  throw new FrappeException(excType, Array.isArray(message) ? message : [message], options);
}

/** HTML → text, as messages are shown to users (Frappe's messages carry <strong> and links). */
export function bold(value: unknown): string {
  return `<strong>${String(value)}</strong>`;
}

/** The JSON body Frappe answers an exception with: exception, exc_type, exc (traceback) and _server_messages. */
export function frappeErrorBody(error: FrappeException): Record<string, unknown> {
  const qualified = modules[error.excType] ?? `frappe.exceptions.${error.excType}`;
  const plain = error.message.replace(/<[^>]+>/g, '');
  const exception = plain ? `${qualified}: ${plain}` : qualified;
  const traceback = `Traceback (most recent call last):\n  File "apps/frappe/frappe/app.py", line 115, in application\n    response = frappe.api.handle(request)\n${exception}\n`;
  const excId = randomBytes(5).toString('hex');
  const body: Record<string, unknown> = { exception, exc_type: error.excType, exc: JSON.stringify([traceback]) };
  if (error.messages.length > 0) {
    body['_server_messages'] = JSON.stringify(
      error.messages.map((message) =>
        pythonJsonDumps({ message, title: error.status === 417 ? 'Message' : 'Error', indicator: 'red', raise_exception: 1, __frappe_exc_id: excId }),
      ),
    );
  }
  return body;
}
