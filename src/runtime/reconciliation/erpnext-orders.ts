import { minorFromFrappe, type ErpnextClient, type ErpnextSettings } from '../../connectors/index.js';
import type { ErpOrderRecord, ErpOrderSide } from '../../flows/index.js';

const states = { 0: 'draft', 1: 'submitted', 2: 'cancelled' } as const;
/** References per list call: the filter travels in the query string, which servers cap at about 8 KB. */
const perCall = 100;
/** List calls in flight at once for one page of orders. */
const concurrency = 4;

/**
 * ERPNext's Sales Orders by the hub reference they carry (one list call per page of orders). An
 * amendment of a cancelled order carries the reference too, unless the field is Unique (the
 * database still holds the cancelled order's value): such amendments are found by `amended_from`
 * and stand for the reference of the order they amend.
 */
export function erpnextOrderSide(connectionId: string, client: ErpnextClient, settings: ErpnextSettings): ErpOrderSide {
  const field = settings.referenceField;
  return {
    connectionId,
    async salesOrders(references, signal) {
      const fields = ['name', field, 'docstatus', 'grand_total', 'currency', 'modified_by', 'amended_from'];
      const listIn = async (filterField: string, values: string[]) => {
        const found = [];
        for (let start = 0; start < values.length; start += perCall * concurrency) {
          const lists = await Promise.all(
            Array.from({ length: Math.ceil(Math.min(values.length - start, perCall * concurrency) / perCall) }, (_, i) => values.slice(start + i * perCall, start + (i + 1) * perCall)).map((chunk) =>
              client.listDocs('Sales Order', { filters: [[filterField, 'in', chunk]], fields, limit: 0, signal }),
            ),
          );
          found.push(...lists.flat());
        }
        return found;
      };
      const docs = await listIn(field, [...references]);
      const referenceOf = new Map(docs.map((doc) => [doc.name, String(doc[field])]));
      // Amendments without the reference (a Unique field), followed along amended_from.
      for (let cancelled = docs.filter((d) => Number(d['docstatus']) === 2).map((d) => d.name); cancelled.length > 0; ) {
        const amendments = (await listIn('amended_from', cancelled)).filter((doc) => !referenceOf.has(doc.name));
        for (const doc of amendments) {
          referenceOf.set(doc.name, String(doc[field] ?? '') || referenceOf.get(String(doc['amended_from']))!);
          docs.push(doc);
        }
        cancelled = amendments.filter((d) => Number(d['docstatus']) === 2).map((d) => d.name);
      }
      return docs.map((doc): ErpOrderRecord => {
        const currency = String(doc['currency']);
        return {
          reference: referenceOf.get(doc.name)!,
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
