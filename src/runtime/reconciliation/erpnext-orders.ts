import { minorFromFrappe, type ErpnextClient, type ErpnextSettings } from '../../connectors/index.js';
import type { ErpOrderRecord, ErpOrderSide } from '../../flows/index.js';

const states = { 0: 'draft', 1: 'submitted', 2: 'cancelled' } as const;

/** ERPNext's Sales Orders by the hub reference they carry (one list call per page of orders; amended copies carry it too). */
export function erpnextOrderSide(connectionId: string, client: ErpnextClient, settings: ErpnextSettings): ErpOrderSide {
  const field = settings.referenceField;
  return {
    connectionId,
    async salesOrders(references, signal) {
      if (references.length === 0) return [];
      const docs = await client.listDocs('Sales Order', {
        filters: [[field, 'in', references]],
        fields: ['name', field, 'docstatus', 'grand_total', 'currency', 'modified_by'],
        limit: 0,
        signal,
      });
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
