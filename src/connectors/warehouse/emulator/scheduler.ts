/** Timers of the emulator: each can be awaited (idle) and all are cleared on close. */
export interface Scheduler {
  /** Runs `work` after `ms` unless the scheduler closes first; the result cancels it. */
  after(ms: number, work: () => void): () => void;
  /** Resolves when no timer is waiting. */
  idle(): Promise<void>;
  readonly pending: number;
  close(): void;
}

/** Creates a scheduler whose timers end (without running) when it closes. */
export function createScheduler(onError: (error: unknown) => void = () => undefined): Scheduler {
  const timers = new Map<NodeJS.Timeout, { done: Promise<void>; resolve: () => void }>();
  let closed = false;
  return {
    after(ms, work) {
      if (closed) return () => undefined;
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      const timer = setTimeout(() => {
        timers.delete(timer);
        try {
          work();
        } catch (error) {
          onError(error);
        } finally {
          resolve();
        }
      }, ms);
      timers.set(timer, { done, resolve });
      return () => {
        if (!timers.delete(timer)) return;
        clearTimeout(timer);
        resolve();
      };
    },
    async idle() {
      while (timers.size > 0) await Promise.all([...timers.values()].map((t) => t.done));
    },
    get pending() {
      return timers.size;
    },
    close() {
      closed = true;
      for (const [timer, entry] of timers) {
        clearTimeout(timer);
        entry.resolve();
      }
      timers.clear();
    },
  };
}
