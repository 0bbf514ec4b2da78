import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, permanentError, systemClock, transientError } from '../../model/index.js';
import { createDispatcher, inOutboxTransaction, messageDetail, replayOne, type Dispatcher } from '../../messaging/index.js';
import { getWorkflowRun, insertOrders, listWorkflowSteps, getTimeline, testStores, type Store } from '../../store/index.js';
import { waitFor } from '../../testing/index.js';
import { compensateRun, defineWorkflow, resumeRun, startRun, workflowHandlers, type Workflow } from './index.js';

const stores = await testStores();
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

/** A world outside the hub: documents created once per reference, and undone. */
function world() {
  const created = new Map<string, number>();
  const cancelled = new Set<string>();
  const log: string[] = [];
  return {
    created,
    cancelled,
    log,
    ensure(kind: string, reference: string): string {
      const key = `${kind}:${reference}`;
      created.set(key, (created.get(key) ?? 0) + 1);
      if (created.get(key) === 1) log.push(`create ${key}`);
      return key;
    },
    cancel(key: string) {
      if (!cancelled.has(key)) log.push(`cancel ${key}`);
      cancelled.add(key);
    },
  };
}

function testWorkflow(outside: ReturnType<typeof world>, faults: { failBook?: number; permanentBook?: boolean; holdFor?: Set<string> }) {
  let bookAttempts = 0;
  return defineWorkflow({
    name: 'test-flow',
    input: z.object({ ref: z.string() }),
    gate: async (_db, run) => (faults.holdFor?.has(run.input.ref) ? 'manual' : null),
    steps: [
      {
        name: 'reserve',
        system: 'tillbridge',
        invoke: async () => ({ output: { reserved: 2 } }),
        compensate: async () => ({ output: { released: true } }),
      },
      {
        name: 'book',
        system: 'erp',
        retry: { ...fast, maxAttempts: 5 },
        slaMs: 60_000,
        async invoke({ run }) {
          bookAttempts += 1;
          if (faults.permanentBook) throw permanentError('erp_validation', 'Could not find Item: GHOST');
          if (bookAttempts <= (faults.failBook ?? 0)) throw transientError('erp_unavailable', 'ERP answered 503');
          return { documents: { salesOrder: outside.ensure('SO', run.input.ref) } };
        },
        compensate: async ({ done }) => {
          outside.cancel(String(done.documents['salesOrder']));
          return { documents: done.documents };
        },
      },
      {
        name: 'notify',
        system: 'channel',
        invoke: async ({ run }) => ({ output: { sawReserved: run.steps['reserve']?.output['reserved'], so: run.steps['book']?.documents['salesOrder'] } }),
      },
    ],
  });
}

describe.each(stores)('workflow engine on $name', (factory) => {
  let store: Store;
  let dispatcher: Dispatcher | undefined;

  afterEach(async () => {
    await dispatcher?.stop(1000);
    dispatcher = undefined;
    await store?.close();
  });

  async function setUp(workflow: Workflow<{ ref: string }>) {
    store = await factory.open();
    dispatcher = createDispatcher({ store, handlers: workflowHandlers(workflow, { store, clock: systemClock }), clock: systemClock, newId, pollMs: 10 });
    dispatcher.start();
  }

  async function order(ref: string): Promise<string> {
    const id = newId('ord');
    await insertOrders(store.db, [
      { id, source: 'test', external_id: ref, number: null, status: 'accepted', hold_reason: null, currency: 'USD', total: 100, placed_at: '2026-11-26T10:00:00Z', body_hash: 'h', data: '{}', correlation_id: `cor_${ref}`, created_at: 0, updated_at: 0 },
    ]);
    return id;
  }

  async function start(workflow: Workflow<{ ref: string }>, ref: string, orderId: string) {
    return inOutboxTransaction(store, { origin: { source: 'test', correlationId: `cor_${ref}` }, now: Date.now(), newId }, (tx) =>
      startRun(tx, workflow, { id: newId('run'), key: `test:${ref}`, orderId, correlationId: `cor_${ref}`, input: { ref } }),
    );
  }

  const completed = (runId: string, status = 'completed') => waitFor(async () => (await getWorkflowRun(store.db, runId))?.status === status, { what: `run ${runId} ${status}` });

  it.skipIf(factory.skipReason !== null)('runs named steps in order, hands results on, retries a transient failure and records attempts', async () => {
    const outside = world();
    const workflow = testWorkflow(outside, { failBook: 2 });
    await setUp(workflow);
    const orderId = await order('A1');
    const { runId, created } = await start(workflow, 'A1', orderId);
    expect(created).toBe(true);
    expect((await start(workflow, 'A1', orderId)).created).toBe(false);
    await completed(runId);
    const run = await getWorkflowRun(store.db, runId);
    const outputs = JSON.parse(run!.outputs);
    expect(outputs.notify.output).toEqual({ sawReserved: 2, so: 'SO:A1' });
    const steps = await listWorkflowSteps(store.db, [runId]);
    expect(steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      ['reserve', 'done', 1],
      ['book', 'done', 3],
      ['notify', 'done', 1],
    ]);
    expect(outside.created.get('SO:A1')).toBe(1);
    const timeline = await getTimeline(store.db, orderId);
    expect(timeline.map((t) => t.event)).toEqual(['test-flow.reserve', 'test-flow.book', 'test-flow.notify']);
    expect(JSON.parse(timeline[1]!.detail!)).toMatchObject({ documents: { salesOrder: 'SO:A1' }, attempts: 3, runId });
    expect(timeline.every((t) => t.correlation_id === 'cor_A1')).toBe(true);
  });

  it.skipIf(factory.skipReason !== null)('dead-letters a permanent failure at once with its message, and a replay after the fix finishes the run', async () => {
    const outside = world();
    const faults = { permanentBook: true };
    const workflow = testWorkflow(outside, faults);
    await setUp(workflow);
    const orderId = await order('B1');
    const { runId } = await start(workflow, 'B1', orderId);
    await waitFor(async () => (await listWorkflowSteps(store.db, [runId])).some((s) => s.status === 'failed'), { what: 'the failed step' });
    const failed = (await listWorkflowSteps(store.db, [runId])).find((s) => s.step === 'book')!;
    expect(failed).toMatchObject({ attempts: 1, status: 'failed', error: 'erp_validation: Could not find Item: GHOST' });
    await waitFor(async () => (await messageDetail(store.db, failed.message_id!))?.status === 'dead', { what: 'the dead letter' });
    const timeline = await getTimeline(store.db, orderId);
    expect(timeline.at(-1)).toMatchObject({ event: 'test-flow.book.failed' });
    faults.permanentBook = false;
    expect(await replayOne(store.db, { id: failed.message_id!, actor: 'test', now: Date.now() })).toBe('replayed');
    dispatcher!.notify('critical');
    await completed(runId);
    expect(outside.created.get('SO:B1')).toBe(1);
  });

  it.skipIf(factory.skipReason !== null)('waits at a gate and resumes where it waited', async () => {
    const outside = world();
    const holdFor = new Set(['C1']);
    const workflow = testWorkflow(outside, { holdFor });
    await setUp(workflow);
    const orderId = await order('C1');
    const { runId } = await start(workflow, 'C1', orderId);
    await completed(runId, 'waiting');
    expect(outside.log).toEqual([]);
    holdFor.delete('C1');
    const now = Date.now();
    expect(await inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor_C1' }, now, newId }, (tx) => resumeRun(tx, workflow, runId))).toBe(true);
    dispatcher!.notify('critical');
    await completed(runId);
    expect(outside.log).toEqual(['create SO:C1']);
  });

  it.skipIf(factory.skipReason !== null)('compensates finished steps in reverse order, once each', async () => {
    const outside = world();
    const workflow = testWorkflow(outside, {});
    await setUp(workflow);
    const orderId = await order('D1');
    const { runId } = await start(workflow, 'D1', orderId);
    await completed(runId);
    const compensate = () => inOutboxTransaction(store, { origin: { source: 'test', correlationId: 'cor_D1' }, now: Date.now(), newId }, (tx) => compensateRun(tx, workflow, runId, 'customer changed their mind'));
    expect(await compensate()).toBe(true);
    expect(await compensate()).toBe(false);
    dispatcher!.notify('critical');
    await completed(runId, 'compensated');
    expect(outside.log).toEqual(['create SO:D1', 'cancel SO:D1']);
    const steps = await listWorkflowSteps(store.db, [runId]);
    expect(steps.filter((s) => s.phase === 'compensate').map((s) => [s.step, s.status])).toEqual([
      ['notify', 'skipped'],
      ['book', 'done'],
      ['reserve', 'done'],
    ]);
  });
});
