import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './post.js';
import { newSigningSecret, signatureHeader, signWebhook, verifyWebhook } from './signature.js';

describe('Standard Webhooks signatures', () => {
  it('reproduces the specification’s test vector', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('makes secrets of 32 random bytes', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it('verifies any of several signatures, and rejects stale timestamps and tampered bodies', () => {
    const [a, b] = [newSigningSecret(), newSigningSecret()];
    const header = signatureHeader([a, b], 'evt_1', 1_700_000_000, '{}');
    const headers = { id: 'evt_1', timestamp: '1700000000', signature: header };
    expect(header.split(' ')).toHaveLength(2);
    expect(verifyWebhook(a, headers, '{}', { nowSeconds: 1_700_000_010 })).toBe(true);
    expect(verifyWebhook(b, headers, '{}', { nowSeconds: 1_700_000_010 })).toBe(true);
    expect(verifyWebhook(newSigningSecret(), headers, '{}', { nowSeconds: 1_700_000_010 })).toBe(false);
    expect(verifyWebhook(a, headers, '{ }', { nowSeconds: 1_700_000_010 })).toBe(false);
    expect(verifyWebhook(a, headers, '{}', { nowSeconds: 1_700_001_000 })).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now, 60_000)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now, 60_000)).toBe(10_000);
    expect(parseRetryAfter('86400', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter('soon', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter(null, now, 60_000)).toBeUndefined();
  });
});
