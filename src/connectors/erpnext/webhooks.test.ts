import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../model/index.js';
import { InboundEvent, type ConnectionInstance } from '../framework/index.js';
import { ErpnextSettings } from './config.js';
import { erpnextConnector, type ErpnextClient } from './index.js';
import { closeEmulators, setup } from './test-support.js';
import { identifyErpnextWebhook, signFrappePayload, verifyErpnextWebhook } from './webhooks.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}

const receivers: http.Server[] = [];
afterEach(async () => {
  await closeEmulators();
  await Promise.all(receivers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function receiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks) });
      response.writeHead(200).end('{}');
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/erpnext/erp-main`, received };
}

function interpretAll(connection: ConnectionInstance<ErpnextClient>, deliveries: Received[]) {
  return deliveries.map((delivery) => {
    expect(connection.webhooks!.verify(delivery.raw, delivery.headers, Date.now())).toEqual({ ok: true });
    const identity = connection.webhooks!.identify(delivery.raw, delivery.headers);
    const events = connection.interpret!(identity.topic, delivery.raw.toString('utf8'));
    for (const event of events) InboundEvent.parse(event);
    return { ...identity, events };
  });
}

describe('ERPNext webhooks from the emulator', () => {
  it('signs Bin changes (stock set, order reserved, delivery shipped) and they map to inventory levels', async () => {
    const hook = await receiver();
    const { emulator, erp, sandbox } = await setup({ webhookUrl: hook.url });
    const connection = erpnextConnector.create({
      connectionId: 'erp-main',
      settings: ErpnextSettings.parse({ baseUrl: emulator.url, company: emulator.company }),
      secrets: emulator.credentials,
      clock: systemClock,
    });

    await sandbox('stock', { item_code: 'TEE-RED-M', warehouse: 'Stores - TB', qty: 37 });
    await emulator.idle();
    expect(hook.received).toHaveLength(1);
    const [first] = hook.received;
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.headers['x-frappe-webhook-signature']).toBe(signFrappePayload(first!.raw, emulator.credentials.webhookSecret));
    // The body is what Frappe's json.dumps writes: ", " and ": " separators, floats with a decimal point.
    expect(first!.raw.toString('utf8')).toMatch(/^\{"event": "on_update", "doc": \{"name": "[0-9a-z]{10}", "owner": "Administrator", /);
    expect(first!.raw.toString('utf8')).toContain('"actual_qty": 37.0, "reserved_qty": 0.0');
    const [stockSet] = interpretAll(connection, [first!]);
    const modified = (JSON.parse(first!.raw.toString('utf8')) as { doc: { modified: string } }).doc.modified;
    expect(stockSet).toMatchObject({
      topic: 'Bin:on_update',
      dedupKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      events: [{ kind: 'inventory-level', sku: 'TEE-RED-M', locationId: 'Stores - TB', onHand: 37, occurredAt: `${modified.slice(0, 10)}T${modified.slice(11, 23)}Z`, sourceVersion: modified }],
    });

    const order = await erp.salesOrders.ensure({ reference: 'ord_1', customer: 'Walk-in Customer', currency: 'USD', transactionDate: '2026-11-26', deliveryDate: '2026-11-27', lines: [{ itemCode: 'TEE-RED-M', qty: 2, rate: 2500 }] });
    await erp.salesOrders.submit(order.doc.name);
    const note = await erp.deliveryNotes.ensure({ reference: 'ful_1', salesOrder: order.doc.name, postingDate: '2026-11-27' });
    await erp.deliveryNotes.submit(note.doc.name);
    await emulator.idle();
    const later = interpretAll(connection, hook.received.slice(1));
    expect(later.map((d) => d.topic)).toEqual(['Bin:on_update', 'Bin:on_update', 'Bin:on_update']);
    expect(later.map((d) => d.events[0]).map((e) => (e?.kind === 'inventory-level' ? e.onHand : undefined))).toEqual([37, 37, 35]);
    expect(new Set([stockSet!.dedupKey, ...later.map((d) => d.dedupKey)]).size).toBe(4);
    expect(identifyErpnextWebhook(first!.raw, first!.headers).dedupKey).toBe(stockSet!.dedupKey);
  });

  it('sends Item and Item Price changes: the Item maps to a product, the price to a price event; no URL, no sends', async () => {
    const hook = await receiver();
    const { emulator, erp, sandbox, state } = await setup({ webhookUrl: hook.url });
    const settings = ErpnextSettings.parse({ baseUrl: emulator.url, company: emulator.company });
    const connection = erpnextConnector.create({ connectionId: 'erp-main', settings, secrets: emulator.credentials, clock: systemClock });

    await erp.items.ensure({ itemCode: 'BEANIE-GRN', itemName: 'Beanie green', barcode: '4006381333931' });
    await erp.itemPrices.set({ itemCode: 'BEANIE-GRN', amount: 1999, currency: 'USD' });
    await emulator.idle();
    const [item, price] = interpretAll(connection, hook.received);
    expect(item).toMatchObject({
      topic: 'Item:on_update',
      events: [
        {
          kind: 'product',
          product: { productId: 'BEANIE-GRN', title: 'Beanie green', status: 'active', attributes: { itemGroup: 'Products', stockUom: 'Nos', isStockItem: true }, variants: [{ sku: 'BEANIE-GRN', barcode: '4006381333931', options: {} }] },
        },
      ],
    });
    expect(price).toMatchObject({ topic: 'Item Price:on_update', events: [{ kind: 'price', price: { sku: 'BEANIE-GRN', channel: 'default', currency: 'USD', amount: 1999 }, priceList: 'Standard Selling' }] });

    await sandbox('webhooks', { url: null });
    await erp.items.update('BEANIE-GRN', { disabled: true });
    await emulator.idle();
    expect(hook.received).toHaveLength(2);
    expect((await state()).events.at(-1)).toMatchObject({ topic: 'Item:on_update', name: 'BEANIE-GRN', sent: false });
  });
});

describe('ERPNext pollers', () => {
  it('read Bins and Items changed since the cursor, with the same topic, payload shape and dedup key as webhooks', async () => {
    const hook = await receiver();
    const { emulator, sandbox } = await setup({ webhookUrl: hook.url });
    const settings = ErpnextSettings.parse({ baseUrl: emulator.url, company: emulator.company, pollIntervalMs: 60_000 });
    const connection = erpnextConnector.create({ connectionId: 'erp-main', settings, secrets: emulator.credentials, clock: systemClock });
    const [bins, items] = connection.pollers!;
    expect([bins!.name, items!.name, bins!.intervalMs]).toEqual(['bin-changes', 'item-changes', 60_000]);

    const all = await bins!.poll(null, new AbortController().signal);
    expect(all.items).toHaveLength(8);
    expect(all.more).toBe(false);
    const levels = all.items.flatMap((item) => connection.interpret!(item.topic, item.payload));
    expect(levels).toHaveLength(8);
    expect(levels[0]).toMatchObject({ kind: 'inventory-level', onHand: 100, locationId: 'Stores - TB' });

    await sandbox('stock', { item_code: 'CAP-NAVY', warehouse: 'Stores - TB', qty: 12 });
    await emulator.idle();
    const next = await bins!.poll(all.cursor, new AbortController().signal);
    const changed = next.items.find((item) => item.payload.includes('CAP-NAVY'))!;
    expect(connection.interpret!(changed.topic, changed.payload)).toMatchObject([{ sku: 'CAP-NAVY', onHand: 12 }]);
    expect(changed.dedupKey).toBe(connection.webhooks!.identify(hook.received[0]!.raw, hook.received[0]!.headers).dedupKey);

    const products = (await items!.poll(null, new AbortController().signal)).items.flatMap((item) => connection.interpret!(item.topic, item.payload));
    expect(products).toHaveLength(8);
    expect(products.find((p) => p.kind === 'product' && p.product.productId === 'TEE-RED-M')).toMatchObject({ product: { variants: [{ sku: 'TEE-RED-M', barcode: '0012345000017' }] } });
  });
});

describe('ERPNext webhook verification and identity', () => {
  const body = '{"event": "on_update", "doc": {"name": "b0a1c2d3e4", "modified": "2026-11-26 10:15:00.123456", "item_code": "TEE-RED-M", "warehouse": "Stores - TB", "actual_qty": 37.0, "doctype": "Bin"}}';
  const secret = 'whsec-frappe';

  it('checks the base64 HMAC-SHA256 of the raw body in X-Frappe-Webhook-Signature', () => {
    const signature = signFrappePayload(body, secret);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const headers = { 'x-frappe-webhook-signature': signature };
    expect(verifyErpnextWebhook(Buffer.from(body), headers, secret)).toEqual({ ok: true });
    expect(verifyErpnextWebhook(Buffer.from(body.replace('37.0', '38.0')), headers, secret)).toMatchObject({ ok: false, reason: 'X-Frappe-Webhook-Signature does not match the body' });
    expect(verifyErpnextWebhook(Buffer.from(body), headers, 'other')).toMatchObject({ ok: false });
    expect(verifyErpnextWebhook(Buffer.from(body), {}, secret)).toMatchObject({ ok: false, reason: 'missing X-Frappe-Webhook-Signature header' });
    expect(verifyErpnextWebhook(Buffer.from(body), headers, undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('no webhookSecret') });
  });

  it('derives topic and dedup key from the body (doc event in the body or an X-Frappe-Event header)', () => {
    const identity = identifyErpnextWebhook(Buffer.from(body), {});
    expect(identity.topic).toBe('Bin:on_update');
    const submitted = identifyErpnextWebhook(Buffer.from(body.replace('on_update', 'on_submit')), {});
    expect(submitted.dedupKey).not.toBe(identity.dedupKey);
    const flat = '{"doctype": "Bin", "name": "b0a1c2d3e4", "modified": "2026-11-26 10:15:00.123456", "actual_qty": 37.0}';
    expect(identifyErpnextWebhook(Buffer.from(flat), { 'x-frappe-event': 'on_update' })).toEqual(identity);
    expect(() => identifyErpnextWebhook(Buffer.from(flat), {})).toThrow(/names no doc event/);
    expect(() => identifyErpnextWebhook(Buffer.from('{"event": "on_update"}'), {})).toThrow(/names no doctype, name and modified/);
    expect(() => identifyErpnextWebhook(Buffer.from('not json'), {})).toThrow(/not JSON/);
  });
});
