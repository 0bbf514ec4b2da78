import { afterEach, describe, expect, it } from 'vitest';
import { startErpnextEmulator, type RunningErpnextEmulator } from './emulator/server.js';

const emulators: RunningErpnextEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function site(options: Parameters<typeof startErpnextEmulator>[0] = {}) {
  const emulator = await startErpnextEmulator({ now: () => Date.parse('2026-11-26T10:15:00Z'), ...options });
  emulators.push(emulator);
  const auth = `token ${emulator.credentials.apiKey}:${emulator.credentials.apiSecret}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(emulator.url + path, {
      method,
      headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: (text.startsWith('{') ? JSON.parse(text) : undefined) as Record<string, unknown> & { data: Record<string, unknown> } };
  };
  return { emulator, call };
}

const salesOrder = (fields: Record<string, unknown>) => ({ customer: 'Walk-in Customer', company: 'Tillbridge Retail', transaction_date: '2026-11-26', delivery_date: '2026-11-30', ...fields });

describe('ERPNext emulator wire contract', () => {
  it('answers bad tokens with 401 AuthenticationError and no token with 403, in Frappe shape', async () => {
    const { emulator, call } = await site();
    const bad = await call('GET', '/api/resource/Item', undefined, { authorization: `token ${emulator.credentials.apiKey}:nope` });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ exc_type: 'AuthenticationError', exception: 'frappe.exceptions.AuthenticationError' });
    const basic = await call('GET', '/api/method/frappe.auth.get_logged_user', undefined, { authorization: `Basic ${Buffer.from(`${emulator.credentials.apiKey}:${emulator.credentials.apiSecret}`).toString('base64')}` });
    expect(basic.json).toEqual({ message: 'tillbridge@example.com' });
    const guest = await fetch(`${emulator.url}/api/resource/Item`);
    expect(guest.status).toBe(403);
    expect(await guest.json()).toMatchObject({ exc_type: 'PermissionError' });
  });

  it('reads documents as {"data": …} with floats kept as decimals and child rows carrying their parent', async () => {
    const { call } = await site();
    const item = await call('GET', '/api/resource/Item/TEE-RED-M');
    expect(item.text).toContain('"standard_rate":25.0');
    expect(item.json.data).toMatchObject({ name: 'TEE-RED-M', item_code: 'TEE-RED-M', item_name: 'Tee red M', docstatus: 0, is_stock_item: 1, brand: null, doctype: 'Item' });
    expect(item.json.data['barcodes']).toEqual([expect.objectContaining({ barcode: '0012345000017', parent: 'TEE-RED-M', parentfield: 'barcodes', parenttype: 'Item', idx: 1, doctype: 'Item Barcode' })]);
    const list = await call('GET', `/api/resource/Item%20Price?fields=${encodeURIComponent('["item_code","price_list_rate"]')}&filters=${encodeURIComponent('[["item_code","=","SOCKS-3PK"]]')}`);
    expect(list.json).toEqual({ data: [{ item_code: 'SOCKS-3PK', price_list_rate: 12.99 }] });
    expect((await call('GET', '/api/resource/Item')).json.data).toHaveLength(8);
    expect((await call('GET', '/api/resource/Customer?limit_page_length=0')).json.data).toEqual([{ name: 'Walk-in Customer' }]);
  });

  it('renders exceptions with exc_type, exception, exc and _server_messages (a JSON string of JSON strings)', async () => {
    const { call } = await site();
    const missing = await call('POST', '/api/resource/Sales%20Order', { company: 'Tillbridge Retail', items: [{ item_code: 'TEE-RED-M', qty: 1 }, { qty: 1 }] });
    expect(missing.status).toBe(417);
    expect(missing.json['exc_type']).toBe('MandatoryError');
    expect(missing.json['exception']).toMatch(/^frappe\.exceptions\.MandatoryError: \[Sales Order, new-sales-order-[0-9a-z]{10}\]: customer, transaction_date, item_code$/);
    expect(JSON.parse(missing.json['exc'] as string)[0]).toContain('Traceback (most recent call last)');
    const messages = (JSON.parse(missing.json['_server_messages'] as string) as string[]).map((m) => JSON.parse(m) as { message: string; indicator: string });
    expect(messages.map((m) => m.message)).toEqual([
      'Error: Value missing for Sales Order: Customer',
      'Error: Value missing for Sales Order: Date',
      'Error: Data missing in table Items, Row #2: Item Code',
    ]);
    expect((JSON.parse(missing.json['_server_messages'] as string) as string[])[0]).toMatch(/^\{"message": "Error: Value missing for Sales Order: Customer", "title": "Message", "indicator": "red", "raise_exception": 1, "__frappe_exc_id": "[0-9a-f]{10}"\}$/);
    const bin = await call('POST', '/api/resource/Bin', { item_code: 'TEE-RED-M', warehouse: 'Stores - TB' });
    expect(bin.status).toBe(403);
    const unknown = await call('GET', '/api/resource/Widget');
    expect(unknown).toMatchObject({ status: 404, json: { exc_type: 'DoesNotExistError' } });
    const badField = await call('GET', `/api/resource/Item?filters=${encodeURIComponent('[["nope","=",1]]')}`);
    expect(badField).toMatchObject({ status: 417, json: { exc_type: 'DataError' } });
  });

  it('names documents by series, by name and by hash', async () => {
    const { call } = await site();
    const first = await call('POST', '/api/resource/Sales%20Order', salesOrder({ items: [{ item_code: 'CAP-NAVY', qty: 1 }] }));
    const second = await call('POST', '/api/resource/Sales%20Order', salesOrder({ items: [{ item_code: 'CAP-NAVY', qty: 1 }] }));
    expect([first.json.data['name'], second.json.data['name']]).toEqual(['SAL-ORD-2026-00001', 'SAL-ORD-2026-00002']);
    expect(first.json.data['items']).toEqual([expect.objectContaining({ rate: 18.0, price_list_rate: 18.0, amount: 18.0, warehouse: 'Stores - TB', delivery_date: '2026-11-30' })]);
    const customer = await call('POST', '/api/resource/Customer', { customer_name: 'Walk-in Customer' });
    expect(customer.json.data).toMatchObject({ name: 'Walk-in Customer - 1', customer_group: 'Commercial', territory: 'All Territories' });
    expect((await call('POST', '/api/resource/Journal%20Entry', { company: 'Tillbridge Retail', posting_date: '2026-11-26', accounts: [{ account: 'Cash - TB', debit_in_account_currency: 1 }, { account: 'Sales - TB', credit_in_account_currency: 1 }] })).json.data['name']).toBe('ACC-JV-2026-00001');
  });

  it('computes totals with exact decimals: on-net-total tax rounded half up, inclusive VAT, rounded total', async () => {
    const { call } = await site();
    const tax = await call(
      'POST',
      '/api/resource/Sales%20Order',
      '{"customer": "Walk-in Customer", "company": "Tillbridge Retail", "transaction_date": "2026-11-26", "delivery_date": "2026-11-30", ' +
        '"items": [{"item_code": "TEE-RED-M", "qty": 2, "rate": 22.50}, {"item_code": "SOCKS-3PK", "qty": 3, "rate": 0.10}], ' +
        '"taxes": [{"charge_type": "On Net Total", "account_head": "Sales Tax - TB", "description": "IL state", "rate": 6.25}]}',
    );
    expect(tax.text).toContain('"amount":0.3,');
    expect(tax.json.data).toMatchObject({ total: 45.3, net_total: 45.3, total_taxes_and_charges: 2.83, grand_total: 48.13, rounded_total: 48.0, rounding_adjustment: -0.13 });
    const vat = await call('POST', '/api/resource/Sales%20Order', salesOrder({
      disable_rounded_total: 1,
      items: [{ item_code: 'HOODIE-GRY-L', qty: 2, rate: 60 }],
      taxes: [{ charge_type: 'On Net Total', account_head: 'Sales Tax - TB', description: 'VAT 20%', rate: 20, included_in_print_rate: 1 }],
    }));
    expect(vat.json.data).toMatchObject({ total: 120.0, net_total: 100.0, total_taxes_and_charges: 20.0, grand_total: 120.0, rounded_total: 0.0 });
    const early = await call('POST', '/api/resource/Sales%20Order', salesOrder({ delivery_date: '2026-11-01', items: [{ item_code: 'CAP-NAVY', qty: 1 }] }));
    expect(early.json['_server_messages']).toContain('Expected Delivery Date cannot be before Sales Order Date');
  });

  it('submits and cancels through frappe.client (JSON and form posts) and keeps docstatus rules', async () => {
    const { call, emulator } = await site();
    const order = await call('POST', '/api/resource/Sales%20Order', salesOrder({ items: [{ item_code: 'MUG-LOGO', qty: 1 }] }));
    const submit = await call('POST', '/api/method/frappe.client.submit', { doc: { doctype: 'Sales Order', name: order.json.data['name'] } });
    expect(submit.json['message']).toMatchObject({ docstatus: 1, status: 'To Deliver and Bill' });
    const cancel = await fetch(`${emulator.url}/api/method/frappe.client.cancel`, {
      method: 'POST',
      headers: { authorization: `token ${emulator.credentials.apiKey}:${emulator.credentials.apiSecret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ doctype: 'Sales Order', name: String(order.json.data['name']) }).toString(),
    });
    expect(((await cancel.json()) as { message: { docstatus: number; status: string } }).message).toMatchObject({ docstatus: 2, status: 'Cancelled' });
    const again = await call('PUT', `/api/resource/Sales%20Order/${String(order.json.data['name'])}`, { po_no: 'x' });
    expect(again).toMatchObject({ status: 417, json: { exc_type: 'ValidationError' } });
    expect(again.json['_server_messages']).toContain('Cannot edit cancelled document');
    const bin = await call('GET', `/api/resource/Bin?fields=${encodeURIComponent('["reserved_qty","actual_qty"]')}&filters=${encodeURIComponent('{"item_code": "MUG-LOGO"}')}`);
    expect(bin.json.data).toEqual([{ reserved_qty: 0.0, actual_qty: 100.0 }]);
    const state = (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as { counts: Record<string, number> };
    expect(state.counts).toMatchObject({ 'Sales Order': 1, Item: 8, Bin: 8, Customer: 1, Company: 1, Warehouse: 3, 'Price List': 2 });
  });

  it('answers injected faults in Frappe shape: 429 TooManyRequestsError and a 503 outage with Retry-After', async () => {
    const { emulator, call } = await site({ retryAfterSeconds: 2 });
    await fetch(`${emulator.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rateLimitRate": 1}' });
    const limited = await call('GET', '/api/resource/Item');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.json).toMatchObject({ exc_type: 'TooManyRequestsError' });
    await fetch(`${emulator.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rateLimitRate": 0, "outageSeconds": 30}' });
    const down = await call('GET', '/api/resource/Item');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    expect(down.json).toMatchObject({ exc_type: 'SessionStopped' });
  });
});
