import { minorFromFrappe, type ErpnextClient, type ErpnextSettings } from '../../connectors/index.js';
import type { ErpOrderRecord, ErpOrderSide } from '../../flows/index.js';

const states = { 0: 'draft', 1: 'submitted', 2: 'cancelled' } as const;
/** References per list call: the filter travels in the query string, which servers cap at about 8 KB. */
const perCall = 100;
/** List calls in flight at once for one page of orders. */
const concurrency = 4;

/** ERPNext's Sales Orders by the hub reference they carry (one list call per page of orders; amended copies carry it too). */
export function erpnextOrderSide(connectionId: string, client: ErpnextClient, settings: ErpnextSettings): ErpOrderSide {
  const field = settings.referenceField;
  return {
    connectionId,
    async salesOrders(references, signal) {
      const chunks: string[][] = [];
      for (let start = 0; start < references.length; start += perCall) chunks.push(references.slice(start, start + perCall));
      const docs = [];
      for (let start = 0; start < chunks.length; start += concurrency) {
        const lists = await Promise.all(
          chunks.slice(start, start + concurrency).map((chunk) =>
            client.listDocs('Sales Order', { filters: [[field, 'in', chunk]], fields: ['name', field, 'docstatus', 'grand_total', 'currency', 'modified_by'], limit: 0, signal }),
          ),
        );
        docs.push(...lists.flat());
      }
      return docs.map((doc): ErpOrderRecord => {
        const currency = String(doc['currency']);
        return {
          reference: String(doc[field]),
          document: doc.name,
          state: states[Number(doc['docstatus']) as 0 | 1 | 2] ?? 'draft',
          total: minorFromFrappe(doc['grand_total'], currency, `Sales Order ${doc.name} grand_total`),
          currency,
          ...(typeof doc['modified_by'] === 'string' ? { modifiedBy: doc['modified_by'] } : {}),
        };
      });
    },
  };
}
