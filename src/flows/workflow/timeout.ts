import { transientError } from '../../model/index.js';

/**
 * Runs `work` with a per-attempt time limit: its signal aborts at the limit (or with `parent`) and
 * the attempt fails with a transient `step_timeout`, so the retry policy decides what follows.
 */
export async function withTimeout<T>(what: string, timeoutMs: number | undefined, parent: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (timeoutMs === undefined) return work(parent);
  const timer = new AbortController();
  const signal = AbortSignal.any([parent, timer.signal]);
  let handle: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    handle = setTimeout(() => {
      timer.abort();
      reject(transientError('step_timeout', `${what} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(signal), expired]);
  } finally {
    clearTimeout(handle);
  }
}
