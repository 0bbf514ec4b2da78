import { TillbridgeError } from '../../model/index.js';
import type { ErpnextSettings } from './config.js';
import { optional, parseWire } from './documents.js';
import { isLostInFlight, type FrappeDoc, type FrappeResources } from './resources.js';
import { frappeMoney, minorFromFrappe, quantityOf } from './values.js';
import { BinWire, CustomerWire, ItemPriceWire, ItemWire } from './wire.js';

/** A customer to create (named by Frappe after customer_name, with " - 1" when the name is taken). */
export interface NewCustomer {
  /** The hub's reference (e.g. `<source>:<customer externalId>`), kept in the reference field. */
  reference: string;
  name: string;
  type?: 'Individual' | 'Company';
  email?: string;
  phone?: string;
  customerGroup?: string;
  territory?: string;
}

/** A Customer. */
export interface ErpnextCustomer {
  /** Frappe's document name: what Sales Orders link to. */
  name: string;
  customerName: string;
  type?: string;
  email?: string;
  phone?: string;
  reference?: string;
  disabled: boolean;
  modified: string;
}

/** An item to create; the item code is its name (and the hub's SKU). */
export interface NewItem {
  itemCode: string;
  itemName?: string;
  /** Default "Products". */
  itemGroup?: string;
  /** Default "Nos". */
  stockUom?: string;
  description?: string;
  isStockItem?: boolean;
  barcode?: string;
  disabled?: boolean;
}

/** An Item. */
export interface ErpnextItem {
  itemCode: string;
  itemName: string;
  itemGroup?: string;
  stockUom?: string;
  description?: string;
  isStockItem: boolean;
  disabled: boolean;
  hasVariants: boolean;
  variantOf?: string;
  barcodes: string[];
  reference?: string;
  modified: string;
}

/** A price to set for an item in a selling price list. */
export interface SetItemPrice {
  itemCode: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  /** Default: the connection's price list. */
  priceList?: string;
  uom?: string;
}

/** An Item Price. */
export interface ErpnextItemPrice {
  name: string;
  itemCode: string;
  priceList: string;
  currency: string;
  /** Minor units of `currency`. */
  amount: number;
  uom?: string;
  validFrom?: string;
  modified: string;
}

/** Stock of an item in a warehouse (a Bin). */
export interface StockLevel {
  itemCode: string;
  warehouse: string;
  actualQty: number;
  reservedQty: number;
  projectedQty: number;
  modified: string;
}

/** Customers (CustomerSink). */
export interface CustomerOps {
  /** Finds the customer by reference, creating it only when absent. */
  ensure(input: NewCustomer, signal?: AbortSignal): Promise<{ customer: ErpnextCustomer; outcome: 'created' | 'existing' }>;
  get(name: string, signal?: AbortSignal): Promise<ErpnextCustomer>;
  find(reference: string, signal?: AbortSignal): Promise<ErpnextCustomer | null>;
}

/** Items (CatalogSource reads, item upkeep). */
export interface ItemOps {
  /** Finds the item by its code, creating it only when absent (the reference is written too). */
  ensure(input: NewItem, signal?: AbortSignal): Promise<{ item: ErpnextItem; outcome: 'created' | 'existing' }>;
  get(itemCode: string, signal?: AbortSignal): Promise<ErpnextItem>;
  update(itemCode: string, changes: Omit<NewItem, 'itemCode'>, signal?: AbortSignal): Promise<ErpnextItem>;
  list(options?: { modifiedSince?: string; signal?: AbortSignal }): Promise<ErpnextItem[]>;
}

/** Item prices in a selling price list. */
export interface ItemPriceOps {
  /** Creates or updates the item's price in the price list; `unchanged` when it already is that price. */
  set(input: SetItemPrice, signal?: AbortSignal): Promise<{ price: ErpnextItemPrice; outcome: 'created' | 'updated' | 'unchanged' }>;
  list(options?: { itemCode?: string; priceList?: string; signal?: AbortSignal }): Promise<ErpnextItemPrice[]>;
}

/** Stock levels (InventorySource): ERPNext's Bins. */
export interface BinOps {
  list(options?: { itemCode?: string; warehouse?: string; signal?: AbortSignal }): Promise<StockLevel[]>;
  get(itemCode: string, warehouse: string, signal?: AbortSignal): Promise<StockLevel | null>;
}

interface Context {
  resources: FrappeResources;
  settings: ErpnextSettings;
  connectionId: string;
  maxAttempts: number;
}

function customerOf(doc: FrappeDoc, context: Context): ErpnextCustomer {
  const wire = parseWire(CustomerWire, doc, context.connectionId, 'Customer');
  const reference = doc[context.settings.referenceField];
  return {
    name: wire.name,
    customerName: wire.customer_name,
    ...(wire.customer_type ? { type: wire.customer_type } : {}),
    ...(optional(wire.email_id) ? { email: wire.email_id as string } : {}),
    ...(optional(wire.mobile_no) ? { phone: wire.mobile_no as string } : {}),
    ...(typeof reference === 'string' && reference ? { reference } : {}),
    disabled: wire.disabled === 1,
    modified: wire.modified,
  };
}

function itemOf(doc: FrappeDoc, context: Context): ErpnextItem {
  const wire = parseWire(ItemWire, doc, context.connectionId, 'Item');
  const reference = doc[context.settings.referenceField];
  return {
    itemCode: wire.item_code,
    itemName: optional(wire.item_name) ?? wire.item_code,
    ...(optional(wire.item_group) ? { itemGroup: wire.item_group as string } : {}),
    ...(optional(wire.stock_uom) ? { stockUom: wire.stock_uom as string } : {}),
    ...(optional(wire.description) ? { description: wire.description as string } : {}),
    isStockItem: wire.is_stock_item === 1,
    disabled: wire.disabled === 1,
    hasVariants: wire.has_variants === 1,
    ...(optional(wire.variant_of) ? { variantOf: wire.variant_of as string } : {}),
    barcodes: (wire.barcodes ?? []).map((b) => b.barcode),
    ...(typeof reference === 'string' && reference ? { reference } : {}),
    modified: wire.modified,
  };
}

function priceOf(doc: FrappeDoc, context: Context, fallbackCurrency?: string): ErpnextItemPrice {
  const wire = parseWire(ItemPriceWire, doc, context.connectionId, 'Item Price');
  const currency = optional(wire.currency) ?? fallbackCurrency ?? context.settings.currency;
  if (!currency) throw new TillbridgeError('erpnext_unknown_currency', `${context.connectionId}: Item Price ${wire.name} has no currency and the connection sets none`, { httpStatus: 502 });
  return {
    name: wire.name,
    itemCode: wire.item_code,
    priceList: wire.price_list,
    currency,
    amount: minorFromFrappe(wire.price_list_rate, currency, `Item Price ${wire.name} price_list_rate`),
    ...(optional(wire.uom) ? { uom: wire.uom as string } : {}),
    ...(optional(wire.valid_from) ? { validFrom: wire.valid_from as string } : {}),
    modified: wire.modified,
  };
}

function levelOf(doc: FrappeDoc, context: Context): StockLevel {
  const wire = parseWire(BinWire, doc, context.connectionId, 'Bin');
  return {
    itemCode: wire.item_code,
    warehouse: wire.warehouse,
    actualQty: quantityOf(wire.actual_qty),
    reservedQty: quantityOf(wire.reserved_qty),
    projectedQty: quantityOf(wire.projected_qty),
    modified: wire.modified,
  };
}

function itemBody(input: Omit<NewItem, 'itemCode'>): Record<string, unknown> {
  return {
    ...(input.itemName !== undefined ? { item_name: input.itemName } : {}),
    ...(input.itemGroup !== undefined ? { item_group: input.itemGroup } : {}),
    ...(input.stockUom !== undefined ? { stock_uom: input.stockUom } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.isStockItem !== undefined ? { is_stock_item: input.isStockItem ? 1 : 0 } : {}),
    ...(input.disabled !== undefined ? { disabled: input.disabled ? 1 : 0 } : {}),
    ...(input.barcode !== undefined ? { barcodes: [{ barcode: input.barcode }] } : {}),
  };
}

// A Customer is read from the list answer: its typed form needs no child rows.
const customerLookUp = { parentFieldsOnly: true };

const notFound = (error: unknown) => error instanceof TillbridgeError && error.code === 'erpnext_not_found';

/** Customer, Item, Item Price and Bin operations. */
export function createCatalogOps(context: Context): { customers: CustomerOps; items: ItemOps; itemPrices: ItemPriceOps; bins: BinOps } {
  const { resources, settings } = context;
  const fields = ['*'];

  const getItem = async (itemCode: string, signal?: AbortSignal) => itemOf(await resources.getDoc('Item', itemCode, signal), context);
  const findItem = (itemCode: string, signal?: AbortSignal) => getItem(itemCode, signal).catch((error: unknown) => (notFound(error) ? null : Promise.reject(error)));

  const listPrices: ItemPriceOps['list'] = async (options = {}) => {
    const filters: [string, string, unknown][] = [['price_list', '=', options.priceList ?? settings.priceList]];
    if (options.itemCode) filters.push(['item_code', '=', options.itemCode]);
    const docs = await resources.listAll('Item Price', { filters, fields, ...(options.signal ? { signal: options.signal } : {}) });
    return docs.map((doc) => priceOf(doc, context));
  };

  return {
    customers: {
      async ensure(input, signal) {
        const result = await resources.ensureDoc(
          'Customer',
          input.reference,
          () => ({
            customer_name: input.name,
            customer_type: input.type ?? 'Individual',
            ...(input.email ? { email_id: input.email } : {}),
            ...(input.phone ? { mobile_no: input.phone } : {}),
            ...(input.customerGroup ? { customer_group: input.customerGroup } : {}),
            ...(input.territory ? { territory: input.territory } : {}),
          }),
          signal,
          customerLookUp,
        );
        return { customer: customerOf(result.doc, context), outcome: result.outcome };
      },
      get: async (name, signal) => customerOf(await resources.getDoc('Customer', name, signal), context),
      async find(reference, signal) {
        const doc = await resources.findByReference('Customer', reference, signal, customerLookUp);
        return doc ? customerOf(doc, context) : null;
      },
    },

    items: {
      async ensure(input, signal) {
        const body = {
          item_code: input.itemCode,
          item_group: 'Products',
          stock_uom: 'Nos',
          ...itemBody(input),
          [settings.referenceField]: `item:${input.itemCode}`,
        };
        for (let attempt = 1; ; attempt++) {
          const existing = await findItem(input.itemCode, signal);
          if (existing) return { item: existing, outcome: 'existing' };
          try {
            return { item: itemOf(await resources.insertDoc('Item', body, signal), context), outcome: 'created' };
          } catch (error) {
            // Items are named by their code: a duplicate or a lost answer is settled by reading it.
            const duplicate = error instanceof TillbridgeError && error.code === 'erpnext_duplicate';
            if (!duplicate && (!isLostInFlight(error) || attempt >= context.maxAttempts)) throw error;
          }
        }
      },
      get: getItem,
      update: async (itemCode, changes, signal) => itemOf(await resources.updateDoc('Item', itemCode, itemBody(changes), signal), context),
      async list(options = {}) {
        const filters: [string, string, unknown][] = options.modifiedSince ? [['modified', '>', options.modifiedSince]] : [];
        const names = await resources.listAll('Item', { filters, fields: ['name'], ...(options.signal ? { signal: options.signal } : {}) });
        const items: ErpnextItem[] = [];
        for (const { name } of names) items.push(await getItem(name, options.signal));
        return items;
      },
    },

    itemPrices: {
      async set(input, signal) {
        const priceList = input.priceList ?? settings.priceList;
        const matches = (await listPrices({ itemCode: input.itemCode, priceList, ...(signal ? { signal } : {}) })).filter(
          (p) => p.currency === input.currency && (input.uom === undefined || p.uom === input.uom) && p.validFrom === undefined,
        );
        const current = matches[0];
        if (current) {
          if (current.amount === input.amount) return { price: current, outcome: 'unchanged' };
          const updated = await resources.updateDoc('Item Price', current.name, { price_list_rate: frappeMoney(input.amount, input.currency) }, signal);
          return { price: priceOf(updated, context, input.currency), outcome: 'updated' };
        }
        const result = await resources.ensureDoc(
          'Item Price',
          `price:${priceList}:${input.itemCode}:${input.currency}${input.uom ? `:${input.uom}` : ''}`,
          () => ({
            item_code: input.itemCode,
            price_list: priceList,
            currency: input.currency,
            price_list_rate: frappeMoney(input.amount, input.currency),
            ...(input.uom ? { uom: input.uom } : {}),
          }),
          signal,
        );
        return { price: priceOf(result.doc, context, input.currency), outcome: result.outcome === 'created' ? 'created' : 'unchanged' };
      },
      list: listPrices,
    },

    bins: {
      async list(options = {}) {
        const filters: [string, string, unknown][] = [];
        if (options.itemCode) filters.push(['item_code', '=', options.itemCode]);
        if (options.warehouse) filters.push(['warehouse', '=', options.warehouse]);
        const docs = await resources.listAll('Bin', {
          filters,
          fields: ['name', 'modified', 'item_code', 'warehouse', 'actual_qty', 'reserved_qty', 'projected_qty'],
          ...(options.signal ? { signal: options.signal } : {}),
        });
        return docs.map((doc) => levelOf(doc, context));
      },
      async get(itemCode, warehouse, signal) {
        const levels = await this.list({ itemCode, warehouse, ...(signal ? { signal } : {}) });
        return levels[0] ?? null;
      },
    },
  };
}
