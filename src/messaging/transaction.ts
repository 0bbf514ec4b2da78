import type { Db, Store } from '../store/index.js';
import type { OutgoingMessage } from './envelope.js';
import type { HandlerTransaction } from './handler.js';
import { createMessage, writeToOutbox, type MessageOrigin } from './outbox.js';

/**
 * Runs `work` in one transaction with an outbox: what it emits commits with its writes. For state
 * changes that start outside a message handler (an API call), where handlers use ctx.commit.
 */
export async function inOutboxTransaction<T>(
  store: Store,
  options: { origin: MessageOrigin; now: number; newId: (prefix: string) => string },
  work: (tx: HandlerTransaction) => Promise<T>,
): Promise<T> {
  return store.db.transaction().execute(async (db: Db) => {
    const emitted: OutgoingMessage[] = [];
    const tx: HandlerTransaction = {
      db,
      now: options.now,
      emit(definition, data, emitOptions = {}) {
        emitted.push(createMessage(definition, data, options.origin, { id: options.newId('msg'), now: options.now, ...emitOptions }));
      },
    };
    const result = await work(tx);
    await writeToOutbox(db, emitted, options.now);
    return result;
  });
}
