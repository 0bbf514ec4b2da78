export * from './order-to-cash/index.js';
export { publishedEvents } from './published-events.js';
export * from './subscriptions/index.js';
export * from './inbound/index.js';
export * from './inventory/index.js';
export * from './catalog/index.js';
export * from './sync/index.js';
export * from './ledger/index.js';
export * from './finance/index.js';
