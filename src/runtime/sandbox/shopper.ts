import { allocate, applyRate, minorToDecimal } from '../../model/index.js';
import { sandboxCatalog } from './catalog.js';

/** What a simulated shopper bought, before it becomes a Shopify order. */
export interface Basket {
  lines: { sku: string; title: string; quantity: number; unitPrice: number }[];
  /** An order-level discount (a code), spread over the lines by Shopify as discount allocations. */
  discountCode?: { code: string; amount: number };
  shipping: number;
  taxRate: string;
}

/** A random basket of one to three catalog items, sometimes with a discount code. */
export function randomBasket(random: () => number): Basket {
  const count = 1 + Math.floor(random() * 3);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(random() * sandboxCatalog.length));
  const lines = [...picked].map((i) => {
    const product = sandboxCatalog[i]!;
    return { sku: product.sku, title: product.title, quantity: 1 + Math.floor(random() * 2), unitPrice: product.price };
  });
  const subtotal = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  return {
    lines,
    ...(random() < 0.3 ? { discountCode: { code: 'WELCOME10', amount: Math.round(subtotal / 10) } } : {}),
    shipping: subtotal >= 7500 ? 0 : 599,
    taxRate: '0.0625',
  };
}

const customers = [
  { first: 'Ana', last: 'Silva', email: 'ana@example.com', city: 'Springfield', province: 'IL', zip: '62701' },
  { first: 'Ben', last: 'Okafor', email: 'ben@example.com', city: 'Peoria', province: 'IL', zip: '61602' },
  { first: 'Chen', last: 'Wei', email: 'chen@example.com', city: 'Chicago', province: 'IL', zip: '60601' },
  { first: 'Dara', last: 'Novak', email: 'dara@example.com', city: 'Naperville', province: 'IL', zip: '60540' },
];

const money = (minor: number) => minorToDecimal(minor, 'USD');
const moneySet = (minor: number) => ({
  shop_money: { amount: money(minor), currency_code: 'USD' },
  presentment_money: { amount: money(minor), currency_code: 'USD' },
});

/**
 * The basket as a Shopify order in the REST webhook shape (what orders/create carries), with
 * the discount allocated per line and tax per line, so its totals reconcile exactly.
 */
export function basketToShopifyOrder(basket: Basket, options: { number: number; paymentIntent: string; random: () => number; now: Date }) {
  const extended = basket.lines.map((l) => l.quantity * l.unitPrice);
  const discounts = basket.discountCode ? allocate(basket.discountCode.amount, extended) : extended.map(() => 0);
  const taxes = extended.map((amount, i) => applyRate(amount - discounts[i]!, basket.taxRate));
  const subtotal = extended.reduce((a, b) => a + b, 0);
  const discount = discounts.reduce((a, b) => a + b, 0);
  const tax = taxes.reduce((a, b) => a + b, 0);
  const total = subtotal - discount + basket.shipping + tax;
  const customer = customers[Math.floor(options.random() * customers.length)]!;
  const address = {
    first_name: customer.first,
    last_name: customer.last,
    name: `${customer.first} ${customer.last}`,
    address1: `${1 + Math.floor(options.random() * 900)} Main St`,
    city: customer.city,
    province_code: customer.province,
    zip: customer.zip,
    country_code: 'US',
    country: 'United States',
  };
  const at = options.now.toISOString();
  return {
    name: `#${options.number}`,
    order_number: options.number,
    email: customer.email,
    created_at: at,
    updated_at: at,
    processed_at: at,
    currency: 'USD',
    presentment_currency: 'USD',
    taxes_included: false,
    financial_status: 'authorized',
    fulfillment_status: null,
    gateway: 'stripe',
    payment_gateway_names: ['stripe'],
    checkout_token: options.paymentIntent,
    note_attributes: [{ name: 'payment_intent', value: options.paymentIntent }],
    subtotal_price: money(subtotal - discount),
    subtotal_price_set: moneySet(subtotal - discount),
    total_line_items_price: money(subtotal),
    total_line_items_price_set: moneySet(subtotal),
    total_discounts: money(discount),
    total_discounts_set: moneySet(discount),
    total_tax: money(tax),
    total_tax_set: moneySet(tax),
    total_price: money(total),
    total_price_set: moneySet(total),
    discount_codes: basket.discountCode ? [{ code: basket.discountCode.code, amount: money(basket.discountCode.amount), type: 'fixed_amount' }] : [],
    customer: { id: 7000 + Math.floor(options.random() * 1000), email: customer.email, first_name: customer.first, last_name: customer.last },
    shipping_address: address,
    billing_address: address,
    line_items: basket.lines.map((line, i) => ({
      id: options.number * 100 + i + 1,
      sku: line.sku,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      price: money(line.unitPrice),
      price_set: moneySet(line.unitPrice),
      total_discount: '0.00',
      discount_allocations: discounts[i] ? [{ amount: money(discounts[i]!), amount_set: moneySet(discounts[i]!), discount_application_index: 0 }] : [],
      tax_lines: [{ title: 'IL State Tax', rate: Number(basket.taxRate), price: money(taxes[i]!), price_set: moneySet(taxes[i]!) }],
      requires_shipping: true,
      taxable: true,
    })),
    shipping_lines: [
      {
        title: basket.shipping === 0 ? 'Free shipping' : 'Standard',
        code: 'standard',
        price: money(basket.shipping),
        price_set: moneySet(basket.shipping),
        discount_allocations: [],
        tax_lines: [],
      },
    ],
    tax_lines: [{ title: 'IL State Tax', rate: Number(basket.taxRate), price: money(tax), price_set: moneySet(tax) }],
    discount_applications: basket.discountCode
      ? [{ type: 'discount_code', code: basket.discountCode.code, value: money(basket.discountCode.amount), value_type: 'fixed_amount', allocation_method: 'across', target_selection: 'all', target_type: 'line_item' }]
      : [],
    tags: '',
  };
}
