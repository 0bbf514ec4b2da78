import type { Logger } from 'pino';

/** What the console's header and pages show live: counts that change as work flows. */
export type LiveSummary = Record<string, number>;

/** A feed of the live summary, computed once per interval for every listener of the process. */
export interface LiveFeed {
  /** Calls the listener with the latest summary now (when known) and whenever it changes; returns the unsubscribe. */
  subscribe(listener: (summary: LiveSummary) => void): () => void;
  stop(): void;
}

/** Creates the feed; `compute` runs every `everyMs` (default 2 s) only while someone listens. */
export function createLiveFeed(deps: { compute: () => Promise<LiveSummary>; everyMs?: number; logger?: Logger }): LiveFeed {
  const everyMs = deps.everyMs ?? 2000;
  const listeners = new Set<(summary: LiveSummary) => void>();
  let latest: { summary: LiveSummary; text: string } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function tick() {
    if (running) return;
    running = true;
    try {
      const summary = await deps.compute();
      const text = JSON.stringify(summary);
      if (text !== latest?.text) {
        latest = { summary, text };
        for (const listener of listeners) listener(summary);
      }
    } catch (error) {
      deps.logger?.warn({ err: error }, 'console live summary failed');
    } finally {
      running = false;
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (latest) listener(latest.summary);
      if (!timer) {
        void tick();
        timer = setInterval(() => void tick(), everyMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    stop() {
      listeners.clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
