/** The example order of CONTRACT.md ("Canonical order v1") as wire JSON, with top-level overrides; for docs, tests and benchmarks. */
export function exampleOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'web-store',
    externalId: '1001',
    number: '#1001',
    placedAt: '2026-11-26T10:15:00Z',
    currency: 'USD',
    customer: { externalId: 'c-42', email: 'ana@example.com', name: 'Ana Silva' },
    shippingAddress: { name: 'Ana Silva', line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
    lines: [
      {
        lineId: '1',
        sku: 'TEE-RED-M',
        title: 'Tee red M',
        quantity: 2,
        unitPrice: 2500,
        discount: 500,
        taxes: [{ name: 'IL state', rate: '0.0625', amount: 281 }],
      },
    ],
    shipping: [{ method: 'standard', price: 500, discount: 0, taxes: [] }],
    payments: [{ provider: 'stripe', reference: 'pi_123', method: 'card', status: 'authorized', amount: 5281 }],
    totals: { subtotal: 5000, discount: 500, shipping: 500, tax: 281, total: 5281 },
    ...overrides,
  };
}
