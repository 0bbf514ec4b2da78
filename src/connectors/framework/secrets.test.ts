import { describe, expect, it } from 'vitest';
import { resolveSecrets } from './secrets.js';

const sources = {
  env: { SHOP_TOKEN: 'shpat_abc' },
  readFile: (file: string) => {
    if (file === '/etc/tb/secret') return 'whsec_123\n';
    if (file === '/cfg/relative') return 'rel';
    throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  },
  baseDir: '/cfg',
};

describe('secret references', () => {
  it('resolves env: and file: references (trimmed, relative to the configuration folder)', () => {
    expect(resolveSecrets('shop', { accessToken: 'env:SHOP_TOKEN', webhookSecret: 'file:/etc/tb/secret', other: 'file:relative' }, sources)).toEqual({
      accessToken: 'shpat_abc',
      webhookSecret: 'whsec_123',
      other: 'rel',
    });
  });

  it('names the reference, never a value, when it cannot be resolved', () => {
    expect(() => resolveSecrets('shop', { accessToken: 'env:MISSING' }, sources)).toThrow(/shop: secret accessToken refers to environment variable MISSING, which is not set/);
    expect(() => resolveSecrets('shop', { key: 'file:/nope' }, sources)).toThrow(/file \/nope, which cannot be read \(ENOENT\)/);
    expect(() => resolveSecrets('shop', { key: 'vault:x' }, sources)).toThrow(/must be env:NAME or file:PATH/);
  });
});
