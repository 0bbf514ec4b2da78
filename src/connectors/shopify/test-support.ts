import { readFileSync } from 'node:fs';
import { isTillbridgeError } from '../../model/index.js';
import { corpusUrl } from '../../testing/index.js';
import { parseShopifyJson } from './json.js';

/** Vendor JSON as tests reach into it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into vendor JSON freely
export type Json = any;

/** A Shopify corpus file (relative to corpus/shopify/), parsed without rounding big ids. */
export function readShopifyCorpus(path: string): Json {
  return parseShopifyJson(readFileSync(new URL(path, corpusUrl('shopify/')), 'utf8'));
}

/** The typed error `run` throws (fails the test when it throws nothing or something else). */
export function failure(run: () => unknown): { code: string; message: string; details: unknown; retryable: boolean } {
  try {
    run();
  } catch (err) {
    if (isTillbridgeError(err)) return { code: err.code, message: err.message, details: err.details, retryable: err.retryable };
    throw err;
  }
  throw new Error('expected a failure');
}
