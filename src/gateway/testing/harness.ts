import pino from 'pino';
import { createOrderIntake, type OrderIntake } from '../../flows/index.js';
import { newId, systemClock } from '../../model/index.js';
import { isMigrated, messageBacklog, type Store, type TestStoreFactory } from '../../store/index.js';
import { bootstrapKeyResolver, buildGateway, createMetrics, type Gateway } from '../index.js';

/** The bootstrap key every test gateway accepts. */
export const testKey = 'test-bootstrap-key-0123456789';
/** Headers that authenticate as the bootstrap principal. */
export const auth = { authorization: `Bearer ${testKey}` } as const;

/** A gateway wired as the hub wires it (store, intake, metrics), without a listening socket. */
export interface TestGateway {
  app: Gateway;
  store: Store;
  intake: OrderIntake;
  /** How many times the gateway called onReplayed. */
  replayNotifications: number;
  close(): Promise<void>;
}

/** Builds a gateway on a fresh, isolated store of the factory's engine. */
export async function startTestGateway(factory: TestStoreFactory): Promise<TestGateway> {
  const store = await factory.open();
  const logger = pino({ level: 'silent' });
  const intake = createOrderIntake({ store, clock: systemClock, newId });
  const metrics = createMetrics(() => messageBacklog(store.db));
  const harness: TestGateway = {
    app: undefined as unknown as Gateway,
    store,
    intake,
    replayNotifications: 0,
    async close() {
      await harness.app?.close();
      await intake.drain();
      await store.close();
    },
  };
  harness.app = await buildGateway({
    store,
    intake,
    metrics,
    resolveKey: bootstrapKeyResolver(testKey),
    clock: systemClock,
    newId,
    logger,
    isReady: async () => (await store.ping()) && (await isMigrated(store)),
    onReplayed: () => {
      harness.replayNotifications += 1;
    },
  });
  await harness.app.ready();
  return harness;
}

/** The example order of CONTRACT.md ("Canonical order v1"), with optional overrides. */
export function exampleOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'web-store',
    externalId: '1001',
    number: '#1001',
    placedAt: '2026-11-26T10:15:00Z',
    currency: 'USD',
    customer: { externalId: 'c-42', email: 'ana@example.com', name: 'Ana Silva' },
    shippingAddress: { name: 'Ana Silva', line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
    lines: [
      {
        lineId: '1',
        sku: 'TEE-RED-M',
        title: 'Tee red M',
        quantity: 2,
        unitPrice: 2500,
        discount: 500,
        taxes: [{ name: 'IL state', rate: '0.0625', amount: 281 }],
      },
    ],
    shipping: [{ method: 'standard', price: 500, discount: 0, taxes: [] }],
    payments: [{ provider: 'stripe', reference: 'pi_123', method: 'card', status: 'authorized', amount: 5281 }],
    totals: { subtotal: 5000, discount: 500, shipping: 500, tax: 281, total: 5281 },
    ...overrides,
  };
}
