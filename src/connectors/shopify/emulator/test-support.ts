import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShopifyClient } from '../client.js';
import { ShopifySettings, type ShopifySettingsInput } from '../config.js';
import { startShopifyEmulator, type RunningShopifyEmulator, type ShopifyEmulatorOptions } from './server.js';
import { stringifyExact } from './support.js';

/** One webhook delivery as the receiver got it. */
export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A small webhook receiver on loopback that keeps every delivery (closed through `closers`). */
export async function webhookReceiver(closers: (() => Promise<void>)[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify/shop-main`, received };
}

/**
 * An emulated shop on a real port whose webhooks go to a receiver, with raw HTTP helpers (`call`,
 * `admin`, `graphql`) and a client of connection `shop-main` (closed through `closers`).
 */
export async function startSandboxShop(closers: (() => Promise<void>)[], options: ShopifyEmulatorOptions = {}, settings: Partial<ShopifySettingsInput> = {}) {
  const hook = await webhookReceiver(closers);
  const emulator: RunningShopifyEmulator = await startShopifyEmulator({ webhookUrl: hook.url, ...options });
  closers.push(() => emulator.close());
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(emulator.url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : stringifyExact(body) }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const admin = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    call(init.method ?? 'GET', `/admin/api/2026-04${path}`, init.body, { 'x-shopify-access-token': init.token ?? emulator.credentials.accessToken });
  const graphql = async (query: string, variables: Record<string, unknown> = {}, version = '2026-04') => {
    const response = await call('POST', `/admin/api/${version}/graphql.json`, { query, variables }, { 'x-shopify-access-token': emulator.credentials.accessToken });
    return JSON.parse(response.text) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: { cost: Record<string, unknown> } };
  };
  const client = createShopifyClient({
    connectionId: 'shop-main',
    settings: ShopifySettings.parse({ shopDomain: emulator.shopDomain, baseUrl: emulator.url, locationId: emulator.locationId, ...settings }),
    secrets: { accessToken: emulator.credentials.accessToken },
  });
  return { emulator, hook, call, admin, graphql, client };
}
