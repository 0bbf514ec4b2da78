import { parseDec } from './decimal.js';
import { adjustBin } from './stock.js';
import type { DocumentStore } from './store.js';

/** One seeded item: code, name, selling price (a decimal string in the company currency) and stock in Stores. */
export interface SeedItem {
  itemCode: string;
  itemName: string;
  rate: string;
  stock?: number;
  barcode?: string;
}

/** Master data an emulator starts with besides the company setup. */
export interface ErpnextSeed {
  items?: SeedItem[];
  customers?: string[];
}

/** The sandbox retailer's catalog (the same SKUs the simulated shoppers buy), 100 of each in Stores. */
export const defaultSeed: Required<ErpnextSeed> = {
  items: [
    { itemCode: 'TEE-RED-M', itemName: 'Tee red M', rate: '25.00', stock: 100, barcode: '0012345000017' },
    { itemCode: 'TEE-RED-L', itemName: 'Tee red L', rate: '25.00', stock: 100 },
    { itemCode: 'TEE-BLK-M', itemName: 'Tee black M', rate: '27.00', stock: 100 },
    { itemCode: 'HOODIE-GRY-L', itemName: 'Hoodie grey L', rate: '59.00', stock: 100 },
    { itemCode: 'CAP-NAVY', itemName: 'Cap navy', rate: '18.00', stock: 100 },
    { itemCode: 'SOCKS-3PK', itemName: 'Socks 3-pack', rate: '12.99', stock: 100 },
    { itemCode: 'MUG-LOGO', itemName: 'Logo mug', rate: '14.50', stock: 100 },
    { itemCode: 'TOTE-CANVAS', itemName: 'Canvas tote', rate: '22.00', stock: 100 },
  ],
  customers: ['Walk-in Customer'],
};

/** The chart of accounts a new company gets (a small part of ERPNext's standard chart), by name without the abbreviation. */
export const seedAccounts: { name: string; rootType: string; accountType: string }[] = [
  { name: 'Debtors', rootType: 'Asset', accountType: 'Receivable' },
  { name: 'Cash', rootType: 'Asset', accountType: 'Cash' },
  { name: 'Bank', rootType: 'Asset', accountType: 'Bank' },
  { name: 'Stripe Clearing', rootType: 'Asset', accountType: 'Bank' },
  { name: 'Stock In Hand', rootType: 'Asset', accountType: 'Stock' },
  { name: 'Creditors', rootType: 'Liability', accountType: 'Payable' },
  { name: 'Sales Tax', rootType: 'Liability', accountType: 'Tax' },
  { name: 'Sales', rootType: 'Income', accountType: 'Income Account' },
  { name: 'Shipping Income', rootType: 'Income', accountType: 'Income Account' },
  { name: 'Cost of Goods Sold', rootType: 'Expense', accountType: 'Cost of Goods Sold' },
  { name: 'Payment Processing Fees', rootType: 'Expense', accountType: 'Expense Account' },
  { name: 'Round Off', rootType: 'Expense', accountType: 'Round Off' },
  { name: 'Chargebacks', rootType: 'Expense', accountType: 'Expense Account' },
  { name: 'Exchange Gain/Loss', rootType: 'Expense', accountType: 'Expense Account' },
];

/** Initials of a company name, as ERPNext suggests its abbreviation ("Tillbridge Retail" → "TR"). */
export function abbreviationOf(company: string): string {
  return company
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
}

/** What a finished setup wizard leaves: currencies, UOMs, groups, the company with its warehouses, accounts and price lists. */
export function seedSite(store: DocumentStore, company: { name: string; abbr: string; currency: string }): void {
  for (const code of new Set([company.currency, 'USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'KWD'])) store.insert('Currency', { currency_name: code });
  for (const uom of ['Nos', 'Unit', 'Kg', 'Gram', 'Pound', 'Ounce']) store.insert('UOM', { uom_name: uom, must_be_whole_number: uom === 'Nos' ? 1 : 0 });
  for (const group of ['All Item Groups', 'Products', 'Services']) store.insert('Item Group', { item_group_name: group, is_group: group.startsWith('All') ? 1 : 0 });
  for (const group of ['All Customer Groups', 'Commercial', 'Individual']) store.insert('Customer Group', { customer_group_name: group, is_group: group.startsWith('All') ? 1 : 0 });
  for (const territory of ['All Territories', 'United States', 'Rest Of The World']) store.insert('Territory', { territory_name: territory, is_group: territory.startsWith('All') ? 1 : 0 });
  for (const [mode, type] of [['Cash', 'Cash'], ['Credit Card', 'Bank'], ['Wire Transfer', 'Bank']] as const) store.insert('Mode of Payment', { mode_of_payment: mode, type });
  seedCompany(store, company);
  store.insert('Price List', { price_list_name: 'Standard Selling', currency: company.currency, selling: 1, buying: 0 });
  store.insert('Price List', { price_list_name: 'Standard Buying', currency: company.currency, selling: 0, buying: 1 });
}

/** A company as the setup wizard leaves it: its warehouses, its accounts and their defaults (the currency is created when missing). */
export function seedCompany(store: DocumentStore, company: { name: string; abbr: string; currency: string }): void {
  if (!store.get('Currency', company.currency)) store.insert('Currency', { currency_name: company.currency });
  store.insert('Company', { company_name: company.name, abbr: company.abbr, default_currency: company.currency, country: 'United States' });
  for (const account of seedAccounts) {
    store.insert('Account', { account_name: account.name, company: company.name, root_type: account.rootType, account_type: account.accountType, account_currency: company.currency });
  }
  for (const warehouse of ['Stores', 'Finished Goods', 'Work In Progress']) store.insert('Warehouse', { warehouse_name: warehouse, company: company.name });
  const suffix = ` - ${company.abbr}`;
  store.update('Company', company.name, {
    default_receivable_account: `Debtors${suffix}`,
    default_income_account: `Sales${suffix}`,
    default_cash_account: `Cash${suffix}`,
    round_off_account: `Round Off${suffix}`,
  });
}

/** Seeds items (with their price in Standard Selling and stock in Stores) and customers. */
export function seedMasters(store: DocumentStore, company: { abbr: string }, seed: ErpnextSeed): void {
  for (const item of seed.items ?? []) {
    store.insert('Item', {
      item_code: item.itemCode,
      item_name: item.itemName,
      item_group: 'Products',
      stock_uom: 'Nos',
      standard_rate: item.rate,
      barcodes: item.barcode ? [{ barcode: item.barcode, barcode_type: 'EAN' }] : [],
    });
    if (item.stock) adjustBin(store, item.itemCode, `Stores - ${company.abbr}`, { set: parseDec(String(item.stock)) ?? 0n });
  }
  for (const customer of seed.customers ?? []) store.insert('Customer', { customer_name: customer, customer_type: 'Individual' });
}
