import { describe, expect, it } from 'vitest';
import { InboundEvent } from '../framework/index.js';
import { interpretErpnextEvent, priceFromItemPrice, productFromItem, webhookDocument } from './mapping.js';

const settings = { timeZone: 'UTC', baseUrl: 'https://erp.example.com', currency: 'USD' };
const bin = (fields: string) =>
  `{"event": "on_update", "doc": {"name": "8c1f0b2a3d", "modified": "2026-11-26 10:15:00.123456", "item_code": "TEE-RED-M", "warehouse": "Stores - TB", ${fields}, "doctype": "Bin"}}`;
const item = (fields: string) => `{"event": "on_update", "doc": {"name": "TEE-RED-M", "modified": "2026-11-26 10:15:00.000000", "item_code": "TEE-RED-M", ${fields}, "doctype": "Item"}}`;

describe('ERPNext mapping', () => {
  it('maps a Bin to the on-hand level at its warehouse, dated by modified in the site time zone', () => {
    const events = interpretErpnextEvent('Bin:on_update', bin('"actual_qty": 37.0, "reserved_qty": 2.0, "projected_qty": 35.0'), settings);
    expect(events).toEqual([
      { kind: 'inventory-level', sku: 'TEE-RED-M', locationId: 'Stores - TB', onHand: 37, occurredAt: '2026-11-26T10:15:00.123Z', sourceVersion: '2026-11-26 10:15:00.123456' },
    ]);
    for (const event of events) InboundEvent.parse(event);
    const berlin = interpretErpnextEvent('Bin:on_update', bin('"actual_qty": 0.0'), { timeZone: 'Europe/Berlin' });
    expect(berlin[0]).toMatchObject({ onHand: 0, occurredAt: '2026-11-26T09:15:00.123Z' });
    const newYorkSummer = interpretErpnextEvent('Bin:on_update', bin('"actual_qty": -3.0').replace('2026-11-26', '2026-07-01'), { timeZone: 'America/New_York' });
    expect(newYorkSummer[0]).toMatchObject({ onHand: -3, occurredAt: '2026-07-01T14:15:00.123Z' });
    expect(() => interpretErpnextEvent('Bin:on_update', bin('"actual_qty": 2.5'), settings)).toThrow(expect.objectContaining({ code: 'erpnext_fractional_quantity', retryable: false }));
    expect(() => interpretErpnextEvent('Bin:on_update', bin('"actual_qty": "lots"'), settings)).toThrow(expect.objectContaining({ code: 'erpnext_invalid_payload' }));
    expect(interpretErpnextEvent('Bin:on_trash', bin('"actual_qty": 1.0'), settings)).toEqual([]);
  });

  it('maps an Item to a one-variant product: status, plain description, absolute image, barcode, attributes, exact weight', () => {
    const [event] = interpretErpnextEvent(
      'Item:on_update',
      item(
        '"item_name": "Tee red M", "description": "<p>Soft <strong>cotton</strong> tee</p>", "item_group": "Products", "stock_uom": "Nos", "brand": "Tillbridge", ' +
          '"image": "/files/tee-red.jpg", "disabled": 0, "has_variants": 0, "variant_of": "TEE", "is_stock_item": 1, "weight_per_unit": 0.25, "weight_uom": "Kg", ' +
          '"barcodes": [{"barcode": "0012345000017", "barcode_type": "EAN"}], "attributes": [{"attribute": "Colour", "attribute_value": "Red"}, {"attribute": "Size", "attribute_value": "M"}]',
      ),
      settings,
    );
    expect(InboundEvent.parse(event)).toEqual({
      kind: 'product',
      product: {
        productId: 'TEE-RED-M',
        title: 'Tee red M',
        description: 'Soft cotton tee',
        status: 'active',
        attributes: { isStockItem: true, itemGroup: 'Products', stockUom: 'Nos', brand: 'Tillbridge', variantOf: 'TEE' },
        images: [{ url: 'https://erp.example.com/files/tee-red.jpg' }],
        variants: [{ sku: 'TEE-RED-M', title: 'Tee red M', barcode: '0012345000017', options: { Colour: 'Red', Size: 'M' }, weight: { value: 250, unit: 'g' } }],
      },
      sourceVersion: '2026-11-26 10:15:00.000000',
    });
    const doc = (fields: string) => webhookDocument(item(fields));
    expect(productFromItem(doc('"weight_per_unit": 2.0, "weight_uom": "Kg", "disabled": 1'), settings)[0]).toMatchObject({ product: { status: 'archived', variants: [{ weight: { value: 2, unit: 'kg' } }] } });
    expect(productFromItem(doc('"weight_per_unit": 1.5, "weight_uom": "Pound"'), settings)[0]).not.toHaveProperty('product.variants.0.weight');
    expect(productFromItem(doc('"has_variants": 1'), settings)).toEqual([]);
    expect(interpretErpnextEvent('Item:on_trash', item('"item_name": "Tee red M"'), settings)[0]).toMatchObject({ kind: 'product', deleted: true });
  });

  it('reads an Item Price exactly in minor units; a selling price interprets to a price event, a buying one to nothing', () => {
    const price = (rate: string, currency = 'USD') =>
      `{"event": "on_update", "doc": {"name": "a1b2c3d4e5", "modified": "2026-11-26 10:15:00.000000", "item_code": "SOCKS-3PK", "price_list": "Standard Selling", "price_list_rate": ${rate}, "currency": "${currency}", "valid_from": "2026-11-01", "doctype": "Item Price"}}`;
    expect(interpretErpnextEvent('Item Price:on_update', price('12.99'), settings)).toEqual([
      { kind: 'price', price: { sku: 'SOCKS-3PK', channel: 'default', currency: 'USD', amount: 1299, validFrom: '2026-11-01T00:00:00Z' }, priceList: 'Standard Selling' },
    ]);
    expect(interpretErpnextEvent('Item Price:on_trash', price('12.99'), settings)[0]).toMatchObject({ kind: 'price', deleted: true });
    const buying = price('8.00').replace('"doctype": "Item Price"', '"selling": 0, "buying": 1, "doctype": "Item Price"');
    expect(interpretErpnextEvent('Item Price:on_update', buying, settings)).toEqual([]);
    expect(priceFromItemPrice(webhookDocument(price('12.99')), 'shop-main', settings)).toEqual({ sku: 'SOCKS-3PK', channel: 'shop-main', currency: 'USD', amount: 1299, validFrom: '2026-11-01T00:00:00Z' });
    expect(priceFromItemPrice(webhookDocument(price('1500.0', 'JPY')), 'default', settings).amount).toBe(1500);
    expect(priceFromItemPrice(webhookDocument(price('90071992547409.91')), 'default', settings).amount).toBe(9007199254740991);
    expect(() => priceFromItemPrice(webhookDocument(price('0.125')), 'default', settings)).toThrow(expect.objectContaining({ code: 'erpnext_invalid_amount' }));
    expect(interpretErpnextEvent('Sales Order:on_submit', '{"event": "on_submit", "doc": {}}', settings)).toEqual([]);
  });
});
