import { describe, expect, it } from 'vitest';
import { exampleOrder, type Order } from '../../model/index.js';
import { OrderToCashConfig } from './config.js';
import { routeOrder } from './routing.js';

function order(changes: Partial<Order> = {}): Order {
  return { ...exampleOrder(), ...changes } as Order;
}

describe('order routing', () => {
  const config = OrderToCashConfig.parse({
    erp: 'erp-main',
    warehouse: 'wh-main',
    routing: [
      { when: { countries: ['CA'] }, erp: 'erp-ca', company: 'Tillbridge Canada' },
      { when: { skus: ['MUG-*'] }, warehouse: 'wh-fragile', erpWarehouse: 'Fragile - TR' },
      { when: { channels: ['pos-store'], countries: ['US'] }, warehouse: 'wh-store' },
    ],
    holds: [
      { reason: 'high_value', when: { totalAbove: 100000, currencies: ['USD'] } },
      { reason: 'high_risk', when: { attributes: { risk: 'high' } } },
    ],
    slas: { 'book-sales-order': '5m' },
  });

  it('books in the default ERP and ships from the default warehouse when no rule matches', () => {
    const plan = routeOrder(order(), config);
    expect(plan).toMatchObject({ erp: 'erp-main', hold: null });
    expect(plan.allocations).toHaveLength(1);
    expect(plan.allocations[0]!.warehouse).toBe('wh-main');
    expect(config.slas['book-sales-order']).toBe(300_000);
  });

  it('chooses ERP and company by country, and splits lines across warehouses by SKU', () => {
    const base = order();
    const line = base.lines[0]!;
    const plan = routeOrder(
      {
        ...base,
        shippingAddress: { ...base.shippingAddress!, country: 'CA' },
        lines: [line, { ...line, lineId: 'm1', sku: 'MUG-LOGO', quantity: 1 }],
      },
      config,
    );
    expect(plan).toMatchObject({ erp: 'erp-ca', company: 'Tillbridge Canada' });
    expect(plan.allocations.map((a) => [a.warehouse, a.erpWarehouse, a.lines.map((l) => l.sku)])).toEqual([
      ['wh-main', undefined, [line.sku]],
      ['wh-fragile', 'Fragile - TR', ['MUG-LOGO']],
    ]);
  });

  it('routes by channel and holds by amount and by risk attribute', () => {
    expect(routeOrder(order({ source: 'pos-store' }), config).allocations[0]!.warehouse).toBe('wh-store');
    const big = order();
    expect(routeOrder({ ...big, totals: { ...big.totals, total: 100001 } }, config).hold).toBe('high_value');
    expect(routeOrder({ ...big, totals: { ...big.totals, total: 100000 } }, config).hold).toBeNull();
    expect(routeOrder(order({ attributes: { risk: 'high' } }), config).hold).toBe('high_risk');
  });
});
