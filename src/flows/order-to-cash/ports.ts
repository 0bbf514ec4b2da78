import type { Order, Tracking } from '../../model/index.js';

/**
 * The capabilities order-to-cash needs from other systems. Flows depend on these only; the runtime
 * adapts the configured connections (ERPNext, the warehouse API, Shopify, Stripe) to them. Every
 * call is idempotent by the reference it is given: a retry after a lost answer creates nothing twice.
 */

/** Units of order lines, by the order's line id and SKU. */
export interface LineQuantity {
  lineId: string;
  sku: string;
  quantity: number;
}

/** The ERP (OrderSink): sales orders, deliveries, invoices and credit notes. */
export interface ErpPort {
  readonly connectionId: string;
  readonly system: string;
  /** Creates (once per reference) and submits the Sales Order; answers its document name. */
  bookSalesOrder(input: { reference: string; order: Order; company?: string | undefined; lineWarehouses: Record<string, string | undefined> }, signal: AbortSignal): Promise<{ salesOrder: string; customer: string }>;
  /** Cancels the Sales Order (already cancelled is fine). */
  cancelSalesOrder(salesOrder: string, signal: AbortSignal): Promise<void>;
  /**
   * Amends a Sales Order a person cancelled in the ERP: a copy with the same lines and reference, submitted
   * (ERPNext names it `<salesOrder>-1`); an amendment made before is answered, not made twice. Optional.
   */
  amendSalesOrder?(salesOrder: string, signal: AbortSignal): Promise<{ salesOrder: string }>;
  /** Sets the ordered quantity of lines still open (a partial cancellation). */
  reduceSalesOrder(salesOrder: string, lines: LineQuantity[], signal: AbortSignal): Promise<void>;
  /** Creates and submits a Delivery Note for shipped units. */
  deliver(input: { reference: string; salesOrder: string; lines: LineQuantity[]; postingDate: string }, signal: AbortSignal): Promise<{ deliveryNote: string }>;
  /** Creates and submits the Sales Invoice for everything delivered and not yet billed. */
  invoice(input: { reference: string; salesOrder: string; postingDate: string }, signal: AbortSignal): Promise<{ salesInvoice: string }>;
  /** Creates and submits a credit note against an invoice: the lines at their rate, less their discount share, plus their tax and any shipping. */
  creditNote(
    input: { reference: string; salesInvoice: string; lines: LineQuantity[]; discount: number; tax: number; shipping: number; postingDate: string; reason?: string | undefined },
    signal: AbortSignal,
  ): Promise<{ creditNote: string }>;
}

/** A warehouse (FulfillmentSink): shipment orders, cancellations and returns. */
export interface WarehousePort {
  readonly connectionId: string;
  readonly locationId: string;
  /** Creates (once per reference) the shipment order for these lines. */
  release(input: { reference: string; order: Order; lines: LineQuantity[] }, signal: AbortSignal): Promise<{ shipmentOrder: string }>;
  /** Cancels the whole shipment order; throws a permanent error when something already shipped. */
  cancel(reference: string, signal: AbortSignal): Promise<{ shipmentOrder: string | null }>;
  /** Cancels some open units; throws a permanent error for units already shipped. */
  cancelLines(reference: string, lines: LineQuantity[], idempotencyKey: string, signal: AbortSignal): Promise<void>;
  /** Authorizes a return (once per reference). */
  authorizeReturn(input: { reference: string; orderReference: string; lines: (LineQuantity & { reason?: string | undefined })[] }, signal: AbortSignal): Promise<{ returnAuthorization: string }>;
}

/** A sales channel that takes fulfillments back (Shopify fulfillmentCreate). */
export interface ChannelPort {
  readonly connectionId: string;
  readonly system: string;
  /**
   * Tells the channel these units shipped, with tracking. Checked before sent: when the channel
   * already shows no more than `openAfter` units open per line, the push had landed and is not repeated.
   */
  pushFulfillment(input: { reference: string; orderExternalId: string; lines: LineQuantity[]; openAfter: Record<string, number>; tracking: Tracking[] }, signal: AbortSignal): Promise<{ fulfillment: string }>;
}

/** A payment provider (PaymentSink): capture, void and refund, each exactly once per key. */
export interface PaymentPort {
  readonly connectionId: string;
  readonly system: string;
  capture(input: { payment: string; amount: number; currency: string; idempotencyKey: string }, signal: AbortSignal): Promise<{ capture: string; amount: number }>;
  void(input: { payment: string; idempotencyKey: string }, signal: AbortSignal): Promise<{ voided: string }>;
  refund(input: { payment: string; amount: number; currency: string; idempotencyKey: string; reason?: string | undefined }, signal: AbortSignal): Promise<{ refund: string; amount: number }>;
}

/** The ports the runtime wires from the configured connections, looked up by connection id. */
export interface OrderPorts {
  erp(connectionId: string): ErpPort | undefined;
  warehouse(connectionId: string): WarehousePort | undefined;
  /** The channel an order came from, when it takes fulfillments back. */
  channel(connectionId: string): ChannelPort | undefined;
  payment(connectionId: string): PaymentPort | undefined;
}
