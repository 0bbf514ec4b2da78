import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { permanentError, type Clock, type IdGenerator } from '../model/index.js';
import {
  deadLetter,
  extendLease,
  leaseMessages,
  reclaimExpiredLeases,
  releaseLeases,
  scheduleRetry,
  type MessageRow,
  type Store,
} from '../store/index.js';
import { createCompletionCommitter, LeaseLost } from './completions.js';
import type { Lane } from './envelope.js';
import type { HandlerContext, HandlerRegistration } from './handler.js';
import { envelopeFromRow } from './received.js';
import { decideRetry, defaultRetryPolicy, describeError, type RetryPolicy } from './retry-policy.js';

/** How many messages of a lane run at once, and how many are leased per query. */
export interface LaneSettings {
  concurrency: number;
  batchSize: number;
}

/** The lanes' defaults: critical work gets the most workers, bulk the fewest. */
export const defaultLanes: Record<Lane, LaneSettings> = {
  critical: { concurrency: 32, batchSize: 64 },
  standard: { concurrency: 16, batchSize: 32 },
  bulk: { concurrency: 4, batchSize: 16 },
};

/** How a delivery ended, for metrics. */
export type Outcome = 'done' | 'retry' | 'dead' | 'lease_lost';

/** One delivery as it was settled. */
export interface SettledDelivery {
  id: string;
  type: string;
  lane: Lane;
  outcome: Outcome;
  attempt: number;
  durationMs: number;
  /** From the message's creation to this settlement (queueing, retries and handling). */
  latencyMs: number;
  correlationId: string;
  error?: { code: string; message: string } | undefined;
}

/** A delivery about to run, as a wrapper (a trace span) sees it. */
export interface DeliveryStart {
  id: string;
  type: string;
  lane: Lane;
  attempt: number;
  correlationId: string;
  causationId: string | null;
  traceparent: string | null;
}

/**
 * Runs each delivery inside what it sets up (runtime/tracing: a CONSUMER span and its context);
 * `run` takes the traceparent that the messages the handler emits carry.
 */
export type DeliveryWrapper = (delivery: DeliveryStart, run: (traceparent: string | undefined) => Promise<SettledDelivery>) => Promise<SettledDelivery>;

/** Receives one call per settled delivery (metrics, logs). */
export interface DispatcherObserver {
  settled(event: SettledDelivery): void;
  error?(error: unknown, context: string): void;
}

/** What a dispatcher needs. */
export interface DispatcherOptions {
  store: Store;
  handlers: HandlerRegistration[];
  clock: Clock;
  newId: IdGenerator;
  workerId?: string;
  lanes?: Partial<Record<Lane, Partial<LaneSettings>>>;
  leaseMs?: number;
  pollMs?: number;
  random?: () => number;
  observer?: DispatcherObserver;
  /** Wraps every delivery (tracing); absent, deliveries run as they are. */
  wrapDelivery?: DeliveryWrapper;
  /** The CloudEvents source of messages emitted by handlers. */
  source?: string;
}

/** A running dispatcher. */
export interface Dispatcher {
  readonly workerId: string;
  start(): void;
  /** Wakes a lane's workers at once (after an in-process enqueue) instead of at the next poll. */
  notify(lane: Lane): void;
  /** Stops leasing, waits up to graceMs for in-flight handlers, then releases what is left. */
  stop(graceMs?: number): Promise<void>;
  inFlight(): number;
}

/** Leases messages lane by lane, runs their handlers, and settles each: done, retry or dead. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, clock } = options;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 200;
  const random = options.random ?? Math.random;
  const observer = options.observer;
  const handlers = new Map(options.handlers.map((h) => [h.definition.type, h]));
  const lanes = (Object.keys(defaultLanes) as Lane[]).map((lane) => ({
    lane,
    ...defaultLanes[lane],
    ...options.lanes?.[lane],
  }));
  const completions = createCompletionCommitter(store, {
    owner: workerId,
    now: () => clock.now(),
    newId: options.newId,
    source: options.source ?? 'tillbridge',
  });
  const inflight: Record<Lane, number> = { critical: 0, standard: 0, bulk: 0 };
  const wakers: Record<Lane, (() => void) | undefined> = { critical: undefined, standard: undefined, bulk: undefined };
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal);
  const loops: Promise<void>[] = [];
  let running = false;
  let reaper: NodeJS.Timeout | undefined;

  const wake = (lane: Lane) => {
    const w = wakers[lane];
    wakers[lane] = undefined;
    w?.();
  };

  const sleep = (lane: Lane, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(lane), ms);
      wakers[lane] = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const report = (error: unknown, context: string) => observer?.error?.(error, context);

  async function laneLoop(settings: LaneSettings & { lane: Lane }) {
    const { lane } = settings;
    while (running) {
      const free = settings.concurrency - inflight[lane];
      if (free < Math.max(1, Math.floor(settings.batchSize / 4))) {
        await sleep(lane, pollMs);
        continue;
      }
      let rows: MessageRow[] = [];
      try {
        rows = await leaseMessages(store.db, store.dialect, {
          lane,
          owner: workerId,
          limit: Math.min(free, settings.batchSize),
          now: clock.now(),
          leaseMs,
        });
      } catch (error) {
        report(error, `leasing from lane ${lane}`);
      }
      for (const row of rows) {
        inflight[lane] += 1;
        void deliver(row, lane).finally(() => {
          inflight[lane] -= 1;
          wake(lane);
        });
      }
      if (rows.length === 0) await sleep(lane, pollMs);
    }
  }

  function deliver(row: MessageRow, lane: Lane): Promise<SettledDelivery> {
    const wrap = options.wrapDelivery;
    if (!wrap) return deliverOnce(row, lane, undefined);
    const start = { id: row.id, type: row.type, lane, attempt: row.attempts, correlationId: row.correlation_id, causationId: row.causation_id, traceparent: row.traceparent };
    return wrap(start, (traceparent) => deliverOnce(row, lane, traceparent));
  }

  async function deliverOnce(row: MessageRow, lane: Lane, traceparent: string | undefined): Promise<SettledDelivery> {
    const started = clock.now();
    const settle = (outcome: Outcome, error?: unknown): SettledDelivery => {
      const settled: SettledDelivery = {
        id: row.id,
        type: row.type,
        lane,
        outcome,
        attempt: row.attempts,
        durationMs: clock.now() - started,
        latencyMs: clock.now() - row.created_at,
        correlationId: row.correlation_id,
        error: error === undefined ? undefined : describeError(error),
      };
      observer?.settled(settled);
      return settled;
    };
    const lease = new AbortController();
    const abortOnShutdown = () => lease.abort();
    shutdown.signal.addEventListener('abort', abortOnShutdown);
    const heartbeat = setInterval(() => {
      extendLease(store.db, row.id, workerId, clock.now() + leaseMs)
        .then((held) => {
          if (!held) lease.abort();
        })
        .catch((error: unknown) => report(error, `extending lease of ${row.id}`));
    }, Math.max(leaseMs / 3, 50));
    try {
      const registration = handlers.get(row.type);
      if (!registration) throw permanentError('no_handler', `no handler is registered for message type ${row.type}`);
      const envelope = envelopeFromRow(row);
      const data = registration.definition.data.safeParse(envelope.data);
      if (!data.success) {
        throw permanentError('invalid_message', `message data does not match ${row.type}: ${data.error.message}`);
      }
      let committed = false;
      const ctx: HandlerContext<unknown> = {
        message: { ...envelope, data: data.data },
        attempt: row.attempts,
        signal: lease.signal,
        async commit(work) {
          if (committed) throw new Error('commit() may be called once per delivery');
          committed = true;
          const result = await completions.submit({ envelope: traceparent ? { ...envelope, traceparent } : envelope, work });
          if (result.ok) return;
          throw result.leaseLost ? new LeaseLost() : result.error;
        },
      };
      await registration.handle(ctx);
      if (!committed) await ctx.commit();
      return settle('done');
    } catch (error) {
      if (error instanceof LeaseLost) return settle('lease_lost');
      return settle(await recordFailure(row, error), error);
    } finally {
      clearInterval(heartbeat);
      shutdown.signal.removeEventListener('abort', abortOnShutdown);
    }
  }

  async function recordFailure(row: MessageRow, error: unknown): Promise<Outcome> {
    const policy: RetryPolicy = { ...defaultRetryPolicy, ...handlers.get(row.type)?.definition.retry };
    const decision = decideRetry(error, row.attempts, policy, random);
    const now = clock.now();
    const described = describeError(error);
    try {
      if (decision.action === 'retry') {
        const held = await scheduleRetry(store.db, {
          id: row.id,
          owner: workerId,
          attempt: row.attempts,
          now,
          availableAt: now + decision.delayMs,
          error: described,
        });
        return held ? 'retry' : 'lease_lost';
      }
      const held = await deadLetter(store.db, {
        id: row.id,
        owner: workerId,
        attempt: row.attempts,
        now,
        reason: decision.reason,
        error: described,
      });
      return held ? 'dead' : 'lease_lost';
    } catch (settleError) {
      report(settleError, `recording the failure of ${row.id}; its lease will expire and it will be redelivered`);
      return 'lease_lost';
    }
  }

  return {
    workerId,
    start() {
      if (running) return;
      running = true;
      for (const settings of lanes) loops.push(laneLoop(settings));
      reaper = setInterval(() => {
        reclaimExpiredLeases(store.db, store.dialect, clock.now())
          .then((n) => {
            if (n > 0) for (const { lane } of lanes) wake(lane);
          })
          .catch((error: unknown) => report(error, 'reclaiming expired leases'));
      }, Math.max(Math.min(leaseMs / 2, 5000), 50));
    },
    notify(lane) {
      wake(lane);
    },
    async stop(graceMs = 10_000) {
      running = false;
      if (reaper) clearInterval(reaper);
      for (const { lane } of lanes) wake(lane);
      await Promise.all(loops);
      const deadline = Date.now() + graceMs;
      while (this.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      shutdown.abort();
      await completions.drain();
      await releaseLeases(store.db, workerId, clock.now()).catch((error: unknown) => report(error, 'releasing leases'));
    },
    inFlight() {
      return inflight.critical + inflight.standard + inflight.bulk;
    },
  };
}
