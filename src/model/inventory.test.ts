import { describe, expect, it } from 'vitest';
import { availableOf, InventoryLevel } from './inventory.js';

const level = { sku: 'TEE-RED-M', locationId: 'wh-1', onHand: 10, reserved: 3, available: 7, updatedAt: '2026-11-26T10:15:00Z' };

describe('InventoryLevel', () => {
  it('computes available as onHand − reserved, negative when oversold', () => {
    expect(availableOf(level)).toBe(7);
    expect(availableOf({ onHand: 1, reserved: 3 })).toBe(-2);
  });

  it('accepts a consistent level', () => {
    expect(InventoryLevel.parse(level)).toEqual(level);
    expect(InventoryLevel.safeParse({ ...level, onHand: 1, available: -2 }).success).toBe(true);
  });

  it('rejects an inconsistent available with expected and actual', () => {
    const result = InventoryLevel.safeParse({ ...level, available: 8 });
    expect(result.error?.issues).toMatchObject([{ path: ['available'], message: 'available is 8 but onHand − reserved is 7' }]);
  });

  it('rejects negative reservations and fractional counts', () => {
    const paths = InventoryLevel.safeParse({ ...level, reserved: -1, onHand: 1.5 }).error?.issues.map((i) => i.path[0]);
    expect(paths).toEqual(['onHand', 'reserved']);
  });
});
