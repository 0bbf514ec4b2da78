import { z } from 'zod';
import { Address } from './address.js';
import { Customer } from './customer.js';
import { Fulfillment } from './fulfillment.js';
import { InventoryLevel } from './inventory.js';
import { JournalEntry } from './journal.js';
import { Location } from './location.js';
import { Money } from './money.js';
import { Order } from './order.js';
import { PaymentTransaction } from './payment-transaction.js';
import { Payout, SettlementLine } from './payout.js';
import { Price } from './price.js';
import { Product } from './product.js';
import { Refund } from './refund.js';
import { Return } from './return.js';
import { Variant } from './variant.js';

/** The canonical entities, by the name their JSON Schema is published under. */
export const entitySchemas = {
  Money,
  Address,
  Customer,
  Product,
  Variant,
  Price,
  Location,
  InventoryLevel,
  Order,
  Fulfillment,
  Return,
  Refund,
  PaymentTransaction,
  Payout,
  SettlementLine,
  JournalEntry,
} as const satisfies Record<string, z.ZodType>;

/** Name of a canonical entity with a published JSON Schema. */
export type EntityName = keyof typeof entitySchemas;

/** JSON Schemas (draft 2020-12, input side: defaulted fields optional) of every canonical entity, keyed by name. */
export function entityJsonSchemas(): Record<EntityName, Record<string, unknown>> {
  const out = {} as Record<EntityName, Record<string, unknown>>;
  for (const [name, schema] of Object.entries(entitySchemas) as [EntityName, z.ZodType][]) {
    out[name] = {
      ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
      title: name,
    };
  }
  return out;
}
