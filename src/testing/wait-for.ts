/** Polls `check` until it returns a truthy value or the timeout passes (then throws). */
export async function waitFor<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
  }
  throw new Error(`timed out waiting for ${options.what ?? 'a condition'} (last value: ${JSON.stringify(last)})`);
}
