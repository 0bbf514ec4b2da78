import { describe, expect, it } from 'vitest';
import type { OrderFactRow } from '../../store/index.js';
import { compareOrdersWithErp, type ErpOrderRecord } from './orders-check.js';

const order = (id: string, overrides: Partial<OrderFactRow> = {}): OrderFactRow => ({ id, source: 'shop', external_id: id, number: `#${id}`, status: 'released', currency: 'USD', total: 5000, cancelled_units: 0, sales_order: `SO-${id}`, ...overrides });
const erp = (reference: string, overrides: Partial<ErpOrderRecord> = {}): ErpOrderRecord => ({ reference, document: `SO-${reference}`, state: 'submitted', total: 5000, currency: 'USD', ...overrides });
const found = (hub: OrderFactRow[], docs: ErpOrderRecord[]) => compareOrdersWithErp(hub, docs, 'erp').map((d) => [d.kind, d.entity, d.correction]);

describe('orders against the ERP', () => {
  it('finds nothing when every booked order has its submitted Sales Order with its total, and leaves orders the hub did not book alone', () => {
    expect(found([order('a'), order('b', { sales_order: null })], [erp('a')])).toEqual([]);
  });

  it('finds a missing Sales Order, another total, and a Sales Order in the wrong state, each with its correction', () => {
    expect(
      found(
        [order('missing'), order('edited'), order('cancelled-there'), order('cancelled-here', { status: 'cancelled' }), order('draft')],
        [erp('edited', { total: 7500, modifiedBy: 'jane' }), erp('cancelled-there', { state: 'cancelled' }), erp('cancelled-here'), erp('draft', { state: 'draft' })],
      ),
    ).toEqual([
      ['order_missing_in_erp', 'order:missing', 'rebook-order'],
      ['order_total_mismatch', 'order:edited', 'resync-order'],
      ['order_status_mismatch', 'order:cancelled-there', 'amend-in-erp'],
      ['order_status_mismatch', 'order:cancelled-here', 'cancel-in-erp'],
      ['order_status_mismatch', 'order:draft', 'rebook-order'],
    ]);
  });

  it('takes an amended copy for the order, and compares totals only while no line was cancelled', () => {
    expect(found([order('a')], [erp('a', { state: 'cancelled' }), erp('a', { document: 'SO-a-1' })])).toEqual([]);
    expect(found([order('a', { cancelled_units: 1 })], [erp('a', { total: 2500 })])).toEqual([]);
    expect(found([order('a')], [erp('a', { currency: 'EUR' })])).toEqual([['order_total_mismatch', 'order:a', 'resync-order']]);
  });
});
