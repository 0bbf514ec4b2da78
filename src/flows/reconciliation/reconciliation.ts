import { permanentError, type Clock, type IdGenerator } from '../../model/index.js';
import { describeError, handlerFor, inOutboxTransaction, type HandlerRegistration, type HandlerTransaction } from '../../messaging/index.js';
import {
  appendAudit,
  auditEntry,
  findActiveReconciliationRun,
  getDrift,
  getReconciliationRun,
  insertDrift,
  insertReconciliationRun,
  listDriftByStatus,
  listEarlierOpenDrift,
  findOpenDrift,
  listReconciliationRuns,
  listRunDrift,
  settleDrift,
  updateReconciliationRun,
  type AuditActor,
  type DriftRow,
  type Store,
} from '../../store/index.js';
import type { Drift, ReconciliationScope } from './drift.js';
import { reconciliationCorrect, reconciliationRun } from './messages.js';
import type { Correction, ReconciliationCheck } from './ports.js';
import { driftView, runView, storedDrift, type CheckSummary, type DriftView, type RunView } from './view.js';

/** What the reconciliation service needs. */
export interface ReconciliationDeps {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  /** The checks the configured connections allow (built by the runtime). */
  checks: readonly ReconciliationCheck[];
  corrections: readonly Correction[];
  /** Corrections applied as soon as a run finds their drift; the others wait for approval. */
  autoCorrect?: readonly string[] | undefined;
  /** How far back a run looks when no window is given (ms); default 7 days. */
  windowMs?: number | undefined;
}

/** A run with the drift it found. */
export type RunWithDrift = RunView & { drift: DriftView[] };

/** How a person resolves a drift: apply its correction, or dismiss it (the difference is accepted as it is). */
export interface ResolveRequest {
  action: 'correct' | 'dismiss';
  note?: string | undefined;
  actor: AuditActor;
}

/** Scheduled and on-demand comparisons of hub, channels and ERP, with audited corrections. */
export interface Reconciliation {
  handlers: HandlerRegistration[];
  /** Queues a run over these scopes (default: all) and window (default: the last `windowMs`). */
  start(input: { scope?: readonly ReconciliationScope[] | undefined; from?: number | undefined; to?: number | undefined; trigger: 'api' | 'schedule'; requestedBy: string | null }): Promise<RunView>;
  /** Starts a scheduled run unless one is queued or running; the run, or undefined when skipped. */
  startScheduled(): Promise<RunView | undefined>;
  view(id: string): Promise<RunWithDrift | undefined>;
  list(page: { limit: number; before?: { createdAt: number; id: string } | undefined }): Promise<RunView[]>;
  /** Drift still open (or whose correction failed), oldest first. */
  open(page: { limit: number; afterId?: string | undefined }): Promise<DriftView[]>;
  /** Resolves one drift, audited; throws 404 unknown, 409 already resolved, 422 nothing to correct it with. */
  resolve(driftId: string, request: ResolveRequest): Promise<DriftView>;
}

const allScopes: readonly ReconciliationScope[] = ['orders', 'inventory', 'catalog', 'payments', 'journal'];
const automatic: AuditActor = { name: 'reconciliation (automatic)' };
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The reconciliation service over a store and the checks and corrections the runtime built. */
export function createReconciliation(deps: ReconciliationDeps): Reconciliation {
  const db = deps.store.db;
  const windowMs = deps.windowMs ?? 7 * 86_400_000;
  const autoCorrect = new Set(deps.autoCorrect ?? []);
  const correctionNamed = new Map(deps.corrections.map((c) => [c.name, c]));

  async function runChecks(scope: readonly ReconciliationScope[], window: { from: number; to: number }, signal: AbortSignal): Promise<{ summaries: CheckSummary[]; found: (Drift & { scope: ReconciliationScope })[] }> {
    const summaries: CheckSummary[] = [];
    const found = new Map<string, Drift & { scope: ReconciliationScope }>();
    for (const wanted of scope) {
      const checks = deps.checks.filter((c) => c.scope === wanted);
      if (checks.length === 0) summaries.push({ name: wanted, scope: wanted, drift: 0, ms: 0, note: 'no configured connection offers this comparison' });
      for (const check of checks) {
        const started = performance.now();
        try {
          const drift = await check.run(window, signal);
          for (const d of drift) found.set(`${d.kind}|${d.entity}`, { ...d, scope: check.scope });
          summaries.push({ name: check.name, scope: check.scope, drift: drift.length, ms: Math.round(performance.now() - started) });
        } catch (error) {
          const { code, message } = describeError(error);
          summaries.push({ name: check.name, scope: check.scope, drift: 0, ms: Math.round(performance.now() - started), error: `${code}: ${message}` });
        }
      }
    }
    return { summaries, found: [...found.values()] };
  }

  /**
   * Open drift of earlier runs in the scopes this run compared completely: what it found again is
   * superseded by its own drift (one open drift per disagreement), what it no longer finds was put
   * right meanwhile (by another correction, a late webhook or a person) and is closed as such.
   */
  async function settleEarlierDrift(tx: HandlerTransaction, runId: string, scopes: readonly ReconciliationScope[], foundNow: ReadonlySet<string>): Promise<void> {
    for (const earlier of await listEarlierOpenDrift(tx.db, scopes, runId)) {
      const again = foundNow.has(`${earlier.kind}|${earlier.entity}`);
      await settleDrift(tx.db, earlier.id, { status: again ? 'superseded' : 'resolved', resolution: again ? `found again by run ${runId}` : `no longer found by run ${runId}`, resolved_by: 'reconciliation', resolved_at: tx.now });
    }
  }

  const run = handlerFor(reconciliationRun, async (ctx) => {
    const { runId } = ctx.message.data;
    const row = await getReconciliationRun(db, runId);
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
    await updateReconciliationRun(db, runId, { status: 'running', started_at: deps.clock.now() });
    const scope = JSON.parse(row.scope) as ReconciliationScope[];
    const { summaries, found } = await runChecks(scope, { from: Number(row.window_from), to: Number(row.window_to) }, ctx.signal);
    const failed = summaries.filter((s) => s.error !== undefined);
    await ctx.commit(async (tx) => {
      const rows = found.map((d) => ({
        id: deps.newId('drift'),
        run_id: runId,
        scope: d.scope,
        kind: d.kind,
        entity: d.entity,
        systems: JSON.stringify(d.systems),
        expected: json(d.expected),
        actual: json(d.actual),
        severity: d.severity,
        correction: d.correction ?? null,
        detail: json(d.detail),
        status: 'open',
        resolution: null,
        resolved_by: null,
        resolved_at: null,
        created_at: tx.now,
      }));
      await insertDrift(tx.db, rows);
      await settleEarlierDrift(tx, runId, scope.filter((s) => !failed.some((f) => f.scope === s)), new Set(rows.map((r) => `${r.kind}|${r.entity}`)));
      for (const r of rows) {
        if (r.correction !== null && autoCorrect.has(r.correction)) tx.emit(reconciliationCorrect, { driftId: r.id }, { subject: r.entity });
      }
      await updateReconciliationRun(tx.db, runId, {
        status: failed.length > 0 ? 'failed' : 'succeeded',
        checks: JSON.stringify(summaries),
        drift_count: rows.length,
        error: failed.length > 0 ? failed.map((s) => `${s.name}: ${s.error}`).join('; ') : null,
        finished_at: tx.now,
      });
    });
  });

  async function apply(row: DriftRow, request: ResolveRequest, signal: AbortSignal): Promise<DriftView> {
    const drift = storedDrift(row);
    const settle = async (status: 'resolved' | 'dismissed' | 'failed', resolution: string | ((tx: HandlerTransaction) => Promise<string>)) =>
      inOutboxTransaction(deps.store, { origin: { source: 'reconciliation', correlationId: row.run_id }, now: deps.clock.now(), newId: deps.newId }, async (tx) => {
        const summary = typeof resolution === 'string' ? resolution : await resolution(tx);
        const settled = await settleDrift(tx.db, row.id, { status, resolution: summary, resolved_by: request.actor.name, resolved_at: tx.now });
        if (!settled) throw permanentError('drift_already_resolved', `drift ${row.id} was resolved meanwhile`, 409);
        await appendAudit(tx.db, [auditEntry({ at: tx.now, actor: request.actor, action: `reconciliation.drift.${status === 'failed' ? 'correction-failed' : request.action}`, resourceType: 'drift', resourceId: row.id, before: { kind: row.kind, entity: row.entity, status: row.status }, after: { status, resolution: summary, note: request.note } })]);
      });
    if (request.action === 'dismiss') {
      await settle('dismissed', request.note ? `dismissed: ${request.note}` : 'dismissed');
      return driftView((await getDrift(db, row.id))!);
    }
    const correction = row.correction === null ? undefined : correctionNamed.get(row.correction);
    if (!correction) throw permanentError('no_correction', `drift ${row.id} (${row.kind}) has no correction${row.correction ? ` named ${row.correction} configured` : ''}; dismiss it or correct it by hand`, 422);
    try {
      const prepared = await correction.prepare?.(drift, signal);
      await settle('resolved', async (tx) => (await correction.commit(tx, drift, prepared)).summary);
    } catch (error) {
      const { code, message, retryable } = describeError(error);
      if (!retryable && code !== 'drift_already_resolved') await settle('failed', `${code}: ${message}`).catch(() => undefined);
      throw error;
    }
    return driftView((await getDrift(db, row.id))!);
  }

  /** A drift a later run found again is resolved through the newest open drift about the same disagreement, and both are closed. */
  async function resolveSuperseded(row: DriftRow, request: ResolveRequest): Promise<DriftView> {
    const current = await findOpenDrift(db, row.kind, row.entity);
    if (!current) throw permanentError('drift_already_resolved', `drift ${row.id} was found again by a later run whose drift is resolved`, 409);
    const resolved = await apply(current, request, AbortSignal.timeout(120_000));
    await inOutboxTransaction(deps.store, { origin: { source: 'reconciliation', correlationId: row.run_id }, now: deps.clock.now(), newId: deps.newId }, async (tx) => {
      const resolution = `resolved as drift ${current.id}: ${resolved.resolution ?? ''}`;
      await settleDrift(tx.db, row.id, { status: resolved.status, resolution, resolved_by: request.actor.name, resolved_at: tx.now }, ['superseded']);
      await appendAudit(tx.db, [auditEntry({ at: tx.now, actor: request.actor, action: `reconciliation.drift.${request.action}`, resourceType: 'drift', resourceId: row.id, before: { kind: row.kind, entity: row.entity, status: row.status }, after: { status: resolved.status, resolution, note: request.note } })]);
    });
    return driftView((await getDrift(db, row.id))!);
  }

  const correct = handlerFor(reconciliationCorrect, async (ctx) => {
    const row = await getDrift(db, ctx.message.data.driftId);
    if (!row || row.status !== 'open') return;
    try {
      await apply(row, { action: 'correct', actor: automatic }, ctx.signal);
    } catch (error) {
      if (describeError(error).retryable) throw error;
    }
  });

  const start: Reconciliation['start'] = async (input) => {
    const now = deps.clock.now();
    const scope = input.scope && input.scope.length > 0 ? allScopes.filter((s) => input.scope!.includes(s)) : allScopes;
    const to = input.to ?? now;
    const from = input.from ?? to - windowMs;
    if (from > to) throw permanentError('invalid_window', 'from must not be after to', 400);
    const id = deps.newId('rec');
    await inOutboxTransaction(deps.store, { origin: { source: 'reconciliation', correlationId: id }, now, newId: deps.newId }, async (tx) => {
      await insertReconciliationRun(tx.db, { id, scope: JSON.stringify(scope), status: 'queued', trigger: input.trigger, requested_by: input.requestedBy, window_from: from, window_to: to, checks: null, drift_count: 0, error: null, created_at: now, started_at: null, finished_at: null });
      tx.emit(reconciliationRun, { runId: id }, { subject: id, orderingKey: `reconciliation:${id}` });
    });
    return runView((await getReconciliationRun(db, id))!);
  };

  return {
    handlers: [run, correct],
    start,
    async startScheduled() {
      if (await findActiveReconciliationRun(db)) return undefined;
      return start({ trigger: 'schedule', requestedBy: null });
    },
    async view(id) {
      const row = await getReconciliationRun(db, id);
      if (!row) return undefined;
      const drift: DriftView[] = [];
      for (let afterId: string | undefined; ; ) {
        const page = await listRunDrift(db, id, { limit: 1000, afterId });
        drift.push(...page.map(driftView));
        if (page.length < 1000) break;
        afterId = page.at(-1)!.id;
      }
      return { ...runView(row), drift };
    },
    async list(page) {
      return (await listReconciliationRuns(db, page)).map(runView);
    },
    async open(page) {
      const open = await listDriftByStatus(db, 'open', page);
      const failed = await listDriftByStatus(db, 'failed', page);
      return [...open, ...failed].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, page.limit).map(driftView);
    },
    async resolve(driftId, request) {
      const row = await getDrift(db, driftId);
      if (!row) throw permanentError('unknown_drift', `drift ${driftId} does not exist`, 404);
      if (row.status === 'superseded') return resolveSuperseded(row, request);
      if (row.status !== 'open' && row.status !== 'failed') throw permanentError('drift_already_resolved', `drift ${driftId} is ${row.status}`, 409);
      return apply(row, request, AbortSignal.timeout(120_000));
    },
  };
}
