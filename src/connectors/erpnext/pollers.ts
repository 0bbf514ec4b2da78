import type { Poller } from '../framework/index.js';
import type { FrappeResources } from './resources.js';
import { frappeDedupKey } from './webhooks.js';

const pageSize = 100;

/**
 * A poller that reads documents of a doctype changed since the cursor (their `modified`), in
 * `modified` order, and hands each over as the webhook would have: topic `<doctype>:on_update`,
 * body `{"event": "on_update", "doc": …}`, the same dedup key — so a change seen by both the
 * webhook and the poll is interpreted once.
 */
export function modifiedPoller(resources: FrappeResources, doctype: string, intervalMs: number, options: { fullDocuments?: boolean } = {}): Poller {
  return {
    name: `${doctype.toLowerCase().replace(/ /g, '-')}-changes`,
    intervalMs,
    async poll(cursor, signal) {
      const page = await resources.listDocs(doctype, {
        filters: cursor ? [['modified', '>=', cursor]] : [],
        fields: options.fullDocuments ? ['name', 'modified'] : ['*'],
        orderBy: 'modified asc',
        limit: pageSize,
        signal,
      });
      const docs = options.fullDocuments ? await Promise.all(page.map((row) => resources.getDoc(doctype, row.name, signal))) : page;
      const items = docs.map((doc) => {
        const modified = String(doc['modified']);
        return {
          dedupKey: frappeDedupKey(doctype, doc.name, modified, 'on_update'),
          topic: `${doctype}:on_update`,
          payload: JSON.stringify({ event: 'on_update', doc: { ...doc, doctype } }),
        };
      });
      const last = docs.at(-1)?.['modified'];
      const next = typeof last === 'string' ? last : cursor;
      return { items, cursor: next, more: page.length === pageSize && next !== cursor };
    },
  };
}
