import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/testing/index.js';
import { call } from '../support/http.js';
import { placeShopOrder, untilInHub } from '../support/shop-orders.js';
import { startSandboxHub, type SandboxHub } from '../support/sandbox-hub.js';

const chromiumPath = process.env.TILLBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const noBrowser = fs.existsSync(chromiumPath) ? null : `no Chromium at ${chromiumPath} (apt-get install -y chromium)`;
if (noBrowser) {
  if (process.env.CI === 'true') throw new Error(`browser tests need Chromium in CI: ${noBrowser}`);
  console.warn(`\n!!! SKIPPING the console browser tests: ${noBrowser}\n`);
}

const shots = path.resolve('test-results', 'console');
const key = 'console-browser-bootstrap-key-0123456789';
const newSku = 'LAUNCH-HOODIE-L';

/** Builds the console's browser scripts from src/console/ui, so the test drives the code as it is now. */
function buildConsoleUi(): void {
  execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.console.json'], { stdio: 'inherit' });
}

describe.skipIf(noBrowser !== null)('operations console in a real browser', () => {
  let env: SandboxHub;
  let browser: Browser;
  let page: Page;
  let personKey: string;
  const errors: string[] = [];

  /** Saves a screenshot after checking the page fits a laptop screen's width. */
  async function shot(name: string): Promise<void> {
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow, `${name} fits the laptop screen`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    buildConsoleUi();
    fs.mkdirSync(shots, { recursive: true });
    env = await startSandboxHub({
      name: 'console',
      key,
      configure: (config) => {
        // Booking a Sales Order has 1 s before its order counts as stuck.
        (config['orderToCash'] as Record<string, unknown>)['slas'] = { 'book-sales-order': '1s' };
      },
    });
    const created = await env.api('POST', '/v1/keys', { name: 'Dana from operations', scopes: ['admin'] });
    personKey = created.body['key'] as string;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (error) => errors.push(String(error)));
    // Only the deliberate wrong sign-in and the not-yet-signed-in session check may answer 4xx.
    page.on('response', (response) => {
      const expected = new URL(response.url()).pathname === '/console/session' && response.status() === 401;
      if (response.status() >= 400 && !expected) errors.push(`${response.request().method()} ${response.url()} → ${response.status()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('signs in, finds a stuck order, replays its dead letter once the ERP is fixed, and sees it succeed', async () => {
    // A new product sells in the shop before anyone created it in the ERP: its Sales Order cannot be booked.
    await env.api('POST', '/v1/inventory/events', { events: [{ sku: newSku, locationId: 'wh-main', onHand: 20, sourceVersion: 1, occurredAt: new Date().toISOString() }] });
    const placed = await placeShopOrder(env.sandbox, { lines: [{ sku: newSku, title: 'Launch hoodie L', quantity: 1, unitPrice: 6000 }], shipping: 500, taxRate: '0' }, { number: 7001 });
    const orderId = await untilInHub(env.api, placed.externalId);
    await waitFor(async () => ((await env.api('GET', `/v1/dead-letters?correlationId=${encodeURIComponent(((await env.api('GET', `/v1/orders/${orderId}`)).body['correlationId'] as string))}`)).body['data'] as unknown[]).length > 0, { timeoutMs: 20_000, what: 'the booking to dead-letter' });
    await waitFor(async () => ((await env.api('GET', '/v1/orders?status=stuck')).body['data'] as { id: string }[]).some((o) => o.id === orderId), { timeoutMs: 10_000, what: 'the order to count as stuck' });

    await page.goto(`${env.hub.url}/console`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('01-sign-in');
    await page.getByLabel('API key').fill('tb_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('not valid').waitFor();
    await page.getByLabel('API key').fill(personKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Signed in as').waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'tb_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.locator('[data-testid="stuck-orders"] .value').filter({ hasText: /^[1-9]/ }).waitFor();
    await page.locator('[data-testid="chart-throughput"] canvas, [data-testid="chart-throughput"] p').first().waitFor();
    await shot('02-overview');

    await page.locator('nav.side a[data-nav="orders"]').click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    const row = page.locator('[data-testid="orders"] tr', { hasText: '#7001' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/book sales order/i);
    await shot('03-orders-stuck');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Order #7001' }).waitFor();
    const failed = page.locator('[data-testid="order-dead-letters"]');
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toContain(newSku);
    await page.locator('[data-testid="order-timeline"]').waitFor();
    await shot('04-order-diagnosis');

    // The merchandiser creates the item in the ERP, as the dead letter's reason asks.
    const erp = env.sandbox.connections['erp-main']!;
    const item = await call('POST', `${erp.baseUrl}/api/resource/Item`, { item_code: newSku, item_name: 'Launch hoodie L', item_group: 'Products', stock_uom: 'Nos', is_stock_item: 1 }, { authorization: `token ${erp['apiKey']}:${erp['apiSecret']}` });
    expect(item.status).toBeLessThan(300);

    await failed.getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Dead letter:/ }).waitFor();
    await expect(page.locator('[data-testid="advice"]').textContent()).resolves.toContain(`The ERP has no item ${newSku}`);
    await shot('05-dead-letter');
    await page.locator('[data-testid="replay"]').click();
    await page.getByText('Replayed: the message succeeded.').waitFor({ timeout: 25_000 });
    await shot('06-replayed');
    await waitFor(async () => ['booked', 'released', 'partially_shipped', 'shipped'].includes((await env.api('GET', `/v1/orders/${orderId}`)).body['status'] as string), { timeoutMs: 20_000, what: 'the order to be booked' });

    await page.goto(`${env.hub.url}/console/orders/${orderId}`);
    await page.getByRole('heading', { name: 'Order #7001' }).waitFor();
    await expect(page.locator('[data-testid="order-status"]').textContent()).resolves.toMatch(/booked|released|shipped/);
    expect(await page.locator('[data-testid="order-dead-letters"]').count()).toBe(0);
    await shot('07-order-fixed');
  }, 120_000);

  it('shows every page of the console without errors, readable on a laptop screen', async () => {
    const visits: [string, string, string][] = [
      ['messages?q=%237001', 'Flows and messages', '08-messages'],
      ['dead-letters', 'Dead letters', '09-dead-letters'],
      ['slas', 'Business SLAs', '10-slas'],
      ['connections', 'Connections', '11-connections'],
      ['reconciliation', 'Reconciliation', '12-reconciliation'],
      ['settlements', 'Settlements', '13-settlements'],
      ['', 'Overview', '14-overview-after'],
    ];
    for (const [route, heading, name] of visits) {
      await page.goto(`${env.hub.url}/console/${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      expect(await page.locator('main .error').count(), `${route} shows an error`).toBe(0);
      await shot(name);
    }
    await page.goto(`${env.hub.url}/console/messages?q=%237001`);
    await page.locator('[data-testid="messages"] a').first().click();
    await page.locator('[data-testid="message-history"]').waitFor();
    await shot('15-message-history');
    await page.goto(`${env.hub.url}/console/connections`);
    await expect(page.locator('[data-testid="connections"]').textContent()).resolves.toContain('2026-04');
    expect(errors).toEqual([]);
  }, 120_000);
});
