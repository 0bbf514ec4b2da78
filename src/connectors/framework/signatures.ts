import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of a payload with a secret, in the given encoding. */
export function hmacSha256(secret: string | Buffer, payload: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(payload).digest(encoding);
}

/** Compares two signature strings in constant time (false when lengths differ). */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
