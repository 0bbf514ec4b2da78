import { sql } from 'kysely';
import { completeMessage, createBatcher, type Batcher, type Store } from '../store/index.js';
import type { OutgoingMessage } from './envelope.js';
import type { HandlerTransaction } from './handler.js';
import { createMessage, writeToOutbox } from './outbox.js';
import type { Envelope } from './envelope.js';

/** One message to complete, with the writes that must commit with its completion. */
export interface Completion {
  envelope: Envelope;
  owner: string;
  work?: ((tx: HandlerTransaction) => Promise<void>) | undefined;
}

/** How a completion ended. */
export type CompletionResult = { ok: true } | { ok: false; leaseLost: true } | { ok: false; leaseLost: false; error: unknown };

/**
 * Group commit for handler completions: everything that finished while the previous commit was
 * in progress commits in one transaction, each completion in its own savepoint so one failure
 * does not undo the others.
 */
export function createCompletionCommitter(
  store: Store,
  deps: { now: () => number; newId: (prefix: string) => string; source: string },
  maxBatch = 256,
): Batcher<Completion, CompletionResult> {
  return createBatcher<Completion, CompletionResult>(
    (items) =>
      store.db.transaction().execute(async (trx) => {
        const results: CompletionResult[] = [];
        const isolate = items.length > 1;
        for (const item of items) {
          if (isolate) await sql`savepoint completion`.execute(trx);
          const now = deps.now();
          try {
            const emitted: OutgoingMessage[] = [];
            const tx: HandlerTransaction = {
              db: trx,
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
            if (item.work) await item.work(tx);
            await writeToOutbox(trx, emitted, now);
            const held = await completeMessage(trx, item.envelope.id, item.owner, now);
            if (!held) {
              if (!isolate) throw new LeaseLost();
              await sql`rollback to savepoint completion`.execute(trx);
              results.push({ ok: false, leaseLost: true });
              continue;
            }
            if (isolate) await sql`release savepoint completion`.execute(trx);
            results.push({ ok: true });
          } catch (error) {
            if (!isolate) throw error;
            await sql`rollback to savepoint completion`.execute(trx);
            results.push({ ok: false, leaseLost: false, error });
          }
        }
        return results;
      }).catch((error: unknown) => {
        if (items.length === 1) {
          return [error instanceof LeaseLost ? { ok: false, leaseLost: true } : { ok: false, leaseLost: false, error }];
        }
        throw error;
      }),
    { maxBatch },
  );
}

/** The lease on a message was lost (it expired and another worker took it over). */
export class LeaseLost extends Error {
  constructor() {
    super('the lease on this message was lost before it could be completed');
  }
}
