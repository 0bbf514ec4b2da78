import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../model/index.js';
import {
  capabilities,
  InboundEvent,
  type ConnectionInstance,
  type ConnectorDefinition,
  type InboundHeaders,
  type RunningEmulator,
} from '../framework/index.js';

/** A connection to a running emulator, as the contract suite needs it. */
export interface ContractFixture {
  emulator: RunningEmulator;
  settings: unknown;
  secrets: Record<string, string>;
  /** The same secrets with a wrong credential, so check() must fail. */
  badSecrets: Record<string, string>;
}

/** A signed webhook delivery made the way the vendor makes it. */
export interface SignedDelivery {
  raw: Buffer;
  headers: InboundHeaders;
}

/** What a connector gives the shared contract suite. */
export interface ContractSubject {
  definition: ConnectorDefinition;
  /** Settings the schema must refuse. */
  invalidSettings: unknown;
  start(): Promise<ContractFixture>;
  /** A correctly signed webhook for these secrets, when the connector takes webhooks. */
  signedWebhook?(secrets: Record<string, string>, nowMs: number): SignedDelivery;
  /** A vendor route that faults strike (GET, relative to the emulator URL). */
  faultProbePath: string;
}

/**
 * The contract every connector passes: a well-formed declaration, a config schema that refuses
 * bad settings, a check() that tells good credentials from bad and an outage from health (without
 * throwing), webhooks verified over the raw bytes before anything else, interpretation into
 * canonical events, and an emulator with fault injection.
 */
export function describeConnectorContract(subject: ContractSubject): void {
  const { definition } = subject;
  describe(`connector contract: ${definition.system}`, () => {
    let fixture: ContractFixture;
    let connection: ConnectionInstance;
    const make = (secrets: Record<string, string>) =>
      definition.create({
        connectionId: `${definition.system}-contract`,
        settings: definition.settings.parse(fixture.settings),
        secrets: definition.secrets.parse(secrets),
        clock: systemClock,
      });

    beforeAll(async () => {
      fixture = await subject.start();
      connection = make(fixture.secrets);
    });
    afterAll(async () => {
      await fixture?.emulator.close();
    });

    it('declares a system id and known capabilities', () => {
      expect(definition.system).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
      expect(definition.capabilities.length).toBeGreaterThan(0);
      for (const capability of definition.capabilities) expect(capabilities).toContain(capability);
    });

    it('refuses invalid settings and missing secrets', () => {
      expect(definition.settings.safeParse(subject.invalidSettings).success).toBe(false);
      expect(definition.secrets.safeParse({}).success).toBe(false);
    });

    it('check() passes with good credentials and fails without throwing on bad ones', async () => {
      const good = await connection.check();
      expect(good, good.detail).toMatchObject({ ok: true });
      const bad = await make(fixture.badSecrets).check();
      expect(bad.ok).toBe(false);
      expect(bad.detail).toMatch(/credential|auth|token|key|401|403/i);
    });

    it('check() reports an outage without throwing, and the emulator recovers', async () => {
      await post(fixture.emulator.url, '/_sandbox/faults', { outageSeconds: 60 });
      const during = await make(fixture.secrets).check();
      expect(during.ok).toBe(false);
      await post(fixture.emulator.url, '/_sandbox/faults', { outageSeconds: 0 });
      expect((await make(fixture.secrets).check()).ok).toBe(true);
    });

    it('emulator faults strike vendor routes with a 5xx or 429, never the sandbox routes', async () => {
      await post(fixture.emulator.url, '/_sandbox/faults', { errorRate: 1 });
      const faulted = await fetch(fixture.emulator.url + subject.faultProbePath);
      expect(faulted.status).toBeGreaterThanOrEqual(500);
      await post(fixture.emulator.url, '/_sandbox/faults', { errorRate: 0, rateLimitRate: 1 });
      const limited = await fetch(fixture.emulator.url + subject.faultProbePath);
      expect(limited.status).toBe(429);
      const state = await fetch(`${fixture.emulator.url}/_sandbox/state`);
      expect(state.status).toBe(200);
      expect(await state.json()).toMatchObject({ faults: { rateLimitRate: 1 } });
      await post(fixture.emulator.url, '/_sandbox/faults', { rateLimitRate: 0 });
    });

    it('reports outbound health with a closed circuit', () => {
      expect(connection.health().circuit.state).toBe('closed');
    });

    if (subject.signedWebhook) {
      const signed = subject.signedWebhook;
      it('accepts a correctly signed webhook and identifies it', () => {
        const delivery = signed(fixture.secrets, Date.now());
        expect(connection.webhooks?.verify(delivery.raw, delivery.headers, Date.now())).toEqual({ ok: true });
        const identity = connection.webhooks!.identify(delivery.raw, delivery.headers);
        expect(identity.dedupKey.length).toBeGreaterThan(0);
        expect(identity.topic.length).toBeGreaterThan(0);
        const events = connection.interpret!(identity.topic, delivery.raw.toString('utf8'));
        for (const event of events) expect(InboundEvent.safeParse(event).success).toBe(true);
      });

      it('refuses a tampered body and a wrong secret', () => {
        const delivery = signed(fixture.secrets, Date.now());
        const tampered = Buffer.from(delivery.raw.toString('utf8').replace(/\d/, (d) => String((Number(d) + 1) % 10)));
        expect(connection.webhooks?.verify(tampered, delivery.headers, Date.now()).ok).toBe(false);
        const forged = signed(fixture.badSecrets, Date.now());
        expect(connection.webhooks?.verify(forged.raw, forged.headers, Date.now()).ok).toBe(false);
      });
    }
  });
}

async function post(base: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path} → ${response.status}`);
}
