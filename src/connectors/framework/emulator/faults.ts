import { z } from 'zod';

const rate = z.number().min(0).max(1);
const faultFields = {
  errorRate: rate,
  rateLimitRate: rate,
  timeoutRate: rate,
  latencyMs: z.int().min(0),
  outageSeconds: z.number().min(0),
};

/** Fault injection settings of an emulator (CONTRACT.md "Sandbox"); all zero = healthy. */
export const Faults = z.object({
  errorRate: rate.default(0),
  rateLimitRate: rate.default(0),
  timeoutRate: rate.default(0),
  latencyMs: faultFields.latencyMs.default(0),
  outageSeconds: faultFields.outageSeconds.default(0),
});

/** Fault injection settings of an emulator. */
export type Faults = z.output<typeof Faults>;

/** A partial update of the faults: omitted keys stay as they are. */
export const FaultsUpdate = z.object(faultFields).partial().strict();

/** What the fault injector decided for one request. */
export type FaultDecision = 'none' | 'outage' | 'error' | 'rate-limit' | 'timeout';

/** Holds the current faults and decides, per request, which one (if any) strikes. */
export class FaultInjector {
  private faults: Faults = Faults.parse({});
  private outageUntil = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  /** Applies a partial update; a positive outageSeconds starts an outage now. */
  update(update: z.input<typeof FaultsUpdate>): Faults {
    const changes = FaultsUpdate.parse(update);
    this.faults = { ...this.faults, ...changes };
    if (changes.outageSeconds !== undefined) this.outageUntil = changes.outageSeconds > 0 ? this.now() + changes.outageSeconds * 1000 : 0;
    return this.current();
  }

  current(): Faults & { outageRemainingMs: number } {
    return { ...this.faults, outageRemainingMs: Math.max(0, this.outageUntil - this.now()) };
  }

  decide(): FaultDecision {
    if (this.now() < this.outageUntil) return 'outage';
    if (this.faults.errorRate > 0 && this.random() < this.faults.errorRate) return 'error';
    if (this.faults.rateLimitRate > 0 && this.random() < this.faults.rateLimitRate) return 'rate-limit';
    if (this.faults.timeoutRate > 0 && this.random() < this.faults.timeoutRate) return 'timeout';
    return 'none';
  }

  latencyMs(): number {
    return this.faults.latencyMs;
  }
}
