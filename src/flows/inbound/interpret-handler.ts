import { permanentError, TillbridgeError, transientError, type IdGenerator } from '../../model/index.js';
import { handlerFor, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import { InboundEvent, type Connection, type Connections, type ParsedInboundEvent } from '../../connectors/framework/index.js';
import {
  findOrdersByExternalIds,
  getConnectorState,
  getInboxEntry,
  getOrderRow,
  type ChannelEventRow,
  type Db,
  type NewTimelineRow,
  type Store,
} from '../../store/index.js';
import type { OrderIntake, OrderToCash } from '../order-to-cash/index.js';
import { inboundReceived } from './messages.js';
import { applyChannelFacts, type ChannelFacts } from './apply.js';

/** What interpreting inbound payloads needs. */
export interface InboundDeps {
  store: Store;
  connections: Connections;
  intake: OrderIntake;
  newId: IdGenerator;
  /** When given, warehouse shipments start shipment workflows and channel cancellations cancel orders. */
  orderToCash?: Pick<OrderToCash, 'startShipment' | 'cancelInTransaction' | 'receiveReturn' | 'reflectChannelRefund'> | undefined;
  /** Flows that take events of other kinds (stock levels, products), applied in the same transaction as the inbox entry. */
  sinks?: readonly InboundSink[] | undefined;
}

/** A flow that applies inbound events of some kinds (e.g. inventory levels, products) with the payload's completion. */
export interface InboundSink {
  kinds: readonly ParsedInboundEvent['kind'][];
  /** Called once per event of those kinds, inside the transaction that completes the inbound message. */
  apply(tx: HandlerTransaction, event: ParsedInboundEvent, source: { connection: Connection; inboxId: string; correlationId: string }): Promise<void>;
}

/** Kinds of events that concern an order the channel itself sent: they wait until that order has arrived. */
const waitsForOrder = new Set(['order-cancelled', 'refund', 'fulfillment', 'return-received']);

/**
 * Interprets an inbox entry with its connector's mapper and applies the canonical events: orders go
 * through order intake (deduplicated by source and external id, so a duplicate or a poll of the
 * same order creates nothing), a newer version of a known order is recorded on its timeline, a
 * stale one is ignored, and every other event is kept and linked to its order. An event about an
 * order that has not arrived yet is retried (webhooks arrive out of order) and dead-letters with
 * the reason when it never comes.
 */
export function interpretInbound(deps: InboundDeps): HandlerRegistration {
  return handlerFor(inboundReceived, async (ctx) => {
    const { connectionId, inboxId, topic } = ctx.message.data;
    const connection = deps.connections.get(connectionId);
    if (!connection) throw permanentError('unknown_connection', `connection ${connectionId} is not configured (add it back and replay)`);
    const entry = await getInboxEntry(deps.store.db, inboxId);
    if (!entry) throw permanentError('inbox_entry_missing', `inbox entry ${inboxId} does not exist`);
    const events = parseEvents(connection, topic, entry.payload);
    const facts: ChannelFacts = { timeline: [], channelEvents: [], versions: [] };
    const actions: ((tx: HandlerTransaction) => Promise<void>)[] = [];
    const now = Date.parse(ctx.message.time);

    for (const [index, event] of events.entries()) {
      if (event.kind === 'order') {
        await applyOrderEvent(deps, connection, event, facts, ctx.message.correlationid);
        continue;
      }
      const orderId = await linkedOrder(deps.store.db, connection, event);
      const isChannel = connection.definition.capabilities.includes('OrderSource');
      if (!orderId && waitsForOrder.has(event.kind) && isChannel) {
        throw transientError('order_not_received', `${event.kind} for ${connectionId} order ${orderExternalIdOf(event)} arrived before the order itself; waiting for it`);
      }
      if (!orderId && waitsForOrder.has(event.kind)) {
        throw permanentError('unknown_order', `${connection.system} ${connectionId} sent ${event.kind} for order ${orderExternalIdOf(event)}, which the hub does not know (fix the reference and replay)`, 422);
      }
      facts.channelEvents.push(channelEventRow(connectionId, inboxId, index, event, orderId, now));
      if (orderId) facts.timeline.push(timelineRow(orderId, connection, event, ctx.message));
      const action = orderId ? orderAction(deps, connection, isChannel, orderId, event) : undefined;
      if (action) actions.push(action);
      for (const sink of deps.sinks ?? []) {
        if (sink.kinds.includes(event.kind)) actions.push((tx) => sink.apply(tx, event, { connection, inboxId, correlationId: ctx.message.correlationid }));
      }
    }
    await ctx.commit(async (tx) => {
      await applyChannelFacts(tx.db, connectionId, inboxId, facts, events.length > 0, tx.now);
      for (const action of actions) await action(tx);
    });
  });
}

function parseEvents(connection: Connection, topic: string, payload: string): ParsedInboundEvent[] {
  const raw = connection.instance.interpret?.(topic, payload) ?? [];
  return raw.map((event, index) => {
    const parsed = InboundEvent.safeParse(event);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ');
      throw permanentError('invalid_mapping', `${connection.system} ${topic}: event ${index} does not fit the canonical model: ${issues}`);
    }
    return parsed.data;
  });
}

async function applyOrderEvent(
  deps: InboundDeps,
  connection: Connection,
  event: Extract<ParsedInboundEvent, { kind: 'order' }>,
  facts: ChannelFacts,
  correlationId: string,
): Promise<void> {
  const order = { ...event.order, source: connection.id };
  const versionKey = `order-version:${order.externalId}`;
  const result = await deps.intake.submit({ order, principal: `connection:${connection.id}`, via: connection.system });
  if (result.statusCode === 422) {
    throw permanentError('invalid_order', `${connection.system} order ${order.externalId} is not a valid canonical order: ${JSON.stringify(result.body['errors'] ?? result.body['detail'])}`, 422, result.body);
  }
  if (result.statusCode >= 400 && result.statusCode !== 409) {
    throw transientError('intake_failed', `order intake answered ${result.statusCode} for ${connection.id}/${order.externalId}`);
  }
  const version = event.channelUpdatedAt ?? order.placedAt;
  if (result.statusCode !== 409) {
    facts.versions.push({ key: versionKey, value: version });
    return;
  }
  const orderId = String(result.body['orderId']);
  const known = await getConnectorState(deps.store.db, connection.id, versionKey);
  if (known !== null && Date.parse(known) >= Date.parse(version)) return;
  facts.versions.push({ key: versionKey, value: version });
  facts.timeline.push({
    order_id: orderId,
    event: 'channel.order.updated',
    system: connection.system,
    detail: JSON.stringify({ connectionId: connection.id, channelUpdatedAt: version, channelStatus: event.channelStatus ?? {}, totals: order.totals }),
    correlation_id: correlationId,
    message_id: null,
  });
}

/**
 * What an event sets in motion for its order: a warehouse's shipment starts a shipment workflow
 * (its reference makes a duplicate start nothing) and its receipt of a return starts the refund; a
 * channel's cancellation cancels what is open and its own refund is reflected in the ERP.
 * A channel's own fulfillments (including the echo of ones the hub pushed) are only recorded.
 */
function orderAction(
  deps: InboundDeps,
  connection: Connection,
  isChannel: boolean,
  orderId: string,
  event: ParsedInboundEvent,
): ((tx: HandlerTransaction) => Promise<void>) | undefined {
  const flows = deps.orderToCash;
  if (!flows) return undefined;
  if (event.kind === 'fulfillment' && !isChannel && event.fulfillment.status !== 'cancelled' && event.fulfillment.status !== 'pending') {
    const { reference, lines, tracking, shippedAt } = event.fulfillment;
    const shipment = {
      reference,
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, ...(l.lineId ? { lineId: l.lineId } : {}), ...(l.substitutedSku ? { substitutedSku: l.substitutedSku } : {}) })),
      tracking,
      ...(shippedAt ? { shippedAt } : {}),
    };
    return async (tx) => void (await flows.startShipment(tx, { orderId, connectionId: connection.id, shipment }));
  }
  if (event.kind === 'return-received' && !isChannel) {
    const received = event.return;
    return (tx) => flows.receiveReturn(tx, { orderId, returnId: received.reference, lines: received.lines });
  }
  if (event.kind === 'refund' && isChannel) {
    const { reference, amount, lines, shipping, restock, reason } = event.refund;
    return (tx) =>
      flows.reflectChannelRefund(tx, {
        orderId,
        connectionId: connection.id,
        reference,
        amount,
        shipping: shipping ?? 0,
        lines: (lines ?? []).map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
        restock: restock ?? false,
        ...(reason ? { reason } : {}),
      });
  }
  if (event.kind === 'order-cancelled' && isChannel) {
    return async (tx) => {
      try {
        await flows.cancelInTransaction(tx, orderId, { reason: event.reason ?? `cancelled in ${connection.system}` });
      } catch (error) {
        if (!(error instanceof TillbridgeError && error.code === 'nothing_to_cancel')) throw error;
      }
    };
  }
  return undefined;
}

function orderExternalIdOf(event: ParsedInboundEvent): string | undefined {
  return 'orderExternalId' in event ? event.orderExternalId : undefined;
}

/** The hub order an event is about: by the channel's order id, else by the hub's own id (warehouses send it back). */
async function linkedOrder(db: Db, connection: Connection, event: ParsedInboundEvent): Promise<string | null> {
  const externalId = orderExternalIdOf(event);
  if (!externalId) return null;
  const [byChannel] = await findOrdersByExternalIds(db, [{ source: connection.id, externalId }]);
  if (byChannel) return byChannel.id;
  return (await getOrderRow(db, externalId))?.id ?? null;
}

function subjectOf(event: ParsedInboundEvent): string {
  switch (event.kind) {
    case 'order':
      return event.order.externalId;
    case 'product':
      return event.product.productId;
    case 'price':
      return event.price.sku;
    case 'inventory-level':
      return event.sku ?? event.itemId ?? 'unknown';
    case 'payment':
      return event.transaction.reference;
    case 'payout':
      return event.payout.id;
    default:
      return event.orderExternalId;
  }
}

function occurredAtOf(event: ParsedInboundEvent, fallback: number): number {
  const at =
    event.kind === 'inventory-level' ? event.occurredAt
    : event.kind === 'payment' ? event.transaction.occurredAt
    : event.kind === 'refund' ? event.refund.createdAt
    : event.kind === 'fulfillment' ? event.fulfillment.shippedAt
    : event.kind === 'order-cancelled' ? event.cancelledAt
    : undefined;
  return at ? Date.parse(at) : fallback;
}

function channelEventRow(connectionId: string, inboxId: string, index: number, event: ParsedInboundEvent, orderId: string | null, now: number): ChannelEventRow {
  return {
    id: `${inboxId}:${index}`,
    connection_id: connectionId,
    kind: event.kind,
    subject: subjectOf(event),
    order_id: orderId,
    occurred_at: occurredAtOf(event, now),
    received_at: now,
    inbox_id: inboxId,
    data: JSON.stringify(event),
  };
}

function timelineRow(
  orderId: string,
  connection: Connection,
  event: ParsedInboundEvent,
  message: { id: string; correlationid: string },
): Omit<NewTimelineRow, 'at'> {
  return {
    order_id: orderId,
    event: `channel.${event.kind}`,
    system: connection.system,
    detail: JSON.stringify({ connectionId: connection.id, ...summary(event) }),
    correlation_id: message.correlationid,
    message_id: message.id,
  };
}

/** The part of an event worth showing on an order's timeline. */
function summary(event: ParsedInboundEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'refund':
      return { reference: event.refund.reference, amount: event.refund.amount, currency: event.refund.currency };
    case 'fulfillment':
      return { reference: event.fulfillment.reference, status: event.fulfillment.status, lines: event.fulfillment.lines, tracking: event.fulfillment.tracking };
    case 'payment':
      return { reference: event.transaction.reference, kind: event.transaction.kind, status: event.transaction.status, amount: event.transaction.amount };
    case 'order-cancelled':
      return { cancelledAt: event.cancelledAt, reason: event.reason };
    default:
      return {};
  }
}
