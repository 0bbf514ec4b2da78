import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';
import { systemClock } from '../../model/index.js';
import { InboundEvent, type ConnectionInstance } from '../framework/index.js';
import type { WarehouseClient } from './client.js';
import { startWarehouseEmulator, type RunningWarehouseEmulator, type WarehouseEmulatorOptions } from './emulator/server.js';
import { warehouseConnector } from './index.js';
import type { NewShipmentOrder } from './wire.js';

/** A webhook delivery as the receiver got it. */
export interface Received {
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  type: string;
  body: Record<string, unknown>;
}

/** A real HTTP receiver standing in for the hub's webhook endpoint. */
export async function startWebhookReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ raw, headers: req.headers, type: String(req.headers['x-warehouse-event-type']), body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/warehouse/wh-main`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, received, close };
}

/**
 * The emulator, a webhook receiver and a `wh-main` connection to it; `close()` stops all of them.
 * `accept` verifies, identifies and interprets a delivery as the hub would.
 */
export async function startWarehouseSandbox(options: WarehouseEmulatorOptions = {}) {
  const receiver = await startWebhookReceiver();
  let emulator: RunningWarehouseEmulator;
  try {
    emulator = await startWarehouseEmulator({ shipDelayMs: 30, webhookUrl: receiver.url, ...options });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  const connection = warehouseConnector.create({
    connectionId: 'wh-main',
    settings: warehouseConnector.settings.parse({ baseUrl: emulator.url, locationId: 'wh-main', timeoutMs: 2000 }),
    secrets: emulator.credentials,
    clock: systemClock,
  }) as ConnectionInstance<WarehouseClient>;
  const accept = (delivery: Received) => {
    expect(connection.webhooks!.verify(delivery.raw, delivery.headers, Date.now())).toEqual({ ok: true });
    const identity = connection.webhooks!.identify(delivery.raw, delivery.headers);
    const events = connection.interpret!(identity.topic, delivery.raw.toString('utf8'));
    for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
    return { identity, events };
  };
  const sandbox = (path: string, body: unknown = {}) =>
    fetch(`${emulator.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const state = async () => (await (await fetch(`${emulator.url}/_sandbox/state`)).json()) as Record<string, unknown> & {
    stock: { sku: string; onHand: number; allocated: number; available: number }[];
  };
  const close = async () => {
    await emulator.close();
    await receiver.close();
  };
  return { emulator, receiver, connection, client: connection.client, accept, sandbox, state, close };
}

/** A starter of warehouse sandboxes for one test file: each sandbox it starts is closed after the test that started it. */
export function sandboxesPerTest(): (options?: WarehouseEmulatorOptions) => ReturnType<typeof startWarehouseSandbox> {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const sandbox = await startWarehouseSandbox(options);
    open.push(sandbox);
    return sandbox;
  };
}

/** A shipment order to `Ana Silva` with these lines. */
export function shipmentOrder(reference: string, lines: NewShipmentOrder['lines']): NewShipmentOrder {
  return {
    reference,
    orderNumber: `#${reference}`,
    shipTo: { name: 'Ana Silva', line1: '1 Main St', city: 'Springfield', country: 'US' },
    serviceLevel: 'standard',
    lines,
  };
}
