/** Gathers concurrent submissions into batches: while batches are in flight, the next one fills. */
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
 * Group commit: `processBatch` receives the items that arrived while earlier batches were
 * committing (up to maxBatch) and returns one result per item, in order; if it throws, every
 * item of that batch is rejected with the error. Up to `concurrency` batches run at once (1 for
 * SQLite's single writer; more for PostgreSQL, where each batch has its own connection).
 */
export function createBatcher<I, O>(
  processBatch: (items: I[]) => Promise<O[]>,
  options: { maxBatch: number; concurrency?: number },
): Batcher<I, O> {
  const concurrency = options.concurrency ?? 1;
  let queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let idle: (() => void)[] = [];

  const settleIdle = () => {
    if (inFlight > 0 || queue.length > 0) return;
    const waiters = idle;
    idle = [];
    for (const w of waiters) w();
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };

  const pump = () => {
    scheduled = false;
    while (inFlight < concurrency && queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      inFlight += 1;
      processBatch(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => w.resolve(results[i] as O)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          inFlight -= 1;
          if (queue.length > 0) schedule();
          else settleIdle();
        });
    }
    settleIdle();
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    get pending() {
      return queue.length + inFlight;
    },
  };
}
