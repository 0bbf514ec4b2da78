import { describe, expect, it } from 'vitest';
import { isTillbridgeError, systemClock } from '../../model/index.js';
import { builtInRegistry, createConnections } from '../index.js';
import { describeConnectorContract } from '../testing/contract.js';
import { amazonConnector, startAmazonEmulator } from './index.js';
import { emulatorsPerTest, eventGroup } from './test-support.js';

describeConnectorContract({
  definition: amazonConnector,
  invalidSettings: { baseUrl: 'not a url' },
  faultProbePath: '/finances/v0/financialEventGroups',
  async start() {
    const emulator = await startAmazonEmulator();
    return {
      emulator,
      settings: { baseUrl: emulator.url, tokenUrl: emulator.tokenUrl, timeoutMs: 2000 },
      secrets: { ...emulator.credentials },
      badSecrets: { ...emulator.credentials, refreshToken: 'Atzr|wrong' },
    };
  },
});

const start = emulatorsPerTest();

describe('amazon connections from configuration', () => {
  it('creates a connection from declared settings and secrets, with the poller and interpret wired', async () => {
    const emulator = await start({ groups: [eventGroup('G-1', Date.now() - 86_400_000, { processing: 'Closed', transfer: 'Succeeded' })] });
    const connections = createConnections(
      [
        {
          id: 'amazon-us',
          system: 'amazon',
          settings: { baseUrl: emulator.url, tokenUrl: emulator.tokenUrl, marketplaceId: 'ATVPDKIKX0DER', pollIntervalMs: 5000, initialLookbackMs: 2 * 86_400_000 },
          secrets: { clientId: 'env:AMZ_CLIENT_ID', clientSecret: 'env:AMZ_CLIENT_SECRET', refreshToken: 'env:AMZ_REFRESH_TOKEN' },
        },
      ],
      builtInRegistry,
      {
        clock: systemClock,
        secretSources: {
          env: { AMZ_CLIENT_ID: emulator.credentials.clientId, AMZ_CLIENT_SECRET: emulator.credentials.clientSecret, AMZ_REFRESH_TOKEN: emulator.credentials.refreshToken },
          readFile: () => {
            throw new Error('no secret files in this test');
          },
        },
      },
    );
    const connection = connections.get('amazon-us')!;
    expect(connection.system).toBe('amazon');
    expect(connection.definition.capabilities).toEqual(['SettlementSource']);
    expect(JSON.stringify(connection.settings)).not.toContain(emulator.credentials.clientSecret);
    const check = await connection.instance.check();
    expect(check, check.detail).toMatchObject({ ok: true });
    expect(check.detail).toContain('ATVPDKIKX0DER');
    const [poller] = connection.instance.pollers ?? [];
    expect(poller).toMatchObject({ name: 'financial-event-groups', intervalMs: 5000 });
    const { items } = await poller!.poll(null, new AbortController().signal);
    expect(items).toHaveLength(1);
    const events = connection.instance.interpret!(items[0]!.topic, items[0]!.payload);
    expect(events).toMatchObject([{ kind: 'payout', payout: { id: 'G-1', provider: 'amazon' } }]);
  });

  it('refuses a connection without its refresh token, and turns the poller off with pollIntervalMs 0', () => {
    const declare = (settings: Record<string, unknown>, secrets: Record<string, string>) =>
      createConnections([{ id: 'amazon-eu', system: 'amazon', settings, secrets }], builtInRegistry, {
        clock: systemClock,
        secretSources: { env: { ID: 'id', SECRET: 'secret', REFRESH: 'Atzr|x' }, readFile: () => '' },
      });
    let error: unknown;
    try {
      declare({ baseUrl: 'https://sellingpartnerapi-eu.amazon.com' }, { clientId: 'env:ID', clientSecret: 'env:SECRET' });
    } catch (caught) {
      error = caught;
    }
    expect(isTillbridgeError(error) && error.code).toBe('invalid_connection');
    expect((error as Error).message).toContain('/secrets/refreshToken');
    const off = declare({ baseUrl: 'https://sellingpartnerapi-eu.amazon.com', pollIntervalMs: 0 }, { clientId: 'env:ID', clientSecret: 'env:SECRET', refreshToken: 'env:REFRESH' });
    expect(off.get('amazon-eu')!.instance.pollers).toBeUndefined();
    expect(off.get('amazon-eu')!.settings).toMatchObject({ tokenUrl: 'https://api.amazon.com/auth/o2/token', rate: { capacity: 30, refillPerSecond: 0.5 }, pollIntervalMs: 0 });
  });
});
