export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { startTraffic, type TrafficOptions, type TrafficTargets } from './traffic.js';
export { basketToShopifyOrder, randomBasket, type Basket } from './shopper.js';
export { sandboxCatalog } from './catalog.js';
