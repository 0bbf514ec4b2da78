import { describe, expect, it } from 'vitest';
import { builtInConnectors } from '../index.js';
import { shopifyApiEndOfLife } from '../shopify/api-version.js';
import { connectionApi } from './api-version.js';

const connector = (system: string) => {
  const found = builtInConnectors.find((c) => c.system === system);
  if (!found) throw new Error(`no connector ${system}`);
  return found;
};

describe('shopifyApiEndOfLife', () => {
  it.each([
    ['2026-04', '2027-04-01T00:00:00.000Z'],
    ['2026-01', '2027-01-01T00:00:00.000Z'],
    ['2025-10', '2026-10-01T00:00:00.000Z'],
    ['2026-07', '2027-07-01T00:00:00.000Z'],
  ])('supports %s for 12 months from its release: until %s', (version, end) => {
    expect(new Date(shopifyApiEndOfLife(version)!).toISOString()).toBe(end);
  });

  it.each(['unstable', '2026-05', '2026-4', 'latest'])('has no end of life for %j', (version) => {
    expect(shopifyApiEndOfLife(version)).toBeNull();
  });
});

describe('connectionApi', () => {
  const now = Date.parse('2026-11-27T08:00:00Z');

  it("reads Shopify's version from the settings and counts the days to its end of life", () => {
    const shopify = connector('shopify');
    const settings = shopify.settings.parse({ shopDomain: 'acme.myshopify.com', apiVersion: '2026-01' });
    expect(connectionApi({ definition: shopify, settings }, now)).toEqual({ version: '2026-01', endOfLifeAt: '2027-01-01T00:00:00.000Z', daysToEndOfLife: 34 });
    const old = shopify.settings.parse({ shopDomain: 'acme.myshopify.com', apiVersion: '2025-10' });
    expect(connectionApi({ definition: shopify, settings: old }, now).daysToEndOfLife).toBe(-57);
    expect(connectionApi({ definition: shopify, settings: shopify.settings.parse({ shopDomain: 'acme.myshopify.com' }) }, now)).toMatchObject({ version: '2026-04', endOfLifeAt: '2027-04-01T00:00:00.000Z' });
  });

  it('gives Stripe its pinned version with no end of life', () => {
    const stripe = connector('stripe');
    const settings = stripe.settings.parse({ apiVersion: '2026-10-28.endive' });
    expect(connectionApi({ definition: stripe, settings }, now)).toEqual({ version: '2026-10-28.endive', endOfLifeAt: null, daysToEndOfLife: null });
  });

  it('names the version of every built-in connector', () => {
    expect(builtInConnectors.map((c) => [c.system, typeof c.apiVersion, typeof c.apiEndOfLife])).toEqual(builtInConnectors.map((c) => [c.system, 'function', 'function']));
    expect(connector('warehouse').apiVersion?.({} as never)).toBe('v1');
    expect(connector('erpnext').apiVersion?.({} as never)).toBe('v15');
    expect(connector('amazon').apiVersion?.({} as never)).toBe('finances-v0');
  });

  it('has no version when a connector declares none', () => {
    const bare = { ...connector('warehouse'), apiVersion: undefined, apiEndOfLife: undefined };
    expect(connectionApi({ definition: bare, settings: {} }, now)).toEqual({ version: null, endOfLifeAt: null, daysToEndOfLife: null });
  });
});
