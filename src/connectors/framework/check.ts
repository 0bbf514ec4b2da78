import type { Clock } from '../../model/index.js';
import type { CheckResult } from './connector.js';

/**
 * Runs a connection check the way every connector's `check()` must: timed, and never throwing —
 * an error from the probe becomes a failed result worded by the connector.
 */
export async function timedCheck(
  clock: Clock,
  probe: () => Promise<Omit<CheckResult, 'latencyMs'>>,
  describeFailure: (error: unknown) => string,
): Promise<CheckResult> {
  const started = clock.now();
  try {
    const result = await probe();
    return { ...result, latencyMs: clock.now() - started };
  } catch (error) {
    return { ok: false, detail: describeFailure(error), latencyMs: clock.now() - started };
  }
}

/** The message of a thrown value, for a failure detail. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
