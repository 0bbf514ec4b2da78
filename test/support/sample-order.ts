export { sampleOrder } from '../../bench/sample-order.js';
