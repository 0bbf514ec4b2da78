/** The business flows messages belong to, as dashboards and metrics group them. */
export const flowNames = ['order-to-cash', 'inbound', 'inventory', 'catalog', 'finance', 'settlement', 'reconciliation', 'subscriptions', 'sync', 'other'] as const;
export type FlowName = (typeof flowNames)[number];

const byPrefix: [string, FlowName][] = [
  ['workflow.order-', 'order-to-cash'],
  ['order.', 'order-to-cash'],
  ['inbound.', 'inbound'],
  ['inventory.', 'inventory'],
  ['catalog.', 'catalog'],
  ['finance.', 'finance'],
  ['ledger.', 'finance'],
  ['settlement.', 'settlement'],
  ['reconciliation.', 'reconciliation'],
  ['subscription.', 'subscriptions'],
  ['sync.', 'sync'],
];

/** The flow a message type belongs to (`workflow.order-placement.route` → order-to-cash); unknown types → other. */
export function flowOfMessageType(type: string): FlowName {
  return byPrefix.find(([prefix]) => type.startsWith(prefix))?.[1] ?? 'other';
}
