import { describe, expect, it } from 'vitest';
import { OAuthError } from './errors.js';
import { parseTokenRequest } from './token-request.js';
import { looksLikeJwt } from './resolver.js';

const form = 'application/x-www-form-urlencoded; charset=utf-8';
const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;
const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as OAuthError;
  }
  throw new Error('expected an OAuthError');
};

describe('parseTokenRequest', () => {
  it('url-decodes both parts of HTTP Basic credentials (RFC 6749 §2.3.1)', () => {
    const request = parseTokenRequest({ contentType: form, body: 'grant_type=client_credentials', authorization: basic('cli%3A1:s%C3%A9cret%3Aa+b') });
    expect(request).toEqual({ grantType: 'client_credentials', clientId: 'cli:1', clientSecret: 'sécret:a b', scope: undefined });
  });

  it('reads body credentials and a space-separated scope; an empty scope counts as absent', () => {
    expect(parseTokenRequest({ contentType: form, body: 'grant_type=client_credentials&client_id=a&client_secret=b&scope=orders%3Aread+catalog%3Aread', authorization: undefined }).scope).toEqual([
      'orders:read',
      'catalog:read',
    ]);
    expect(parseTokenRequest({ contentType: form, body: { grant_type: 'client_credentials', client_id: 'a', client_secret: 'b', scope: '' }, authorization: undefined }).scope).toBeUndefined();
  });

  it('classifies bad requests with the RFC 6749 §5.2 codes', () => {
    expect(errorOf(() => parseTokenRequest({ contentType: 'application/json', body: {}, authorization: undefined })).error).toBe('invalid_request');
    expect(errorOf(() => parseTokenRequest({ contentType: form, body: 'grant_type=authorization_code', authorization: undefined })).error).toBe('unsupported_grant_type');
    expect(errorOf(() => parseTokenRequest({ contentType: form, body: 'grant_type=client_credentials', authorization: 'Bearer x' })).status).toBe(401);
    expect(errorOf(() => parseTokenRequest({ contentType: form, body: 'grant_type=client_credentials', authorization: basic('only-id') })).error).toBe('invalid_client');
    expect(errorOf(() => parseTokenRequest({ contentType: form, body: 'grant_type=client_credentials', authorization: basic('a:%zz') })).error).toBe('invalid_request');
    expect(errorOf(() => parseTokenRequest({ contentType: form, body: 'grant_type=client_credentials&client_id=a', authorization: undefined })).error).toBe('invalid_client');
  });
});

describe('looksLikeJwt', () => {
  it('tells compact JWS tokens from API keys', () => {
    expect(looksLikeJwt('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('tb_abcdefghijklmnopqrstuvwxyz')).toBe(false);
    expect(looksLikeJwt('test-bootstrap-key-0123456789')).toBe(false);
  });
});
