import { z } from 'zod';
import type { Clock } from '../../model/index.js';
import type { Poller, PollResult } from '../framework/index.js';
import { problemOf } from './client-support.js';
import type { ShipmentOrderPage, WarehouseClient } from './client.js';
import type { ShipmentOrder } from './wire.js';

/**
 * Where the shipments poller stands: the largest `updatedAt` it has seen (the warehouse's clock) and,
 * while a run pages through a long result, the run's `updatedSince` and the next page's cursor.
 */
const Cursor = z.object({
  updatedAt: z.string().min(1),
  run: z.object({ since: z.string().min(1), page: z.string().min(1) }).optional(),
});

type Cursor = z.infer<typeof Cursor>;

/** One payload a poll hands over, like a webhook delivery. */
type PollItem = PollResult['items'][number];

/** Options of the shipments poller. */
export interface WarehouseShipmentsPollerOptions {
  client: Pick<WarehouseClient, 'listUpdatedShipmentOrders'>;
  intervalMs: number;
  clock: Clock;
  /** How far back a poll without a cursor reads (ms). */
  initialLookbackMs: number;
  /** How far before the cursor each run starts again, for late or skewed `updatedAt`s (ms, default 60 s). */
  overlapMs?: number;
  /** Orders per page, 1–250 (default 100). */
  pageSize?: number;
  /** The warehouse's site code, put in the `location` of recovered shipments (the webhook's field). */
  warehouseLocation?: string | undefined;
}

function readCursor(text: string | null): Cursor | null {
  if (text === null) return null;
  try {
    const parsed = Cursor.safeParse(JSON.parse(text));
    return parsed.success && Number.isFinite(Date.parse(parsed.data.updatedAt)) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** True when units of the order remain to ship, neither shipped nor cancelled. */
const hasOpenUnits = (order: ShipmentOrder) => order.lines.some((l) => l.quantity - l.shippedQuantity - l.cancelledQuantity > 0);

/**
 * The `shipment.confirmed` and `shipment-order.cancelled` payloads the order's webhooks carried,
 * rebuilt from its current state, each with a key stable per shipment or cancellation. `partial` of
 * the last shipment is read from what is open now (interpretation does not use it).
 */
export function pollItemsOf(order: ShipmentOrder, warehouseLocation?: string): PollItem[] {
  const shipments = order.shipments.map((shipment, index): PollItem => {
    const dedupKey = `shipment:${shipment.id}`;
    const payload = {
      type: 'shipment.confirmed',
      eventId: dedupKey,
      shipmentOrderId: order.id,
      reference: order.reference,
      orderNumber: order.orderNumber ?? null,
      shipmentId: shipment.id,
      location: warehouseLocation ?? null,
      lines: shipment.lines,
      carrier: shipment.carrier,
      service: shipment.service ?? null,
      trackingNumber: shipment.trackingNumber ?? null,
      trackingUrl: shipment.trackingUrl ?? null,
      shippedAt: shipment.shippedAt,
      partial: index < order.shipments.length - 1 || hasOpenUnits(order),
    };
    return { dedupKey, topic: 'shipment.confirmed', payload: JSON.stringify(payload) };
  });
  const cancellations = order.cancellations.map((cancellation): PollItem => {
    const dedupKey = `cancellation:${order.id}:${cancellation.cancellationId ?? 'cancelled'}`;
    const payload = {
      type: 'shipment-order.cancelled',
      eventId: dedupKey,
      shipmentOrderId: order.id,
      reference: order.reference,
      ...(cancellation.cancellationId ? { cancellationId: cancellation.cancellationId } : {}),
      cancelledAt: cancellation.cancelledAt,
      reason: cancellation.reason ?? null,
      lines: cancellation.lines,
      partial: cancellation.partial,
    };
    return { dedupKey, topic: 'shipment-order.cancelled', payload: JSON.stringify(payload) };
  });
  return [...shipments, ...cancellations];
}

/** A page cursor the warehouse no longer accepts answers `400 invalid_cursor`. */
function staleCursor(error: unknown): boolean {
  const problem = problemOf(error);
  return problem?.status === 400 && problem.code === 'invalid_cursor';
}

const later = (a: string | undefined, b: string): string => (a !== undefined && Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Polls `GET /v1/shipment-orders?updatedSince=…` for shipments and cancellations whose webhook was
 * lost (the warehouse gives up on an unreachable hub). Each shipment is handed over as the
 * `shipment.confirmed` webhook it had, keyed `shipment:<shipmentId>`, and each cancellation as its
 * `shipment-order.cancelled`, keyed `cancellation:<shipmentOrderId>:<cancellationId|cancelled>`, so
 * `interpret` gives the same fulfillment (same reference) and a re-poll is a duplicate. A run starts
 * `overlapMs` before the largest `updatedAt` seen (which never moves back) and follows the API's
 * cursor while it has more pages (`more`); a cursor the API no longer knows restarts the run.
 */
export function createWarehouseShipmentsPoller(options: WarehouseShipmentsPollerOptions): Poller {
  const limit = options.pageSize ?? 100;
  const overlapMs = options.overlapMs ?? 60_000;
  return {
    name: 'shipments',
    intervalMs: options.intervalMs,
    async poll(cursorText: string | null, signal: AbortSignal): Promise<PollResult> {
      const cursor = readCursor(cursorText);
      const since =
        cursor?.run?.since ?? new Date(cursor ? Date.parse(cursor.updatedAt) - overlapMs : options.clock.now() - options.initialLookbackMs).toISOString();
      let page: ShipmentOrderPage;
      try {
        page = await options.client.listUpdatedShipmentOrders({ updatedSince: since, cursor: cursor?.run?.page, limit }, signal);
      } catch (error) {
        if (!cursor?.run || !staleCursor(error)) throw error;
        page = await options.client.listUpdatedShipmentOrders({ updatedSince: since, limit }, signal);
      }
      const seen = page.orders.reduce<string | undefined>((mark, order) => later(mark, order.updatedAt), cursor?.updatedAt);
      const more = page.nextCursor !== null && seen !== undefined;
      const next: Cursor | null = seen === undefined ? null : { updatedAt: seen, ...(more ? { run: { since, page: page.nextCursor! } } : {}) };
      return {
        items: page.orders.flatMap((order) => pollItemsOf(order, options.warehouseLocation)),
        cursor: next === null ? null : JSON.stringify(next),
        more,
      };
    },
  };
}
