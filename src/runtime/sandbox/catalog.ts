/** The sandbox retailer's catalog: what simulated shoppers buy, in USD cents. */
export const sandboxCatalog = [
  { sku: 'TEE-RED-M', title: 'Tee red M', price: 2500 },
  { sku: 'TEE-RED-L', title: 'Tee red L', price: 2500 },
  { sku: 'TEE-BLK-M', title: 'Tee black M', price: 2700 },
  { sku: 'HOODIE-GRY-L', title: 'Hoodie grey L', price: 5900 },
  { sku: 'CAP-NAVY', title: 'Cap navy', price: 1800 },
  { sku: 'SOCKS-3PK', title: 'Socks 3-pack', price: 1299 },
  { sku: 'MUG-LOGO', title: 'Logo mug', price: 1450 },
  { sku: 'TOTE-CANVAS', title: 'Canvas tote', price: 2200 },
] as const;

/** One SKU of the sandbox catalog. */
export type SandboxProduct = (typeof sandboxCatalog)[number];
