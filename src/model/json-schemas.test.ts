import { describe, expect, it } from 'vitest';
import { entityJsonSchemas } from './json-schemas.js';

const names = [
  'Money', 'Address', 'Customer', 'Product', 'Variant', 'Price', 'Location', 'InventoryLevel', 'Order',
  'Fulfillment', 'Return', 'Refund', 'PaymentTransaction', 'Payout', 'SettlementLine', 'JournalEntry',
];

describe('entityJsonSchemas', () => {
  const schemas = entityJsonSchemas();

  it('publishes a draft 2020-12 object schema for every entity', () => {
    expect(Object.keys(schemas).sort()).toEqual([...names].sort());
    for (const name of names) {
      const schema = schemas[name as keyof typeof schemas];
      expect(schema.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type, name).toBe('object');
      expect(schema.title, name).toBe(name);
      expect(() => JSON.stringify(schema)).not.toThrow();
    }
  });

  it('describes the order input side: defaulted fields are optional', () => {
    const order = schemas.Order as { required: string[]; properties: Record<string, Record<string, unknown>> };
    expect(order.required).toEqual(['source', 'externalId', 'placedAt', 'currency', 'lines', 'totals']);
    expect(order.properties.source?.pattern).toBe('^[a-z0-9][a-z0-9_-]{0,63}$');
    expect(order.properties.currency?.enum).toContain('JPY');
    expect(order.properties.taxesIncluded?.default).toBe(false);
  });
});
