import { describe, expect, it } from 'vitest';
import { channelAvailability } from './availability.js';
import { ChannelStockRule, InventoryConfig } from './config.js';
import { placeOfReport } from './locations.js';
import { compareVersions, orderOfReport } from './versions.js';

describe('stock report order', () => {
  it('compares versions as integers when both are, else as text', () => {
    expect(compareVersions('9', '10')).toBe(-1);
    expect(compareVersions('12345678901234567890', '12345678901234567889')).toBe(1);
    expect(compareVersions('2026-11-27 10:00:00.000001', '2026-11-27 09:59:59.999999')).toBe(1);
    expect(compareVersions('7', '7')).toBe(0);
  });

  it('orders a report by the source version, else by its time', () => {
    const previous = { version: '5', occurred_at: 1000 };
    expect(orderOfReport({ sourceVersion: '4', occurredAt: 9999 }, previous)).toBe('stale');
    expect(orderOfReport({ sourceVersion: '5', occurredAt: 9999 }, previous)).toBe('duplicate');
    expect(orderOfReport({ sourceVersion: '6', occurredAt: 1 }, previous)).toBe('newer');
    expect(orderOfReport({ sourceVersion: null, occurredAt: 999 }, previous)).toBe('stale');
    expect(orderOfReport({ sourceVersion: null, occurredAt: 1000 }, previous)).toBe('duplicate');
    expect(orderOfReport({ sourceVersion: null, occurredAt: 1001 }, previous)).toBe('newer');
    expect(orderOfReport({ sourceVersion: '1', occurredAt: 1 }, undefined)).toBe('newer');
  });
});

describe('channel availability', () => {
  const stock = [
    { locationId: 'wh-east', onHand: 10, reserved: 3, safetyStock: 1 },
    { locationId: 'store-1', onHand: 5, reserved: 0, safetyStock: 0 },
  ];

  it('is on hand − reserved − safety stock summed over the channel’s locations', () => {
    const result = channelAvailability(ChannelStockRule.parse({ connection: 'shop-main' }), stock);
    expect(result.available).toBe(6 + 5);
    expect(result.explain).toContain('wh-east: (10 on hand − 3 reserved − 1 safety) = 6');
  });

  it('gives a marketplace at most its allocation of each location, rounded down, minus its own safety stock', () => {
    const result = channelAvailability(ChannelStockRule.parse({ connection: 'amazon', allocation: 80, locations: ['wh-east'], safetyStock: 1 }), stock);
    expect(result.available).toBe(Math.floor(6 * 0.8) - 1);
    expect(result.explain).toContain('× 80%');
  });

  it('never offers a negative number, even when a location is oversold', () => {
    const result = channelAvailability(ChannelStockRule.parse({ connection: 'shop-main' }), [{ locationId: 'wh-east', onHand: 1, reserved: 3, safetyStock: 0 }]);
    expect(result.available).toBe(0);
  });
});

describe('where a stock report belongs', () => {
  const config = InventoryConfig.parse({
    locations: [{ id: 'wh-east', aliases: ['Stores - TR', 'shop-main:88001'] }],
    channels: [{ connection: 'shop-main' }],
  });

  it('maps other systems’ names to the hub location, plain or scoped to the connection', () => {
    expect(placeOfReport(config, 'erp-main', 'Stores - TR')).toEqual({ kind: 'location', locationId: 'wh-east' });
    expect(placeOfReport(config, 'shop-main', '88001')).toEqual({ kind: 'location', locationId: 'wh-east' });
    expect(placeOfReport(config, 'erp-main', 'wh-east')).toEqual({ kind: 'location', locationId: 'wh-east' });
  });

  it('reads a channel’s report of another place as the channel’s own view, and anything else as a location of its own', () => {
    expect(placeOfReport(config, 'shop-main', '99999')).toEqual({ kind: 'channel', connectionId: 'shop-main' });
    expect(placeOfReport(config, 'wh-west', 'west-1')).toEqual({ kind: 'location', locationId: 'west-1' });
  });
});
