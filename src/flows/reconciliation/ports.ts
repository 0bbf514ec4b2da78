import type { HandlerTransaction } from '../../messaging/index.js';
import type { Drift, ReconciliationScope } from './drift.js';

/** The window a run looks at (epoch ms, inclusive); checks that compare current state (stock, catalog) ignore it. */
export interface ReconciliationWindow {
  from: number;
  to: number;
}

/** One comparison between the hub and the systems around it, for one scope. */
export interface ReconciliationCheck {
  /** Stable name, e.g. `orders:erp`, `orders:channel:shop-main`, `inventory:wh-main`. */
  readonly name: string;
  readonly scope: ReconciliationScope;
  /** Reads both sides and answers every disagreement; throws when a side cannot be read (the run fails with the reason). */
  run(window: ReconciliationWindow, signal: AbortSignal): Promise<Drift[]>;
}

/** A drift as stored, handed to its correction. */
export interface StoredDrift extends Drift {
  id: string;
  runId: string;
}

/** What a correction did, for the drift's record and the audit log. */
export interface CorrectionOutcome {
  /** One line a person can read, e.g. `imported order #1042 from shop-main`. */
  summary: string;
}

/**
 * Puts one kind of drift right: re-sync, re-publish, re-post, import the missed order. `prepare` runs
 * outside any transaction (outbound reads and calls, idempotent); `commit` runs in the transaction that
 * marks the drift resolved, for the hub-side state and messages it causes.
 */
export interface Correction {
  /** The name drifts refer to in `correction`. */
  readonly name: string;
  prepare?(drift: StoredDrift, signal: AbortSignal): Promise<unknown>;
  commit(tx: HandlerTransaction, drift: StoredDrift, prepared: unknown): Promise<CorrectionOutcome>;
}
