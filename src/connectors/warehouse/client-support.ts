import type { z } from 'zod';
import { TillbridgeError } from '../../model/index.js';
import { unexpectedResponse } from '../framework/index.js';
import { Problem } from './wire.js';

/** The problem body and status of a rejected call (a 4xx other than 401), or undefined for any other error. */
export function problemOf(error: unknown): (Problem & { status: number }) | undefined {
  if (!(error instanceof TillbridgeError) || error.code !== 'outbound_rejected') return undefined;
  const details = error.details as { status?: number; body?: unknown } | undefined;
  const problem = Problem.safeParse(details?.body);
  return { ...(problem.success ? problem.data : {}), status: details?.status ?? error.httpStatus };
}

/** Failures after which a create may or may not have been stored: look it up before sending it again. */
const lostInFlight = new Set(['outbound_timeout', 'outbound_unreachable', 'outbound_server_error']);

/** True when a create's answer may have been lost after the warehouse stored it. */
export function mayHaveLanded(error: unknown): boolean {
  return error instanceof TillbridgeError && lostInFlight.has(error.code);
}

/** Parses a response body with `schema`, or throws the connection's `unexpected response` error. */
export type ResponseParser = <T extends z.ZodType>(schema: T, body: unknown, what: string) => z.output<T>;

/** A response parser whose errors name the connection and each field. */
export function responseParser(connectionId: string): ResponseParser {
  return (schema, body, what) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw unexpectedResponse(connectionId, `${what}: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  };
}

/** The warehouse's own words from a problem: its `detail`, else its title. */
export function warehouseSays(problem: Problem | undefined): string {
  return problem?.detail ?? problem?.title ?? 'no detail given';
}
