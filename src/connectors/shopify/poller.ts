import { z } from 'zod';
import { TillbridgeError, type Clock } from '../../model/index.js';
import type { Poller, PollResult } from '../framework/index.js';
import type { ShopifyClient } from './client.js';
import type { OrdersPage } from './rest.js';

/**
 * Where the orders poller stands: the last order it handed over (updated_at as Shopify wrote it,
 * exact id) and, while a pagination run is under way, the `page_info` of the next page.
 */
const Cursor = z.object({ updatedAt: z.string().min(1), id: z.string().regex(/^\d+$/), pageInfo: z.string().min(1).optional() });

type Cursor = z.infer<typeof Cursor>;

/** Options of the orders poller. */
export interface ShopifyOrdersPollerOptions {
  client: Pick<ShopifyClient, 'ordersPage'>;
  intervalMs: number;
  clock: Clock;
  /** How far back a poll without a cursor reads (ms). */
  initialLookbackMs: number;
  /** Orders per page, 1–250 (default 250). */
  pageSize?: number;
}

function readCursor(text: string | null): Cursor | null {
  if (text === null) return null;
  try {
    const parsed = Cursor.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A page_info Shopify no longer knows (expired or malformed) answers 400 or 422. */
function stalePageInfo(error: unknown): boolean {
  return error instanceof TillbridgeError && error.code === 'outbound_rejected' && (error.httpStatus === 400 || error.httpStatus === 422);
}

/**
 * Polls `orders.json?status=any&order=updated_at asc&updated_at_min=…` for orders a webhook may
 * have missed. Each order is handed over like an orders/updated webhook, deduplicated by
 * `poll:orders/updated:<id>:<updated_at>` (one key per version of an order). While Shopify has
 * another page the result says `more` and the cursor carries its page_info; a new run starts at
 * the last updated_at seen (inclusive: the order at the cursor comes again and is dropped by its
 * key, so an order updated in the same second is never skipped). A stale page_info restarts the
 * run from the cursor's updated_at.
 */
export function createShopifyOrdersPoller(options: ShopifyOrdersPollerOptions): Poller {
  const limit = options.pageSize ?? 250;
  return {
    name: 'orders',
    intervalMs: options.intervalMs,
    async poll(cursorText: string | null, signal: AbortSignal): Promise<PollResult> {
      const cursor = readCursor(cursorText);
      const since = cursor?.updatedAt ?? new Date(options.clock.now() - options.initialLookbackMs).toISOString();
      let page: OrdersPage;
      if (cursor?.pageInfo) {
        try {
          page = await options.client.ordersPage({ pageInfo: cursor.pageInfo, limit }, signal);
        } catch (error) {
          if (!stalePageInfo(error)) throw error;
          page = await options.client.ordersPage({ updatedAtMin: since, limit }, signal);
        }
      } else {
        page = await options.client.ordersPage({ updatedAtMin: since, limit }, signal);
      }
      const last = page.orders.at(-1);
      const position = last ? { updatedAt: last.updatedAt, id: last.id } : cursor ? { updatedAt: cursor.updatedAt, id: cursor.id } : { updatedAt: since, id: '0' };
      const more = page.nextPageInfo !== null;
      const next: Cursor | null = more ? { ...position, pageInfo: page.nextPageInfo! } : last || cursor ? position : null;
      return {
        items: page.orders.map((order) => ({ dedupKey: `poll:orders/updated:${order.id}:${order.updatedAt}`, topic: 'orders/updated', payload: order.json })),
        cursor: next === null ? null : JSON.stringify(next),
        more,
      };
    },
  };
}
