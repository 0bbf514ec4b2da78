import { permanentError, type Clock, type IdGenerator, type Order } from '../../model/index.js';
import { releaseReservations, type Store } from '../../store/index.js';
import type { HandlerTransaction } from '../../messaging/index.js';
import { startRun, type Workflow } from '../workflow/index.js';
import type { OrderToCashConfig } from './config.js';
import type { OrderIntake } from './intake.js';
import { placementFacts } from './placement-facts.js';
import type { ErpPort, OrderPorts, PaymentPort, WarehousePort } from './ports.js';

/** What the order-to-cash workflows need. */
export interface OrderToCashDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  config: OrderToCashConfig;
  ports: OrderPorts;
  /** Order intake, for replacement orders of exchanges. */
  intake?: OrderIntake | undefined;
  /** Stock: reservations checked against availability, and channels told when reservations are given back. */
  stock?: StockReservations | undefined;
}

/** The inventory flow as order to cash uses it. */
export interface StockReservations {
  reserve(tx: HandlerTransaction, order: { orderId: string; source: string }, lines: readonly { lineId: string; sku: string; locationId: string; quantity: number }[]): Promise<
    { reserved: true } | { reserved: false; short: { lineId: string; sku: string; locationId: string; wanted: number; available: number }[] }
  >;
  changed(tx: HandlerTransaction, skus: readonly string[]): Promise<void>;
}

/** Gives back an order's reserved units (cancelled, or no longer needed) and lets channels know. */
export async function releaseStock(tx: HandlerTransaction, deps: OrderToCashDeps, orderId: string): Promise<void> {
  const skus = await releaseReservations(tx.db, orderId);
  await deps.stock?.changed(tx, skus);
}

/** The ERP port of a connection the routing named; an unknown one is a configuration error (permanent). */
export function erpPort(deps: OrderToCashDeps, connectionId: string): ErpPort {
  const port = deps.ports.erp(connectionId);
  if (!port) throw permanentError('unknown_connection', `routing names ERP connection ${connectionId}, which is not configured as an ERP (add it and replay)`);
  return port;
}

/** The warehouse port of a connection the routing named. */
export function warehousePort(deps: OrderToCashDeps, connectionId: string): WarehousePort {
  const port = deps.ports.warehouse(connectionId);
  if (!port) throw permanentError('unknown_connection', `routing names warehouse connection ${connectionId}, which is not configured as a warehouse (add it and replay)`);
  return port;
}

/** An order's payment at a provider the hub can reach. */
export interface PaymentHandle {
  port: PaymentPort;
  /** The provider's own reference (e.g. a Stripe PaymentIntent id). */
  payment: string;
  amount: number;
  status: string;
}

/** The first of an order's payments whose provider is configured, or null (nothing for the hub to capture or refund). */
export function paymentOf(deps: OrderToCashDeps, order: Order): PaymentHandle | null {
  for (const payment of order.payments) {
    const route = deps.config.payments.find((r) => r.provider === payment.provider);
    if (!route) continue;
    const port = deps.ports.payment(route.connection);
    if (!port) throw permanentError('unknown_connection', `payments route ${payment.provider} to connection ${route.connection}, which is not a configured payment provider`);
    const reference = route.referenceAttribute ? order.attributes?.[route.referenceAttribute] : payment.reference;
    if (!reference) {
      throw permanentError('payment_reference_missing', `order ${order.source}/${order.externalId} names no ${route.referenceAttribute ?? 'payment reference'} for its ${payment.provider} payment`);
    }
    return { port, payment: reference, amount: payment.amount, status: payment.status };
  }
  return null;
}

/**
 * Steps that call another system: a minute per attempt, retries up to a minute apart (about 35
 * minutes in all), then a dead letter to replay.
 */
export const outsideCall = { retry: { maxAttempts: 40, baseDelayMs: 1000, maxDelayMs: 60_000 }, timeoutMs: 60_000 } as const;

/** The ERP an order was booked in and its Sales Order, or null when it was not (yet) booked. */
export async function bookedErp(deps: OrderToCashDeps, orderId: string): Promise<{ erp: ErpPort; salesOrder: string } | null> {
  const facts = await placementFacts(deps.store.db, orderId);
  return facts.erp && facts.salesOrder ? { erp: erpPort(deps, facts.erp), salesOrder: facts.salesOrder } : null;
}

/** Starts an order's completion (capture, invoice, close) once nothing of it is open; a second start is the same run. */
export async function startCompletion(tx: HandlerTransaction, deps: OrderToCashDeps, completion: Workflow<{ orderId: string }>, run: { input: { orderId: string }; correlationId: string }): Promise<void> {
  const { orderId } = run.input;
  await startRun(tx, completion, { id: deps.newId('run'), key: `completion:${orderId}`, orderId, correlationId: run.correlationId, input: { orderId } });
}
