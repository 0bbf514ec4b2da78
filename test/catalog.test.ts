import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../src/testing/index.js';
import { call, type apiClient } from './support/http.js';
import { startSandboxHub, type SandboxHub } from './support/sandbox-hub.js';
import type { Sandbox } from '../src/runtime/sandbox/index.js';

/**
 * The product master end to end against the emulators: API and ERP (Item, Item Price webhooks)
 * sources, PIM enrichment, approval, publication to the Shopify emulator by productSet with
 * change detection (images as product media), a Shopify outage during price changes, archive and
 * delete, and the paged list of masters.
 */
const key = 'catalog-bootstrap-key-0123456789';
let env: SandboxHub | undefined;
let sandbox: Sandbox;
let api: ReturnType<typeof apiClient>;

const url = (id: string) => sandbox.connections[id]!.baseUrl;
const erpAuth = () => ({ authorization: `token ${sandbox.connections['erp-main']!.apiKey}:${sandbox.connections['erp-main']!.apiSecret}` });

interface Publication {
  connectionId: string;
  status: string;
  externalId: string | null;
  externalIds: { productId: string; variantId?: string; inventoryItemId?: string } | null;
  publishedAt: string | null;
  publishedVersion: number | null;
  error: string | null;
}
interface Product {
  sku: string;
  title: string;
  description: string | null;
  status: string;
  version: number;
  attributes: Record<string, unknown>;
  prices: { currency: string; amount: number; channel?: string }[];
  publications: Publication[];
}
interface ShopProduct {
  id: string;
  title: string;
  handle: string;
  status: string;
  descriptionHtml: string;
  vendor: string;
  tags: string[];
  images: { id: string; url: string; alt: string }[];
  variants: { id: string; sku: string; price: string; inventoryItemId: string }[];
}

const product = async (sku: string) => (await api('GET', `/v1/products/${sku}`)).body as unknown as Product;
const shopProduct = async (sku: string) => {
  const response = await call('GET', `${url('shop-main')}/_sandbox/products/${sku}`);
  return response.status === 200 ? (response.body as unknown as ShopProduct) : undefined;
};
const graphqlCalls = async () => ((await call('GET', `${url('shop-main')}/_sandbox/state`)).body['calls'] as { graphqlCalls: number }).graphqlCalls;

/** Waits until the SKU's Shopify publication has settled on `status` at the master's current version. */
async function settled(sku: string, status: string, timeoutMs = 20_000): Promise<{ product: Product; publication: Publication }> {
  let last: Product | undefined;
  const found = await waitFor(
    async () => {
      last = await product(sku);
      const publication = last.publications.find((p) => p.connectionId === 'shop-main');
      return publication?.status === status && (status !== 'published' || publication.publishedVersion === last.version) ? { product: last, publication } : undefined;
    },
    { timeoutMs, intervalMs: 50, what: `${sku} ${status} in shop-main` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last: ${JSON.stringify(last)}`);
  });
  return found!;
}

const quiet = (ms = 600) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  env = await startSandboxHub({ name: 'catalog', key });
  ({ sandbox, api } = env);
}, 60_000);

afterAll(() => env?.stop());

describe('product master and publication', () => {
  it('keeps a draft unpublished, publishes on approval, sends only real changes, and catches up after an outage with the latest price', async () => {
    const body = { title: 'Linen shirt', description: '<p>Washed linen</p>', attributes: { brand: 'Acme', material: 'linen' }, prices: [{ currency: 'USD', amount: 4500 }] };
    const created = await api('PUT', '/v1/products/LINEN-SHIRT-M', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/products/LINEN-SHIRT-M');
    expect(created.body).toMatchObject({ sku: 'LINEN-SHIRT-M', status: 'draft', version: 1, publications: [] });
    await quiet();
    expect(await shopProduct('LINEN-SHIRT-M')).toBeUndefined();

    const approved = await api('POST', '/v1/products/LINEN-SHIRT-M/approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 2, approvedBy: 'bootstrap key' });
    const first = await settled('LINEN-SHIRT-M', 'published');
    const shop = await shopProduct('LINEN-SHIRT-M');
    expect(shop).toMatchObject({ title: 'Linen shirt', handle: 'linen-shirt-m', status: 'ACTIVE', descriptionHtml: '<p>Washed linen</p>', vendor: 'Acme', tags: ['linen'], variants: [{ sku: 'LINEN-SHIRT-M', price: '45.00' }] });
    expect(first.publication).toMatchObject({ externalId: shop!.id, externalIds: { variantId: shop!.variants[0]!.id, inventoryItemId: shop!.variants[0]!.inventoryItemId }, error: null });

    // A price change: one productSet.
    let before = await graphqlCalls();
    expect((await api('PUT', '/v1/products/LINEN-SHIRT-M', { ...body, prices: [{ currency: 'USD', amount: 4900 }] })).status).toBe(200);
    const changed = await settled('LINEN-SHIRT-M', 'published');
    expect(changed.product.version).toBe(3);
    expect((await shopProduct('LINEN-SHIRT-M'))?.variants[0]?.price).toBe('49.00');
    expect(await graphqlCalls()).toBe(before + 1);

    // The same content again: no new version, no call.
    before = await graphqlCalls();
    const same = await api('PUT', '/v1/products/LINEN-SHIRT-M', { ...body, prices: [{ currency: 'USD', amount: 4900 }] });
    expect(same.body).toMatchObject({ version: 3 });
    await quiet();
    expect(await graphqlCalls()).toBe(before);
    expect((await product('LINEN-SHIRT-M')).publications[0]?.publishedAt).toBe(changed.publication.publishedAt);

    // Shopify is down during two price changes: after it recovers only the latest price goes out, once.
    expect((await call('POST', `${url('shop-main')}/_sandbox/faults`, { outageSeconds: 3 })).status).toBe(200);
    before = await graphqlCalls();
    await api('PUT', '/v1/products/LINEN-SHIRT-M', { ...body, prices: [{ currency: 'USD', amount: 5200 }] });
    await waitFor(async () => (await product('LINEN-SHIRT-M')).publications[0]?.error, { timeoutMs: 10_000, what: 'the outage on the publication' });
    expect((await product('LINEN-SHIRT-M')).publications[0]).toMatchObject({ status: 'pending', error: expect.stringMatching(/503|unavailable|circuit/i) });
    await api('PUT', '/v1/products/LINEN-SHIRT-M', { ...body, prices: [{ currency: 'USD', amount: 5500 }] });
    const recovered = await settled('LINEN-SHIRT-M', 'published', 90_000);
    expect(recovered.product.version).toBe(5);
    expect(recovered.publication.error).toBeNull();
    expect((await shopProduct('LINEN-SHIRT-M'))?.variants[0]?.price).toBe('55.00');
    expect(await graphqlCalls()).toBe(before + 1);
  }, 120_000);

  it('archives (ARCHIVED in Shopify), rejects invalid input with problem+json, and deletes in the channel', async () => {
    await api('PUT', '/v1/products/WOOL-SCARF', { title: 'Wool scarf', prices: [{ currency: 'USD', amount: 3900 }] });
    await api('POST', '/v1/products/WOOL-SCARF/approve');
    await settled('WOOL-SCARF', 'published');
    const archived = await api('PUT', '/v1/products/WOOL-SCARF', { title: 'Wool scarf', prices: [{ currency: 'USD', amount: 3900 }], status: 'archived' });
    expect(archived.body).toMatchObject({ status: 'archived' });
    await settled('WOOL-SCARF', 'unpublished');
    expect((await shopProduct('WOOL-SCARF'))?.status).toBe('ARCHIVED');

    const invalid = await api('PUT', '/v1/products/WOOL-SCARF', { title: '', prices: [{ currency: 'USD', amount: 39.5 }, { currency: 'XXX', amount: 1 }] });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect((invalid.body['errors'] as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/title', '/prices/0/amount', '/prices/1/currency']);
    const approval = await api('PUT', '/v1/products/WOOL-SCARF', { title: 'Wool scarf', status: 'approved' });
    expect(approval).toMatchObject({ status: 409, body: { type: 'https://tillbridge.dev/problems/approval_required' } });
    expect((await api('GET', '/v1/products/NO-SUCH-SKU')).status).toBe(404);
    expect((await api('POST', '/v1/products/NO-SUCH-SKU/approve')).status).toBe(404);

    await api('POST', '/v1/products/WOOL-SCARF/approve');
    await settled('WOOL-SCARF', 'published');
    expect((await shopProduct('WOOL-SCARF'))?.status).toBe('ACTIVE');
    const deleted = await api('DELETE', '/v1/products/WOOL-SCARF');
    expect(deleted).toMatchObject({ status: 202, body: { status: 'deleted' } });
    await settled('WOOL-SCARF', 'deleted');
    expect(await shopProduct('WOOL-SCARF')).toBeUndefined();
  }, 60_000);

  it('builds the master from the ERP Item feed (Item, Item Price webhooks) and merges the PIM enrichment by rule', async () => {
    const erp = url('erp-main');
    const inserted = await call('POST', `${erp}/api/resource/Item`, { item_code: 'MERINO-BEANIE', item_name: 'Merino beanie', item_group: 'Products', stock_uom: 'Nos', description: 'Warm beanie', standard_rate: 24.5 }, erpAuth());
    expect(inserted.status).toBe(200);
    const fromErp = await waitFor(async () => {
      const p = await product('MERINO-BEANIE');
      return p.title === 'Merino beanie' && p.prices.length > 0 ? p : undefined;
    }, { timeoutMs: 15_000, what: 'the ERP Item and Item Price in the master' });
    expect(fromErp).toMatchObject({ status: 'draft', description: 'Warm beanie', attributes: { itemGroup: 'Products', stockUom: 'Nos', isStockItem: true }, prices: [{ currency: 'USD', amount: 2450 }] });

    // The ERP owns the title and prices: the API cannot override them; the PIM owns description, attributes and images.
    const enriched = await api('PUT', '/v1/products/MERINO-BEANIE?source=pim', { title: 'Ignored', description: '<p>Soft merino wool beanie</p>', attributes: { brand: 'Nordwool', material: 'merino' }, images: [{ url: 'https://pim.example.com/beanie.jpg', alt: 'beanie' }], prices: [{ currency: 'USD', amount: 1 }] });
    expect(enriched.status).toBe(200);
    expect(enriched.body).toMatchObject({ title: 'Merino beanie', description: '<p>Soft merino wool beanie</p>', attributes: { brand: 'Nordwool', material: 'merino', itemGroup: 'Products' }, images: [{ url: 'https://pim.example.com/beanie.jpg', alt: 'beanie' }], prices: [{ currency: 'USD', amount: 2450 }] });
    expect((enriched.body['sources'] as { source: string }[]).map((s) => s.source)).toEqual(['erp', 'pim']);
    expect((await api('PUT', '/v1/products/MERINO-BEANIE?source=erp', { title: 'x' })).status).toBe(422);

    await api('POST', '/v1/products/MERINO-BEANIE/approve');
    await settled('MERINO-BEANIE', 'published');
    expect(await shopProduct('MERINO-BEANIE')).toMatchObject({ title: 'Merino beanie', vendor: 'Nordwool', productType: 'Products', tags: ['merino'], descriptionHtml: '<p>Soft merino wool beanie</p>', variants: [{ price: '24.50' }] });
    // The PIM's images are the product's media in Shopify.
    const media = (await shopProduct('MERINO-BEANIE'))!.images;
    expect(media).toEqual([{ id: expect.stringContaining('gid://shopify/MediaImage/'), url: 'https://pim.example.com/beanie.jpg', alt: 'beanie' }]);

    // An ERP rename and price change flow through to Shopify.
    const itemPrice = await call('GET', `${erp}/api/resource/Item Price?filters=${encodeURIComponent(JSON.stringify([['item_code', '=', 'MERINO-BEANIE']]))}&fields=${encodeURIComponent('["name"]')}`, undefined, erpAuth());
    const priceName = (itemPrice.body['data'] as { name: string }[])[0]!.name;
    expect((await call('PUT', `${erp}/api/resource/Item Price/${priceName}`, { price_list_rate: 26 }, erpAuth())).status).toBe(200);
    expect((await call('PUT', `${erp}/api/resource/Item/MERINO-BEANIE`, { item_name: 'Merino beanie (navy)' }, erpAuth())).status).toBe(200);
    await waitFor(async () => {
      const shop = await shopProduct('MERINO-BEANIE');
      return shop?.title === 'Merino beanie (navy)' && shop.variants[0]?.price === '26.00';
    }, { timeoutMs: 20_000, what: 'the ERP change in Shopify' });
    // Unchanged images are not sent again (the media keep their ids); changed ones replace them.
    expect((await shopProduct('MERINO-BEANIE'))?.images).toEqual(media);
    await api('PUT', '/v1/products/MERINO-BEANIE?source=pim', { description: '<p>Soft merino wool beanie</p>', attributes: { brand: 'Nordwool', material: 'merino' }, images: [{ url: 'https://pim.example.com/beanie-2.jpg' }, { url: 'https://pim.example.com/beanie.jpg', alt: 'beanie' }] });
    const replaced = (await waitFor(async () => {
      const images = (await shopProduct('MERINO-BEANIE'))?.images;
      return images?.length === 2 ? images : undefined;
    }, { timeoutMs: 20_000, what: 'the new images in Shopify' }))!;
    expect(replaced.map((i) => [i.url, i.alt])).toEqual([['https://pim.example.com/beanie-2.jpg', ''], ['https://pim.example.com/beanie.jpg', 'beanie']]);

    // Disabling the Item in the ERP archives the product and takes it off sale.
    expect((await call('PUT', `${erp}/api/resource/Item/MERINO-BEANIE`, { disabled: 1 }, erpAuth())).status).toBe(200);
    await settled('MERINO-BEANIE', 'unpublished');
    expect((await product('MERINO-BEANIE')).status).toBe('archived');
    expect((await shopProduct('MERINO-BEANIE'))?.status).toBe('ARCHIVED');
  }, 60_000);

  it('lists the masters by page in SKU order, optionally of one status (GET /v1/products)', async () => {
    for (const sku of ['LIST-A', 'LIST-B', 'LIST-C']) await api('PUT', `/v1/products/${sku}`, { title: sku, prices: [{ currency: 'USD', amount: 1000 }] });
    await api('POST', '/v1/products/LIST-B/approve');
    const seen: Product[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages === 0 || (cursor !== null && pages < 100); pages++) {
      const page = await api('GET', `/v1/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      const body = page.body as unknown as { data: Product[]; nextCursor: string | null };
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data);
      cursor = body.nextCursor;
    }
    expect(cursor).toBeNull();
    const skus = seen.map((p) => p.sku);
    expect(new Set(skus).size).toBe(skus.length);
    expect(skus).toEqual(expect.arrayContaining(['LIST-A', 'LIST-B', 'LIST-C']));
    expect(skus.filter((sku) => sku.startsWith('LIST-'))).toEqual(['LIST-A', 'LIST-B', 'LIST-C']);
    expect(seen.find((p) => p.sku === 'LIST-B')).toMatchObject({ status: 'approved', publications: [{ connectionId: 'shop-main' }] });

    const drafts = (await api('GET', '/v1/products?status=draft&limit=500')).body as unknown as { data: Product[]; nextCursor: string | null };
    expect(drafts.data.every((p) => p.status === 'draft')).toBe(true);
    expect(drafts.data.map((p) => p.sku)).toEqual(expect.arrayContaining(['LIST-A', 'LIST-C']));
    expect(drafts.data.map((p) => p.sku)).not.toContain('LIST-B');

    const invalid = await api('GET', '/v1/products?status=live&limit=0&cursor=nope');
    expect(invalid.status).toBe(400);
    expect((invalid.body['errors'] as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/query/status', '/query/limit', '/query/cursor']);
  }, 30_000);
});
