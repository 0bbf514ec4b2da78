import { TillbridgeError } from './errors.js';

/** A source of the current time in epoch milliseconds, injected where code must be deterministic under test. */
export interface Clock {
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Makes a new prefixed, time-sortable id such as "ord_01JD…". */
export type IdGenerator = (prefix: string) => string;

/** Fills a byte array with random bytes (crypto.getRandomValues by default). */
export type RandomSource = (bytes: Uint8Array) => void;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_TIME = 2 ** 48 - 1;
const RANDOM_LIMIT = 1n << 80n;
const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,15}$/;

const cryptoRandom: RandomSource = (bytes) => {
  crypto.getRandomValues(bytes);
};

function encode(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[Number(rest & 31n)]! + out;
    rest >>= 5n;
  }
  return out;
}

function randomBits(random: RandomSource): bigint {
  const bytes = new Uint8Array(10);
  random(bytes);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** Creates a ULID generator (48-bit ms time + 80 random bits, Crockford base32), monotonic within one millisecond. */
export function createUlid(random: RandomSource = cryptoRandom): (now: number) => string {
  let lastTime = -1;
  let lastRandom = 0n;
  return (now) => {
    if (!Number.isSafeInteger(now) || now < 0 || now > MAX_TIME) {
      throw new TillbridgeError('invalid_time', `cannot make an id for time ${now}`);
    }
    if (now === lastTime) {
      lastRandom += 1n;
      if (lastRandom >= RANDOM_LIMIT) {
        throw new TillbridgeError('id_exhausted', 'too many ids in one millisecond', { retryable: true, retryAfterMs: 1 });
      }
    } else {
      lastTime = now;
      lastRandom = randomBits(random);
    }
    return encode(BigInt(now), 10) + encode(lastRandom, 16);
  };
}

const defaultUlid = createUlid();

function checkPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new TillbridgeError('invalid_id_prefix', `id prefix must match ${PREFIX_PATTERN.source}, got ${JSON.stringify(prefix)}`);
  }
}

/** A new time-sortable id `${prefix}_${ulid}`, e.g. newId('ord') → "ord_01JD…". */
export function newId(prefix: string, now: number = Date.now()): string {
  checkPrefix(prefix);
  return `${prefix}_${defaultUlid(now)}`;
}

/** An {@link IdGenerator} driven by an injected clock (and optionally an injected random source). */
export function createIdGenerator(clock: Clock = systemClock, random?: RandomSource): IdGenerator {
  const ulid = random ? createUlid(random) : defaultUlid;
  return (prefix) => {
    checkPrefix(prefix);
    return `${prefix}_${ulid(clock.now())}`;
  };
}

/** The creation time (epoch ms) encoded in an id made by {@link newId}, or undefined if it is not one. */
export function idTimestamp(id: string): number | undefined {
  const match = /_([0-9A-HJKMNP-TV-Z]{26})$/.exec(id);
  if (!match) return undefined;
  let time = 0;
  for (const char of match[1]!.slice(0, 10)) time = time * 32 + ALPHABET.indexOf(char);
  return time <= MAX_TIME ? time : undefined;
}
