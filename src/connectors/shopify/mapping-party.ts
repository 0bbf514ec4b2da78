import type { Address, Customer, OrderPayment, PaymentStatus } from '../../model/index.js';
import { definedOnly, exactId, type ShopifyNode } from './mapping-support.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const COUNTRY = /^[A-Z]{2}$/;

function joinName(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last].filter((part) => part !== undefined).join(' ').trim();
  return name === '' ? undefined : name;
}

/**
 * A Shopify address as a canonical Address; undefined when it lacks a street, a city or a
 * two-letter country code (digital-only and pickup orders), because the canonical address needs them.
 */
export function shopifyAddress(node: ShopifyNode): Address | undefined {
  if (!node.present) return undefined;
  node.object();
  const line1 = node.at('address1').optionalText();
  const city = node.at('city').optionalText();
  const country = node.at('country_code').optionalText()?.toUpperCase();
  if (line1 === undefined || city === undefined || country === undefined || !COUNTRY.test(country)) return undefined;
  const name = node.at('name').optionalText() ?? joinName(node.at('first_name').optionalText(), node.at('last_name').optionalText());
  const optional = {
    name,
    company: node.at('company').optionalText(),
    line2: node.at('address2').optionalText(),
    region: node.at('province_code').optionalText() ?? node.at('province').optionalText(),
    postalCode: node.at('zip').optionalText(),
    phone: node.at('phone').optionalText(),
  };
  return { line1, city, country, ...definedOnly(optional) };
}

/** The order's customer: exact id, email (customer's, else the order's), name from first and last name. */
export function shopifyCustomer(order: ShopifyNode): Customer | undefined {
  const node = order.at('customer');
  const customer = node.present ? node.object() : undefined;
  const emails = [customer?.at('email'), order.at('email'), order.at('contact_email')].map((n) => n?.optionalText());
  const email = emails.find((candidate) => candidate !== undefined && EMAIL.test(candidate));
  const result = definedOnly({
    externalId: customer && (customer.at('id').present || customer.at('admin_graphql_api_id').present) ? exactId(customer) : undefined,
    email,
    name: customer ? joinName(customer.at('first_name').optionalText(), customer.at('last_name').optionalText()) : undefined,
    phone: customer?.at('phone').optionalText(),
  });
  return Object.keys(result).length === 0 ? undefined : result;
}

const financialStatuses: Readonly<Record<string, PaymentStatus>> = {
  pending: 'pending',
  authorized: 'authorized',
  partially_paid: 'captured',
  paid: 'captured',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  voided: 'voided',
  expired: 'voided',
};

/**
 * One payment from the order's first gateway and its financial_status, for the order total (the
 * paid part for partially_paid); per-transaction detail arrives as order_transactions/create.
 */
export function shopifyOrderPayments(order: ShopifyNode, orderId: string, total: number, outstanding: number | undefined): OrderPayment[] {
  const statusNode = order.at('financial_status');
  const financial = statusNode.optionalText();
  if (financial === undefined) return [];
  const status = financialStatuses[financial] ?? statusNode.fail(`is ${JSON.stringify(financial)}, not a known Shopify financial status`);
  const gateways = order.at('payment_gateway_names').optionalList().map((node) => node.optionalText());
  const provider = gateways.find((name) => name !== undefined) ?? order.at('gateway').optionalText();
  if (provider === undefined) return [];
  const paid = financial === 'partially_paid' && outstanding !== undefined && outstanding <= total ? total - outstanding : total;
  return [{ provider, reference: orderId, status, amount: paid }];
}

/** Shopify's comma-separated tags as a list (blank tags dropped); undefined when there are none. */
export function shopifyTags(node: ShopifyNode): string[] | undefined {
  const tags = (node.optionalText() ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  return tags.length === 0 ? undefined : tags;
}

/** note_attributes (`[{name, value}]`) as a record of strings; undefined when there are none. */
export function shopifyNoteAttributes(node: ShopifyNode): Record<string, string> | undefined {
  const entries = node.optionalList().flatMap((attribute) => {
    const name = attribute.object().at('name').optionalText();
    const value = attribute.at('value').value;
    if (name === undefined || value === undefined || value === null) return [];
    return [[name, typeof value === 'string' ? value : JSON.stringify(value)] as const];
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
