/** Gathers concurrent submissions into batches: one batch in flight, the next one fills meanwhile. */
export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
  /** Resolves once every submitted item has been processed. */
  drain(): Promise<void>;
  readonly pending: number;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: `processBatch` receives every item that arrived while the previous batch was
 * committing (up to maxBatch) and returns one result per item, in order; if it throws, every
 * item of that batch is rejected with the error.
 */
export function createBatcher<I, O>(
  processBatch: (items: I[]) => Promise<O[]>,
  options: { maxBatch: number },
): Batcher<I, O> {
  let queue: Waiting<I, O>[] = [];
  let running = false;
  let scheduled = false;
  let idle: (() => void)[] = [];

  const schedule = () => {
    if (scheduled || running) return;
    scheduled = true;
    setImmediate(run);
  };

  const run = async () => {
    scheduled = false;
    if (queue.length === 0) {
      const waiters = idle;
      idle = [];
      for (const w of waiters) w();
      return;
    }
    running = true;
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    try {
      const results = await processBatch(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i] as O));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      running = false;
      schedule();
    }
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (!running && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    get pending() {
      return queue.length + (running ? 1 : 0);
    },
  };
}
