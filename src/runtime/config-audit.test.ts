import { describe, expect, it } from 'vitest';
import { systemClock } from '../model/index.js';
import { listAudit, testStores } from '../store/index.js';
import { auditConfigurationChange } from './config-audit.js';
import { HubConfig } from './config-file.js';

const stores = await testStores();

describe.each(stores)('configuration change audit on $name', (factory) => {
  it.skipIf(factory.skipReason !== null)('records a change with before and after only when the configuration differs from the last one', async () => {
    const store = await factory.open();
    try {
      const first = HubConfig.parse({ connections: [{ id: 'shop-main', system: 'shopify', secrets: { token: 'env:SHOP_TOKEN' } }] });
      const second = HubConfig.parse({ connections: [...first.connections, { id: 'stripe-main', system: 'stripe' }] });
      expect(await auditConfigurationChange(store, systemClock, first, 'a.yaml')).toBe(true);
      expect(await auditConfigurationChange(store, systemClock, first, 'a.yaml')).toBe(false);
      expect(await auditConfigurationChange(store, systemClock, second, 'a.yaml')).toBe(true);
      const entries = await listAudit(store.db, { action: 'configuration.change' }, { limit: 10 });
      expect(entries).toHaveLength(2);
      const latest = entries[0]!;
      expect(latest.actor).toBe('configuration file a.yaml');
      expect(JSON.parse(latest.before!).connections).toEqual([{ id: 'shop-main', system: 'shopify' }]);
      expect(JSON.parse(latest.after!).connections).toEqual([
        { id: 'shop-main', system: 'shopify' },
        { id: 'stripe-main', system: 'stripe' },
      ]);
      expect(latest.after).not.toContain('SHOP_TOKEN');
    } finally {
      await store.close();
    }
  });
});
