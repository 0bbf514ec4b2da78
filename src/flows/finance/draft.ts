import type { JournalDraft } from '../ledger/index.js';
import type { PostingEntry } from './entry.js';

/** A computed entry as the ledger records it; its memo already notes a move out of a closed period. */
export function draftOf(entry: PostingEntry): JournalDraft {
  return {
    key: entry.key,
    date: entry.date,
    lines: entry.lines,
    sourceEvents: entry.sourceEvents,
    correlationId: entry.correlationId,
    causationId: entry.causationId,
    orderId: entry.orderId,
    memo: entry.memo,
  };
}
