import { stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { TillbridgeError } from '../../model/index.js';
import { frappeErrorInfo, frappeErrorMessage, serverMessages, toErpnextError } from './errors.js';
import { decimalTextOf, frappeDate, frappeMoney, frappeTimestampToIso, minorFromFrappe } from './values.js';

describe('Frappe values', () => {
  it('writes minor units as exact decimal JSON numbers and reads Frappe floats back exactly', () => {
    expect(stringify({ rate: frappeMoney(5281, 'USD'), yen: frappeMoney(1500, 'JPY'), fils: frappeMoney(-5, 'KWD') })).toBe('{"rate":52.81,"yen":1500,"fils":-0.005}');
    expect(minorFromFrappe(JSON.parse('52.81'), 'USD', 'grand_total')).toBe(5281);
    expect(minorFromFrappe(JSON.parse('0.3'), 'USD', 'amount')).toBe(30);
    expect(minorFromFrappe(JSON.parse('1500.0'), 'JPY', 'rate')).toBe(1500);
    expect(minorFromFrappe(null, 'USD', 'discount_amount')).toBe(0);
    expect(() => minorFromFrappe(0.1 + 0.2, 'USD', 'amount')).toThrow(expect.objectContaining({ code: 'erpnext_invalid_amount' }));
    expect(decimalTextOf(1e21)).toBe('1000000000000000000000');
    expect(decimalTextOf(1e-7)).toBe('0.0000001');
  });

  it('converts dates and Frappe datetimes (site time zone, no offset) to ISO', () => {
    expect(frappeDate('2026-11-26T10:15:00Z')).toBe('2026-11-26');
    expect(() => frappeDate('26/11/2026')).toThrow();
    expect(frappeTimestampToIso('2026-03-29 02:30:00', 'UTC')).toBe('2026-03-29T02:30:00.000Z');
    expect(frappeTimestampToIso('2026-11-26 10:15:00.5', 'Asia/Kolkata')).toBe('2026-11-26T04:45:00.500Z');
    expect(() => frappeTimestampToIso('yesterday')).toThrow(expect.objectContaining({ code: 'erpnext_invalid_timestamp' }));
  });
});

describe('Frappe error bodies', () => {
  const recorded = {
    exception: 'frappe.exceptions.PermissionError',
    exc_type: 'PermissionError',
    _server_messages: JSON.stringify([
      JSON.stringify({
        message:
          'User <strong>copilot-bot@example.com</strong> does not have doctype access via role permission for document <strong>DocType</strong><br>User <strong>copilot-bot@example.com</strong> does not have access to this document',
        title: 'Message',
        indicator: 'red',
      }),
    ]),
  };

  it('decodes _server_messages (a JSON string of JSON strings) into plain-text messages', () => {
    expect(serverMessages(recorded._server_messages)).toEqual([
      'User copilot-bot@example.com does not have doctype access via role permission for document DocType User copilot-bot@example.com does not have access to this document',
    ]);
    expect(frappeErrorMessage(403, recorded)).toBe(
      'PermissionError: User copilot-bot@example.com does not have doctype access via role permission for document DocType User copilot-bot@example.com does not have access to this document',
    );
    expect(frappeErrorInfo({ exc_type: 'OperationalError', exception: 'db down\nTraceback (most recent call last):\n  File "app.py"' })).toEqual({ excType: 'OperationalError', messages: [], exception: 'db down' });
    expect(frappeErrorMessage(504, '<html>\r\n<head><title>504 Gateway Time-out</title></head><body></body></html>')).toBe('504 Gateway Time-out');
    expect(serverMessages('not json')).toEqual([]);
  });

  it('types rejected calls by status and exception class', () => {
    const rejected = (status: number, body: unknown) => new TillbridgeError(status === 401 ? 'outbound_unauthorized' : 'outbound_rejected', `erp: → ${status}`, { httpStatus: status, details: { status, body } });
    expect(toErpnextError(rejected(403, recorded))).toMatchObject({ code: 'erpnext_permission', retryable: false, httpStatus: 403, details: { excType: 'PermissionError' } });
    expect(toErpnextError(rejected(417, { exc_type: 'LinkValidationError' }))).toMatchObject({ code: 'erpnext_validation', retryable: false, httpStatus: 422 });
    expect(toErpnextError(rejected(409, { exc_type: 'DuplicateEntryError' }))).toMatchObject({ code: 'erpnext_duplicate', httpStatus: 409 });
    expect(toErpnextError(rejected(417, { exc_type: 'TimestampMismatchError' }))).toMatchObject({ code: 'erpnext_conflict', retryable: true });
    expect(toErpnextError(rejected(401, { exc_type: 'AuthenticationError' }))).toMatchObject({ code: 'erpnext_unauthorized', httpStatus: 401 });
    const transient = new TillbridgeError('outbound_server_error', 'x', { retryable: true });
    expect(toErpnextError(transient)).toBe(transient);
  });
});
