import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../framework/index.js';
import { shopifyFulfillmentToEvent } from './mapping.js';
import { failure, readShopifyCorpus } from './test-support.js';

const read = readShopifyCorpus;


const webhookLines = [
  { lineId: '487817672276298554', sku: 'SKU2006-001', quantity: 1 },
  { lineId: '789012345678901234', sku: 'LENS-PROTECT-2YR', quantity: 1 },
  { lineId: '890123456789012345', sku: 'CASE-LEATHER-PREM', quantity: 1 },
  { lineId: '976318377106520349', sku: 'SKU2006-020', quantity: 1 },
  { lineId: '315789986012684393', sku: 'SKU2006-035', quantity: 1 },
];

describe('shopifyFulfillmentToEvent', () => {
  for (const file of ['fulfillments_create', 'fulfillments_update']) {
    it(`${file} (2026-04): a pending shipment with exact line ids and UPS tracking`, () => {
      // order_id was rounded upstream in the corpus (no gid beside it); Shopify's raw text is exact.
      const event = shopifyFulfillmentToEvent(read(`webhooks-2026-04/${file}.json`).response);
      expect(InboundEvent.parse(event)).toEqual(event);
      expect(event).toEqual({
        kind: 'fulfillment',
        orderExternalId: '820982911946154500',
        fulfillment: {
          reference: '123456',
          status: 'pending',
          lines: webhookLines,
          tracking: [{ carrier: 'UPS', number: '1z827wk74630', url: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630' }],
        },
      });
    });
  }

  it('fulfillment.json (REST)', () => {
    const event = shopifyFulfillmentToEvent(read('rest-fixtures/fulfillment.json').fulfillment);
    expect(InboundEvent.parse(event)).toEqual(event);
    expect(event).toEqual({
      kind: 'fulfillment',
      orderExternalId: '450789469',
      fulfillment: {
        reference: '255858046',
        status: 'pending',
        lines: [{ lineId: '466157049', sku: 'IPOD2008GREEN', quantity: 1 }],
        tracking: [{ carrier: 'null-company', number: '1Z2345', url: 'http://www.google.com/search?q=1Z2345' }],
      },
    });
  });

  it('maps success → shipped (delivered once the shipment is), and failures to cancelled', () => {
    const raw = read('webhooks-2026-04/fulfillments_update.json').response;
    raw.status = 'success';
    raw.location_id = 905684977;
    expect(shopifyFulfillmentToEvent(raw).fulfillment).toMatchObject({ status: 'shipped', locationId: '905684977', shippedAt: '2021-12-31T19:00:00-05:00' });
    raw.shipment_status = 'delivered';
    expect(shopifyFulfillmentToEvent(raw).fulfillment.status).toBe('delivered');
    for (const status of ['cancelled', 'error', 'failure']) {
      raw.status = status;
      expect(shopifyFulfillmentToEvent(raw).fulfillment).toMatchObject({ status: 'cancelled' });
      expect(shopifyFulfillmentToEvent(raw).fulfillment).not.toHaveProperty('shippedAt');
    }
    raw.status = 'lost';
    expect(failure(() => shopifyFulfillmentToEvent(raw))).toMatchObject({ code: 'invalid_payload', message: '/status is "lost", not a known Shopify fulfillment status' });
  });

  it('tracks several parcels and drops a tracking URL that is not a URL', () => {
    const raw = read('rest-fixtures/fulfillment.json').fulfillment;
    raw.tracking_company = null;
    raw.tracking_numbers = ['A1', 'B2'];
    raw.tracking_urls = ['https://t.example/A1', 'not a url'];
    expect(shopifyFulfillmentToEvent(raw).fulfillment.tracking).toEqual([
      { carrier: 'Other', number: 'A1', url: 'https://t.example/A1' },
      { carrier: 'Other', number: 'B2' },
    ]);
  });

  it('refuses a fulfillment without line items', () => {
    const raw = read('rest-fixtures/fulfillment.json').fulfillment;
    delete raw.line_items;
    expect(failure(() => shopifyFulfillmentToEvent(raw))).toMatchObject({ code: 'invalid_payload', message: '/line_items is required' });
  });
});
