import { sql } from 'kysely';
import { completeMessage, completeMessages, createBatcher, type Batcher, type Db, type Store } from '../store/index.js';
import type { Envelope, OutgoingMessage } from './envelope.js';
import type { HandlerTransaction } from './handler.js';
import { createMessage, writeToOutbox } from './outbox.js';

/** One message to complete, with the writes that must commit with its completion. */
export interface Completion {
  envelope: Envelope;
  work?: ((tx: HandlerTransaction) => Promise<void>) | undefined;
}

/** How a completion ended. */
export type CompletionResult = { ok: true } | { ok: false; leaseLost: true } | { ok: false; leaseLost: false; error: unknown };

interface Deps {
  owner: string;
  source: string;
  now: () => number;
  newId: (prefix: string) => string;
}

/** The lease on a message was lost (it expired and another worker took it over). */
export class LeaseLost extends Error {
  constructor() {
    super('the lease on this message was lost before it could be completed');
  }
}

/**
 * Group commit for handler completions. Everything that finished while earlier commits were in
 * progress commits in one transaction: first optimistically (all work, one outbox insert, one
 * update); if anything in it fails, the batch is redone with a savepoint per completion so one
 * failure does not undo the others. A completion's `work` may therefore run twice, and must only
 * write through the transaction it is given.
 */
export function createCompletionCommitter(store: Store, deps: Deps, maxBatch = 256): Batcher<Completion, CompletionResult> {
  return createBatcher<Completion, CompletionResult>(
    async (items) => {
      try {
        return await store.db.transaction().execute((trx) => commitTogether(trx, items, deps));
      } catch (error) {
        if (items.length === 1) return [failure(error)];
      }
      return store.db.transaction().execute((trx) => commitEachInSavepoint(trx, items, deps));
    },
    { maxBatch, concurrency: store.dialect === 'postgres' ? 4 : 1 },
  );
}

function failure(error: unknown): CompletionResult {
  return error instanceof LeaseLost ? { ok: false, leaseLost: true } : { ok: false, leaseLost: false, error };
}

function transactionFor(db: Db, item: Completion, deps: Deps, now: number, emitted: OutgoingMessage[]): HandlerTransaction {
  return {
    db,
    now,
    emit(definition, data, options = {}) {
      emitted.push(
        createMessage(
          definition,
          data,
          { source: deps.source, correlationId: item.envelope.correlationid, causation: item.envelope },
          { id: deps.newId('msg'), now, ...options },
        ),
      );
    },
  };
}

async function commitTogether(trx: Db, items: Completion[], deps: Deps): Promise<CompletionResult[]> {
  const now = deps.now();
  const emitted: OutgoingMessage[] = [];
  for (const item of items) if (item.work) await item.work(transactionFor(trx, item, deps, now, emitted));
  await writeToOutbox(trx, emitted, now);
  const held = await completeMessages(trx, items.map((i) => i.envelope.id), deps.owner, now);
  if (held.size !== items.length) throw new LeaseLost();
  return items.map(() => ({ ok: true }));
}

async function commitEachInSavepoint(trx: Db, items: Completion[], deps: Deps): Promise<CompletionResult[]> {
  const results: CompletionResult[] = [];
  for (const item of items) {
    await sql`savepoint completion`.execute(trx);
    const now = deps.now();
    try {
      const emitted: OutgoingMessage[] = [];
      if (item.work) await item.work(transactionFor(trx, item, deps, now, emitted));
      await writeToOutbox(trx, emitted, now);
      if (!(await completeMessage(trx, item.envelope.id, deps.owner, now))) throw new LeaseLost();
      await sql`release savepoint completion`.execute(trx);
      results.push({ ok: true });
    } catch (error) {
      await sql`rollback to savepoint completion`.execute(trx);
      results.push(failure(error));
    }
  }
  return results;
}
