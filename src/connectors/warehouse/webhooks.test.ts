import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../framework/index.js';
import { identifyWarehouseWebhook, verifyWarehouseWebhook, warehouseSignatureHeader, warehouseWebhookHeaders } from './webhooks.js';

const secret = 'whsec_test_0123456789';
const body = '{"type":"stock.adjusted","eventId":"evt_000001","sku":"TEE-RED-M","location":"WH1","onHand":5,"delta":5,"reason":"receipt","occurredAt":"2026-11-27T10:00:00.000Z","version":1}';
const t = 1_795_000_000;
const nowMs = t * 1000;

describe('warehouse webhook signatures', () => {
  it('signs t.body with hex HMAC-SHA256 of the webhook secret', () => {
    expect(warehouseSignatureHeader(body, secret, t)).toBe(`t=${t},v1=${hmacSha256(secret, `${t}.${body}`, 'hex')}`);
  });

  it('accepts a correct signature within 300 s either way', () => {
    const headers = { 'x-warehouse-signature': warehouseSignatureHeader(body, secret, t) };
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, secret, nowMs)).toEqual({ ok: true });
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, secret, nowMs + 300_000)).toEqual({ ok: true });
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, secret, nowMs - 300_000)).toEqual({ ok: true });
  });

  it('refuses a stale or future timestamp, even when correctly signed', () => {
    const headers = { 'x-warehouse-signature': warehouseSignatureHeader(body, secret, t) };
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, secret, nowMs + 301_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/300 s/) });
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, secret, nowMs - 301_000).ok).toBe(false);
  });

  it('refuses a tampered body, a re-timestamped signature, a wrong secret and malformed headers', () => {
    const headers = { 'x-warehouse-signature': warehouseSignatureHeader(body, secret, t) };
    expect(verifyWarehouseWebhook(Buffer.from(body.replace('"onHand":5', '"onHand":500')), headers, secret, nowMs)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    const v1 = headers['x-warehouse-signature'].split('v1=')[1];
    expect(verifyWarehouseWebhook(Buffer.from(body), { 'x-warehouse-signature': `t=${t + 10},v1=${v1}` }, secret, nowMs).ok).toBe(false);
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, 'whsec_other', nowMs).ok).toBe(false);
    expect(verifyWarehouseWebhook(Buffer.from(body), {}, secret, nowMs)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyWarehouseWebhook(Buffer.from(body), { 'x-warehouse-signature': v1 }, secret, nowMs).ok).toBe(false);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const current = warehouseSignatureHeader(body, secret, t).split('v1=')[1];
    const old = warehouseSignatureHeader(body, 'whsec_old', t).split('v1=')[1];
    const headers = { 'x-warehouse-signature': `t=${t},v1=${old},v1=${current}` };
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, secret, nowMs)).toEqual({ ok: true });
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, 'whsec_old', nowMs)).toEqual({ ok: true });
    expect(verifyWarehouseWebhook(Buffer.from(body), headers, 'whsec_third', nowMs).ok).toBe(false);
  });

  it('identifies by X-Warehouse-Event-Id and -Type, falling back to the body', () => {
    const headers = warehouseWebhookHeaders({ body, secret, eventId: 'evt_000001', eventType: 'stock.adjusted', timestampSeconds: t });
    expect(identifyWarehouseWebhook(Buffer.from(body), headers)).toEqual({ dedupKey: 'evt_000001', topic: 'stock.adjusted', apiVersion: 'v1' });
    expect(identifyWarehouseWebhook(Buffer.from(body), {})).toEqual({ dedupKey: 'evt_000001', topic: 'stock.adjusted', apiVersion: undefined });
    expect(() => identifyWarehouseWebhook(Buffer.from('{}'), {})).toThrow(expect.objectContaining({ code: 'webhook_unidentified', retryable: false }));
  });
});
