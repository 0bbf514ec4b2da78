import { permanentError, TillbridgeError, type Order } from '../../model/index.js';
import type { ErpnextClient } from '../../connectors/index.js';
import { amendErpnextDoc, createErpnextCustomerCache } from '../../connectors/erpnext/index.js';
import type { ErpPort, LineQuantity } from '../../flows/index.js';

/** Accounts order charges are booked to (full ERPNext account names, e.g. "Sales Tax - TR"). */
export interface ErpAccounts {
  tax: string;
  shipping: string;
}

function customerOf(order: Order) {
  const customer = order.customer;
  const key = customer?.externalId ?? customer?.email ?? 'guest';
  return {
    reference: `${order.source}:${key}`,
    name: customer?.name ?? customer?.email ?? `${order.source} guest`,
    ...(customer?.email ? { email: customer.email } : {}),
  };
}

function chargesOf(order: Order, accounts: ErpAccounts) {
  const charges = [];
  if (!order.taxesIncluded && order.totals.tax > 0) charges.push({ account: accounts.tax, description: 'Tax', amount: order.totals.tax });
  if (order.totals.shipping > 0) charges.push({ account: accounts.shipping, description: `Shipping (${order.shipping.map((s) => s.method).join(', ')})`, amount: order.totals.shipping });
  return charges;
}

function selection(lines: readonly LineQuantity[]) {
  return lines.map((l) => ({ itemCode: l.sku, qty: l.quantity }));
}

/** How many customers the port remembers by reference (the least recently used forgotten first). */
const customerCacheSize = 10_000;

/**
 * ERPNext as order-to-cash's ErpPort: a Customer and a Sales Order per hub order (found by the hub's
 * reference before anything is created), Delivery Notes per shipment, one Sales Invoice, credit
 * notes for returns — each created once, submitted by the call that creates it.
 */
export function erpnextPortOf(connectionId: string, client: ErpnextClient, accounts: ErpAccounts): ErpPort {
  // A returning customer's name is remembered, so booking its order costs no customer call; orders
  // of one customer book concurrently (each order has its own ordering key), so concurrent first
  // bookings of one customer share one look-up instead of racing to create it.
  const customers = createErpnextCustomerCache(client.customers, { capacity: customerCacheSize });
  /** The submitted amendment of a Sales Order cancelled in ERPNext and amended there (by a person or by reconciliation), if any. */
  const amendmentOf = async (salesOrder: string, signal: AbortSignal): Promise<string | undefined> => {
    const amended = await client.listDocs('Sales Order', { filters: [['amended_from', '=', salesOrder], ['docstatus', '=', 1]], fields: ['name'], limit: 1, signal });
    return amended[0]?.name;
  };
  /** Works on the order's Sales Order; when ERPNext refuses it and it was amended, on its amendment (the ERP's current version). */
  const onCurrent = async <T>(salesOrder: string, signal: AbortSignal, work: (salesOrder: string) => Promise<T>): Promise<T> => {
    try {
      return await work(salesOrder);
    } catch (error) {
      if (!(error instanceof TillbridgeError) || error.retryable) throw error;
      const amendment = await amendmentOf(salesOrder, signal);
      if (amendment === undefined) throw error;
      return onCurrent(amendment, signal, work);
    }
  };
  return {
    connectionId,
    system: 'erpnext',
    async bookSalesOrder({ reference, order, company, lineWarehouses }, signal) {
      const date = order.placedAt.slice(0, 10);
      const { customer, ensured } = await customers.withCustomer(
        customerOf(order),
        async (customer) => ({
          customer,
          ensured: await client.salesOrders.ensure(
            {
              reference,
              customer,
              currency: order.currency,
              transactionDate: date,
              deliveryDate: date,
              lines: order.lines.map((line) => ({ itemCode: line.sku, qty: line.quantity, rate: line.unitPrice, ...(lineWarehouses[line.lineId] ? { warehouse: lineWarehouses[line.lineId]! } : {}) })),
              charges: chargesOf(order, accounts),
              discount: order.totals.discount,
              poNo: order.number ?? order.externalId,
              ...(company ? { company } : {}),
              submit: true,
            },
            signal,
          ),
        }),
        signal,
      );
      // A draft found by reference (made by an earlier version, or by hand) is submitted here.
      const submitted = ensured.doc.state === 'draft' ? await client.salesOrders.submit(ensured.doc.name, signal) : ensured.doc;
      if (submitted.state === 'cancelled') throw permanentError('erp_sales_order_cancelled', `Sales Order ${submitted.name} for ${reference} was cancelled in ERPNext`);
      if (submitted.grandTotal !== order.totals.total) {
        throw permanentError('erp_total_mismatch', `Sales Order ${submitted.name} totals ${submitted.grandTotal} in ERPNext, the order ${order.totals.total} (${order.currency} minor units)`);
      }
      return { salesOrder: submitted.name, customer };
    },
    async cancelSalesOrder(salesOrder, signal) {
      await client.salesOrders.cancel(salesOrder, signal);
    },
    async amendSalesOrder(salesOrder, signal) {
      // A Unique reference field refuses the cancelled order's value again: the amendment is then found through amended_from.
      const unique = await client.referenceIsUnique('Sales Order');
      const amended = await amendErpnextDoc(client, 'Sales Order', salesOrder, { signal, ...(unique ? { clear: [client.referenceField] } : {}) });
      const doc = amended['docstatus'] === 0 ? await client.submitDoc('Sales Order', amended.name, signal) : amended;
      return { salesOrder: doc.name };
    },
    reduceSalesOrder: (name, lines, signal) => onCurrent(name, signal, async (salesOrder) => {
      const current = await client.salesOrders.get(salesOrder, signal);
      const rows = lines.map((line) => {
        const row = current.lines.find((l) => l.itemCode === line.sku);
        if (!row) throw permanentError('erpnext_line_not_on_order', `${line.sku} is not on Sales Order ${salesOrder}`);
        return { rowName: row.rowName, qty: line.quantity };
      });
      await client.salesOrders.updateItems(salesOrder, rows, signal);
    }),
    deliver: ({ reference, salesOrder: name, lines, postingDate }, signal) => onCurrent(name, signal, async (salesOrder) => {
      const ensured = await client.deliveryNotes.ensure({ reference, salesOrder, postingDate, lines: selection(lines), submit: true }, signal);
      const doc = ensured.doc.state === 'draft' ? await client.deliveryNotes.submit(ensured.doc.name, signal) : ensured.doc;
      return { deliveryNote: doc.name };
    }),
    invoice: ({ reference, salesOrder: name, postingDate }, signal) => onCurrent(name, signal, async (salesOrder) => {
      const ensured = await client.salesInvoices.ensure({ reference, salesOrder, postingDate, submit: true }, signal);
      const doc = ensured.doc.state === 'draft' ? await client.salesInvoices.submit(ensured.doc.name, signal) : ensured.doc;
      return { salesInvoice: doc.name };
    }),
    async creditNote({ reference, salesInvoice, lines, discount, tax, shipping, postingDate, reason }, signal) {
      const ensured = await client.salesInvoices.ensureCreditNote(
        {
          reference,
          returnAgainst: salesInvoice,
          postingDate,
          lines: selection(lines),
          discount,
          charges: tax > 0 ? [{ account: accounts.tax, description: 'Tax', amount: tax }] : [],
          ...(shipping > 0 ? { shipping, shippingAccount: accounts.shipping } : {}),
          ...(reason ? { reason } : {}),
          submit: true,
        },
        signal,
      );
      const doc = ensured.doc.state === 'draft' ? await client.salesInvoices.submit(ensured.doc.name, signal) : ensured.doc;
      return { creditNote: doc.name };
    },
  };
}
