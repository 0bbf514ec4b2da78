import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shopifyWebhookHeaders } from '../src/connectors/shopify/webhooks.js';
import { basketToShopifyOrder, randomBasket } from '../src/runtime/sandbox/index.js';
import { startBenchHub } from './hub-process.js';


/** Figures of the webhook bench. */
export interface WebhookBenchResult {
  webhooks: number;
  ackedPerSecond: number;
  p50: number;
  p99: number;
  /** Orders per second from the first webhook sent until every order was interpreted and stored. */
  endToEndPerSecond: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function metricValue(url: string, prefix: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * Signed Shopify orders/create webhooks into a hub process (one per order, `concurrency` at a
 * time): how fast they are verified, kept and acknowledged, and how fast they become orders.
 */
export async function webhookBench(location: { data: string; databaseUrl?: string }, count: number, concurrency: number): Promise<WebhookBenchResult> {
  const secret = 'bench-webhook-secret';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-bench-webhooks-'));
  const config = path.join(dir, 'tillbridge.config.yaml');
  fs.writeFileSync(path.join(dir, 'secret'), secret);
  fs.writeFileSync(path.join(dir, 'token'), 'shpat_bench');
  fs.writeFileSync(
    config,
    'connections:\n  - id: shop-bench\n    system: shopify\n    settings:\n      shopDomain: bench.myshopify.com\n      baseUrl: http://127.0.0.1:9\n      pollIntervalMs: 3600000\n    secrets:\n      accessToken: file:token\n      webhookSecret: file:secret\n',
  );
  const { child, url } = await startBenchHub(['--config', config, '--data', location.data, ...(location.databaseUrl ? ['--database-url', location.databaseUrl] : [])], { logLevel: 'error' });
  try {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const deliveries = Array.from({ length: count }, (_, i) => {
      const body = JSON.stringify({ id: 7_000_000 + i, ...basketToShopifyOrder(randomBasket(random), { number: 100_000 + i, paymentIntent: `pi_bench_${i}`, random, now: new Date() }) });
      const headers = shopifyWebhookHeaders({ body, secret, topic: 'orders/create', shopDomain: 'bench.myshopify.com', webhookId: `bench-${i}`, apiVersion: '2026-04', triggeredAt: new Date().toISOString() });
      return { body, headers };
    });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < deliveries.length) {
          const delivery = deliveries[next++]!;
          const t0 = performance.now();
          const response = await fetch(`${url}/webhooks/shopify/shop-bench`, { method: 'POST', headers: delivery.headers, body: delivery.body });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const acked = (performance.now() - started) / 1000;
    while ((await metricValue(url, 'tillbridge_messages_total{type="inbound.received",outcome="done"}')) < count) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { webhooks: count, ackedPerSecond: count / acked, p50: percentile(latencies, 50), p99: percentile(latencies, 99), endToEndPerSecond: count / done };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
