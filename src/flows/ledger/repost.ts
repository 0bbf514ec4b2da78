import type { HandlerTransaction } from '../../messaging/index.js';
import { getJournalEntry, setJournalPosting } from '../../store/index.js';
import { ledgerPost } from './messages.js';

/**
 * Queues a journal entry's posting again, in the caller's transaction. With `replaces` (currency →
 * the ERP document that was cancelled or deleted there), only the currencies whose recorded document
 * is still that one are cleared and posted as new documents, under a reference naming the replaced
 * one: a retried or repeated correction finds the document already replaced and posts nothing.
 * Without it, an entry still pending is queued once more (its reference finds what an earlier try made).
 * Answers whether a posting was queued.
 */
export async function repostJournalEntry(tx: HandlerTransaction, entryId: string, replaces: Readonly<Record<string, string>> = {}): Promise<boolean> {
  const entry = await getJournalEntry(tx.db, entryId);
  if (!entry) return false;
  const documents = JSON.parse(entry.erp_documents ?? '{}') as Record<string, string>;
  const stale = Object.entries(replaces).filter(([currency, document]) => documents[currency] === document);
  if (stale.length === 0) {
    if (Object.keys(replaces).length > 0 || entry.status !== 'pending') return false;
    tx.emit(ledgerPost, { entryId }, { subject: entry.key });
    return true;
  }
  for (const [currency] of stale) delete documents[currency];
  await setJournalPosting(tx.db, entryId, {
    status: 'pending',
    erp_connection: entry.erp_connection,
    erp_documents: Object.keys(documents).length > 0 ? JSON.stringify(documents) : null,
    error: null,
    posted_at: null,
  });
  tx.emit(ledgerPost, { entryId, replaces: Object.fromEntries(stale) }, { subject: entry.key });
  return true;
}
