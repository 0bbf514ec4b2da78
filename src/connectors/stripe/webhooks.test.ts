import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../framework/index.js';
import { identifyStripeWebhook, signStripePayload, stripeSignatureHeader, verifyStripeWebhook } from './webhooks.js';

const stripe = new Stripe('sk_test_x');
const secret = 'whsec_test_4eC39HqLyjWDarjtT1zdp7dc';
const payload = JSON.stringify(
  { id: 'evt_1Pgc76B7WZ01zgkWwyRHS12y', object: 'event', api_version: '2026-10-28.endive', created: 1_795_000_000, type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', object: 'payment_intent' } } },
  null,
  2,
);
const t = 1_795_000_000;
const nowMs = t * 1000;
const sdkHeader = (options: { secret?: string; timestamp?: number; body?: string } = {}) =>
  stripe.webhooks.generateTestHeaderString({ payload: options.body ?? payload, secret: options.secret ?? secret, timestamp: options.timestamp ?? t });
const raw = Buffer.from(payload);

describe('Stripe-Signature verification (vectors from the official SDK)', () => {
  it('accepts what the SDK signs, keyed with the whole whsec_ string', () => {
    const header = sdkHeader();
    expect(header).toBe(`t=${t},v1=${hmacSha256(secret, `${t}.${payload}`, 'hex')}`);
    expect(verifyStripeWebhook(raw, { 'stripe-signature': header }, secret, nowMs)).toEqual({ ok: true });
  });

  it('accepts a timestamp up to the tolerance away, either way, and refuses one beyond it', () => {
    const header = { 'stripe-signature': sdkHeader() };
    expect(verifyStripeWebhook(raw, header, secret, nowMs + 300_000)).toEqual({ ok: true });
    expect(verifyStripeWebhook(raw, header, secret, nowMs - 300_000)).toEqual({ ok: true });
    expect(verifyStripeWebhook(raw, header, secret, nowMs + 301_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/300 s/) });
    expect(verifyStripeWebhook(raw, header, secret, nowMs - 301_000).ok).toBe(false);
    expect(verifyStripeWebhook(raw, header, secret, nowMs + 301_000, 600)).toEqual({ ok: true });
    expect(verifyStripeWebhook(raw, header, secret, nowMs + 61_000, 60).ok).toBe(false);
  });

  it('accepts any of several v1 signatures (an endpoint secret being rolled) and ignores other schemes', () => {
    const old = sdkHeader({ secret: 'whsec_old_secret' }).split('v1=')[1];
    const current = sdkHeader().split('v1=')[1];
    const header = { 'stripe-signature': `t=${t},v1=${old},v1=${current},v0=${'0'.repeat(64)}` };
    expect(verifyStripeWebhook(raw, header, secret, nowMs)).toEqual({ ok: true });
    expect(verifyStripeWebhook(raw, header, 'whsec_old_secret', nowMs)).toEqual({ ok: true });
    expect(verifyStripeWebhook(raw, header, 'whsec_third_secret', nowMs)).toMatchObject({ ok: false, reason: expect.stringMatching(/no Stripe-Signature v1/) });
    expect(verifyStripeWebhook(raw, { 'stripe-signature': `t=${t},v0=${current}` }, secret, nowMs).ok).toBe(false);
  });

  it('refuses a tampered body, a re-timestamped signature, a wrong secret, and missing or malformed headers', () => {
    const header = sdkHeader();
    const tampered = Buffer.from(payload.replace('pi_1', 'pi_2'));
    expect(verifyStripeWebhook(tampered, { 'stripe-signature': header }, secret, nowMs).ok).toBe(false);
    const v1 = header.split('v1=')[1];
    expect(verifyStripeWebhook(raw, { 'stripe-signature': `t=${t + 1},v1=${v1}` }, secret, nowMs).ok).toBe(false);
    expect(verifyStripeWebhook(raw, { 'stripe-signature': header }, 'whsec_wrong', nowMs).ok).toBe(false);
    expect(verifyStripeWebhook(raw, { 'stripe-signature': header }, secret.replace('whsec_', ''), nowMs).ok).toBe(false);
    expect(verifyStripeWebhook(raw, {}, secret, nowMs)).toMatchObject({ ok: false, reason: 'missing Stripe-Signature header' });
    expect(verifyStripeWebhook(raw, { 'stripe-signature': `v1=${v1}` }, secret, nowMs).ok).toBe(false);
    expect(verifyStripeWebhook(raw, { 'stripe-signature': `t=${t}` }, secret, nowMs).ok).toBe(false);
    expect(verifyStripeWebhook(raw, { 'stripe-signature': `t=abc,v1=${v1}` }, secret, nowMs).ok).toBe(false);
  });

  it('signs so that the SDK itself accepts it (constructEvent), one signature per secret', () => {
    const header = stripeSignatureHeader(payload, secret, Math.floor(Date.now() / 1000));
    const event = stripe.webhooks.constructEvent(payload, header, secret);
    expect(event.id).toBe('evt_1Pgc76B7WZ01zgkWwyRHS12y');
    const rolled = stripeSignatureHeader(payload, ['whsec_old_secret', secret], Math.floor(Date.now() / 1000));
    expect(rolled.split(',')).toHaveLength(3);
    expect(stripe.webhooks.constructEvent(payload, rolled, secret).type).toBe('payment_intent.succeeded');
    expect(() => stripe.webhooks.constructEvent(payload, rolled, 'whsec_other')).toThrow(/No signatures found/);
    expect(signStripePayload(payload, secret, t)).toBe(sdkHeader().split('v1=')[1]);
  });
});

describe('identifying a Stripe delivery', () => {
  it('uses the event id as dedup key, the type as topic and api_version as the version', () => {
    expect(identifyStripeWebhook(raw, {})).toEqual({ dedupKey: 'evt_1Pgc76B7WZ01zgkWwyRHS12y', topic: 'payment_intent.succeeded', apiVersion: '2026-10-28.endive' });
    const noVersion = Buffer.from(JSON.stringify({ id: 'evt_2', object: 'event', api_version: null, type: 'plan.created', data: { object: {} } }));
    expect(identifyStripeWebhook(noVersion)).toEqual({ dedupKey: 'evt_2', topic: 'plan.created', apiVersion: undefined });
  });

  it('refuses bodies that are not events', () => {
    const code = expect.objectContaining({ code: 'webhook_unidentified', retryable: false });
    expect(() => identifyStripeWebhook(Buffer.from('not json'))).toThrow(code);
    expect(() => identifyStripeWebhook(Buffer.from('{"type":"x"}'))).toThrow(code);
    expect(() => identifyStripeWebhook(Buffer.from('{"id":"evt_1"}'))).toThrow(code);
    expect(() => identifyStripeWebhook(Buffer.from('{"id":"pi_1","type":"x","object":"payment_intent"}'))).toThrow(code);
  });
});
