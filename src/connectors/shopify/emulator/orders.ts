import { connection, type Delivery, type ShopContext } from './context.js';
import { gid, graphqlTime, idText, list, numericId, quantityOf, restId, restTime, text, type JsonObject } from './support.js';

/** A fulfillment order line: what is left to ship of an order line. */
interface FulfillmentOrderLine {
  id: string;
  lineItemId: string;
  lineItemGid: string;
  sku: string | null;
  name: string;
  total: number;
  remaining: number;
}

/** A fulfillment order (one per order, at the shop's location). */
export interface FulfillmentOrderRecord {
  id: string;
  status: 'OPEN' | 'IN_PROGRESS' | 'CLOSED';
  lines: FulfillmentOrderLine[];
}

/** An order as stored: its REST body (exact ids), its position for REST paging and its fulfillment orders. */
export interface StoredOrder {
  id: string;
  gid: string;
  body: JsonObject;
  createdAtMs: number;
  updatedAtMs: number;
  fulfillmentOrders: FulfillmentOrderRecord[];
}

/** A mutation's userErrors entry. */
export interface UserErrorBody {
  field: string[] | null;
  message: string;
  code?: string;
}


/** The orders of the emulated shop, their fulfillment orders, fulfillments and refunds. */
export class OrderBook {
  private readonly orders = new Map<string, StoredOrder>();
  private number = 1000;

  constructor(private readonly context: ShopContext) {}

  get size(): number {
    return this.orders.size;
  }

  all(): StoredOrder[] {
    return [...this.orders.values()];
  }

  get(id: string): StoredOrder | undefined {
    return this.orders.get(id);
  }

  /** By REST id or gid (a gid may differ from the REST id in corpus payloads, so both are tried). */
  find(idOrGid: unknown): StoredOrder | undefined {
    if (typeof idOrGid === 'string' && idOrGid.startsWith('gid://')) {
      const byGid = [...this.orders.values()].find((o) => o.gid === idOrGid);
      if (byGid) return byGid;
    }
    const id = numericId(idOrGid);
    return id === undefined ? undefined : this.orders.get(id);
  }

  counts(): { fulfillments: number; refunds: number } {
    let fulfillments = 0;
    let refunds = 0;
    for (const order of this.orders.values()) {
      fulfillments += list(order.body['fulfillments']).length;
      refunds += list(order.body['refunds']).length;
    }
    return { fulfillments, refunds };
  }

  /** Stores a new order, filling what Shopify assigns (ids, name, number, times, line ids); sends orders/create. */
  create(input: JsonObject, delivery: Delivery = {}): { order: StoredOrder } | { error: string } {
    const id = idText(input['id']) ?? this.context.nextId();
    if (this.orders.has(id)) return { error: `order ${id} has already been taken` };
    const now = this.context.now();
    const at = restTime(now);
    this.number += 1;
    const currency = typeof input['currency'] === 'string' ? input['currency'] : this.context.shop.currency;
    const body: JsonObject = {
      id: restId(id),
      admin_graphql_api_id: typeof input['admin_graphql_api_id'] === 'string' ? input['admin_graphql_api_id'] : gid('Order', id),
      name: `#${this.number}`,
      number: this.number - 1000,
      order_number: this.number,
      created_at: at,
      updated_at: at,
      processed_at: at,
      currency,
      presentment_currency: currency,
      financial_status: 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      closed_at: null,
      fulfillments: [],
      refunds: [],
      ...input,
    };
    body['id'] = restId(id);
    body['line_items'] = list(input['line_items']).map((line) => {
      const lineId = idText(line['id']) ?? this.context.nextId();
      return {
        id: restId(lineId),
        admin_graphql_api_id: typeof line['admin_graphql_api_id'] === 'string' ? line['admin_graphql_api_id'] : gid('LineItem', lineId),
        fulfillable_quantity: quantityOf(line['quantity']),
        fulfillment_status: null,
        ...line,
      };
    });
    const createdAtMs = Date.parse(String(body['created_at']));
    const updatedAtMs = Date.parse(String(body['updated_at']));
    const order: StoredOrder = {
      id,
      gid: String(body['admin_graphql_api_id']),
      body,
      createdAtMs: Number.isNaN(createdAtMs) ? now : createdAtMs,
      updatedAtMs: Number.isNaN(updatedAtMs) ? now : updatedAtMs,
      fulfillmentOrders: [],
    };
    const lines = list(body['line_items'])
      .map((line) => ({
        id: this.context.nextId(),
        lineItemId: idText(line['id'])!,
        lineItemGid: String(line['admin_graphql_api_id']),
        sku: text(line['sku']),
        name: text(line['name']) ?? text(line['title']) ?? '',
        total: quantityOf(line['quantity']),
        remaining: quantityOf(line['fulfillable_quantity']),
      }))
      .filter((line) => line.total > 0);
    order.fulfillmentOrders.push({ id: this.context.nextId(), status: lines.some((l) => l.remaining > 0) ? 'OPEN' : 'CLOSED', lines });
    this.orders.set(id, order);
    this.context.emit('orders/create', body, delivery);
    return { order };
  }

  /** Applies a partial update (top-level fields), bumps updated_at past the last version and sends orders/updated. */
  update(id: string, patch: JsonObject, delivery: Delivery = {}): StoredOrder | undefined {
    const order = this.orders.get(id);
    if (!order) return undefined;
    const { id: _id, admin_graphql_api_id: _gid, updated_at: _updated, ...changes } = patch;
    Object.assign(order.body, changes);
    this.touch(order);
    this.context.emit('orders/updated', order.body, delivery);
    return order;
  }

  /** Bumps updated_at past the last version (at least a second later, as Shopify's second-precision timestamps need). */
  touch(order: StoredOrder): void {
    order.updatedAtMs = Math.max(this.context.now(), Math.floor(order.updatedAtMs / 1000) * 1000 + 1000);
    order.body['updated_at'] = restTime(order.updatedAtMs);
  }

  /** The order's line item with this gid (or numeric id). */
  lineOf(order: StoredOrder, lineGid: unknown): JsonObject | undefined {
    const lines = list(order.body['line_items']);
    return lines.find((l) => l['admin_graphql_api_id'] === lineGid) ?? lines.find((l) => idText(l['id']) === numericId(lineGid));
  }

  /** The fulfillment order with this gid, and its order. */
  findFulfillmentOrder(foGid: unknown): { order: StoredOrder; fulfillmentOrder: FulfillmentOrderRecord } | undefined {
    const id = numericId(foGid);
    for (const order of this.orders.values()) {
      const fulfillmentOrder = order.fulfillmentOrders.find((fo) => fo.id === id);
      if (fulfillmentOrder) return { order, fulfillmentOrder };
    }
    return undefined;
  }

  /** `fulfillmentCreate`: ships fulfillment order lines, updates the order and sends fulfillments/create and orders/updated. */
  fulfill(input: JsonObject): { fulfillment: JsonObject | null; userErrors: UserErrorBody[] } {
    const fail = (field: string[] | null, message: string) => ({ fulfillment: null, userErrors: [{ field, message }] });
    const groups = list(input['lineItemsByFulfillmentOrder']);
    if (groups.length === 0) return fail(['fulfillment', 'lineItemsByFulfillmentOrder'], 'Line items by fulfillment order must not be empty.');
    const picks: { fo: FulfillmentOrderRecord; line: FulfillmentOrderLine; quantity: number }[] = [];
    let order: StoredOrder | undefined;
    for (const [g, group] of groups.entries()) {
      const found = this.findFulfillmentOrder(group['fulfillmentOrderId']);
      const field = ['fulfillment', 'lineItemsByFulfillmentOrder', String(g), 'fulfillmentOrderId'];
      if (!found) return fail(field, 'Fulfillment order does not exist.');
      if (order && order !== found.order) return fail(field, 'All fulfillment orders must belong to the same order.');
      order = found.order;
      if (found.fulfillmentOrder.status === 'CLOSED') return fail(field, `Fulfillment order ${found.fulfillmentOrder.id} has an unfulfillable status= closed.`);
      const requested = group['fulfillmentOrderLineItems'];
      if (requested === undefined || requested === null) {
        for (const line of found.fulfillmentOrder.lines) if (line.remaining > 0) picks.push({ fo: found.fulfillmentOrder, line, quantity: line.remaining });
        continue;
      }
      for (const [i, item] of list(requested).entries()) {
        const line = found.fulfillmentOrder.lines.find((l) => l.id === numericId(item['id']));
        const lineField = ['fulfillment', 'lineItemsByFulfillmentOrder', String(g), 'fulfillmentOrderLineItems', String(i)];
        if (!line) return fail([...lineField, 'id'], 'Fulfillment order line item does not exist.');
        const quantity = quantityOf(item['quantity']);
        if (quantity <= 0 || quantity > line.remaining) return fail([...lineField, 'quantity'], 'Invalid fulfillment order line item quantity requested.');
        picks.push({ fo: found.fulfillmentOrder, line, quantity });
      }
    }
    if (!order || picks.length === 0) return fail(['fulfillment'], 'There are no remaining line items to fulfill.');

    const now = this.context.now();
    const fulfillmentId = this.context.nextId();
    const tracking = (typeof input['trackingInfo'] === 'object' && input['trackingInfo'] !== null ? input['trackingInfo'] : {}) as JsonObject;
    const numbers = Array.isArray(tracking['numbers']) ? (tracking['numbers'] as string[]) : typeof tracking['number'] === 'string' ? [tracking['number']] : [];
    const urls = Array.isArray(tracking['urls']) ? (tracking['urls'] as string[]) : typeof tracking['url'] === 'string' ? [tracking['url']] : [];
    const company = text(tracking['company']);
    const shipped: JsonObject[] = [];
    for (const { fo, line, quantity } of picks) {
      line.remaining -= quantity;
      fo.status = fo.lines.every((l) => l.remaining === 0) ? 'CLOSED' : 'IN_PROGRESS';
      const item = this.lineOf(order, line.lineItemGid);
      if (!item) continue;
      item['fulfillable_quantity'] = Math.max(0, quantityOf(item['fulfillable_quantity']) - quantity);
      item['fulfillment_status'] = item['fulfillable_quantity'] === 0 ? 'fulfilled' : 'partial';
      shipped.push({ ...item, quantity });
    }
    const done = list(order.body['line_items']).every((l) => quantityOf(l['fulfillable_quantity']) === 0);
    order.body['fulfillment_status'] = done ? 'fulfilled' : 'partial';
    const fulfillments = list(order.body['fulfillments']);
    const rest: JsonObject = {
      id: restId(fulfillmentId),
      admin_graphql_api_id: gid('Fulfillment', fulfillmentId),
      order_id: restId(order.id),
      status: 'success',
      created_at: restTime(now),
      updated_at: restTime(now),
      service: 'manual',
      location_id: restId(this.context.shop.locationId),
      tracking_company: company,
      tracking_number: numbers[0] ?? null,
      tracking_numbers: numbers,
      tracking_url: urls[0] ?? null,
      tracking_urls: urls,
      shipment_status: null,
      origin_address: null,
      destination: order.body['shipping_address'] ?? null,
      email: order.body['email'] ?? null,
      name: `${String(order.body['name'])}.${fulfillments.length + 1}`,
      receipt: {},
      line_items: shipped,
    };
    order.body['fulfillments'] = [...fulfillments, rest];
    this.touch(order);
    this.context.emit('fulfillments/create', rest);
    this.context.emit('orders/updated', order.body);
    return {
      fulfillment: {
        __typename: 'Fulfillment',
        id: gid('Fulfillment', fulfillmentId),
        legacyResourceId: fulfillmentId,
        name: rest['name'],
        status: 'SUCCESS',
        createdAt: graphqlTime(now),
        trackingInfo: (args: JsonObject) => numbers.slice(0, typeof args['first'] === 'number' ? args['first'] : undefined).map((number, i) => ({ company, number, url: urls[i] ?? null })),
        order: () => this.node(order),
      },
      userErrors: [],
    };
  }

  /** The GraphQL Order node. */
  node(order: StoredOrder): JsonObject {
    const shop = this.context.shop;
    const status = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : null);
    return {
      __typename: 'Order',
      id: order.gid,
      legacyResourceId: order.id,
      name: order.body['name'],
      createdAt: graphqlTime(order.createdAtMs),
      updatedAt: graphqlTime(order.updatedAtMs),
      displayFinancialStatus: status(order.body['financial_status']),
      displayFulfillmentStatus: status(order.body['fulfillment_status']) ?? 'UNFULFILLED',
      fulfillmentOrders: (args: JsonObject) =>
        connection(
          order.fulfillmentOrders.map((fo) => this.fulfillmentOrderNode(order, fo, shop)),
          args,
        ),
    };
  }

  /** The GraphQL FulfillmentOrder node. */
  fulfillmentOrderNode(order: StoredOrder, fo: FulfillmentOrderRecord, shop = this.context.shop): JsonObject {
    const location = { __typename: 'Location', id: gid('Location', shop.locationId), name: shop.locationName };
    return {
      __typename: 'FulfillmentOrder',
      id: gid('FulfillmentOrder', fo.id),
      status: fo.status,
      requestStatus: 'UNSUBMITTED',
      assignedLocation: { name: shop.locationName, location },
      order: () => this.node(order),
      lineItems: (args: JsonObject) =>
        connection(
          fo.lines.map((line) => ({
            __typename: 'FulfillmentOrderLineItem',
            id: gid('FulfillmentOrderLineItem', line.id),
            totalQuantity: line.total,
            remainingQuantity: line.remaining,
            sku: line.sku,
            lineItem: { __typename: 'LineItem', id: line.lineItemGid, sku: line.sku, name: line.name, quantity: line.total },
          })),
          args,
        ),
    };
  }
}
