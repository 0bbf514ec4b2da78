import { createHash } from 'node:crypto';

/** SHA-256 of a high-entropy secret (API key, client secret): how credentials are stored and compared. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
