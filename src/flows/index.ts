export * from './order-to-cash/index.js';
