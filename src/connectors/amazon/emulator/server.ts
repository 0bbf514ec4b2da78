import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { startEmulator, type EmulatedError, type RunningEmulator } from '../../framework/index.js';
import { AmazonFinancesState, type EmulatedEventGroup } from './state.js';

/** The LWA app credentials and refresh token of the emulated seller. */
export interface AmazonCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Options of the Amazon SP-API Finances emulator. */
export interface AmazonEmulatorOptions {
  port?: number;
  random?: () => number;
  now?: () => number;
  credentials?: Partial<AmazonCredentials>;
  /** Lifetime of access tokens (default 3600 s, as LWA). */
  tokenTtlSeconds?: number;
  /** Settlements served from the start (e.g. built from the corpus examples). */
  groups?: readonly EmulatedEventGroup[];
  /** Retry-After of an injected 429, in seconds (default 2). */
  retryAfterSeconds?: number;
}

/** A running Amazon emulator; its token endpoint is `${url}/auth/o2/token`. */
export type RunningAmazonEmulator = RunningEmulator & {
  credentials: AmazonCredentials;
  tokenUrl: string;
  /** Access tokens issued so far. */
  tokensIssued(): number;
};

const money = z.object({ CurrencyCode: z.string().min(3), CurrencyAmount: z.union([z.number(), z.string()]) });

/** The body of `POST /_sandbox/event-groups`: a group (FinancialEventGroupId and OriginalTotal at least) and its events. */
const SandboxGroup = z.object({
  group: z.looseObject({ FinancialEventGroupId: z.string().min(1), OriginalTotal: money }),
  events: z.record(z.string(), z.array(z.unknown())).default({}),
});

const spError = (code: string, message: string, details?: string) => ({ errors: [{ code, message, ...(details ? { details } : {}) }] });

const isoInstant = (text: string) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && Number.isFinite(Date.parse(text));

/**
 * Starts the emulated SP-API Finances v0 with Login with Amazon: `POST /auth/o2/token`
 * (refresh_token grant), `GET /finances/v0/financialEventGroups` and
 * `GET /finances/v0/financialEventGroups/{id}/financialEvents`, both paged by opaque NextTokens and
 * answering an expired or unknown `x-amz-access-token` with 403 `Unauthorized`. Sandbox routes:
 * `POST /_sandbox/event-groups` adds or replaces a group with its events, `POST /_sandbox/expire-tokens`
 * expires every access token.
 */
export async function startAmazonEmulator(options: AmazonEmulatorOptions = {}): Promise<RunningAmazonEmulator> {
  const now = options.now ?? Date.now;
  const credentials: AmazonCredentials = {
    clientId: options.credentials?.clientId ?? `amzn1.application-oa2-client.${randomBytes(16).toString('hex')}`,
    clientSecret: options.credentials?.clientSecret ?? `amzn1.oa2-cs.v1.${randomBytes(24).toString('hex')}`,
    refreshToken: options.credentials?.refreshToken ?? `Atzr|${randomBytes(32).toString('base64url')}`,
  };
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const state = new AmazonFinancesState(options.groups ?? []);
  const accessTokens = new Map<string, number>();
  let issued = 0;

  const authorised = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const token = request.headers['x-amz-access-token'];
    const expiresAt = typeof token === 'string' ? accessTokens.get(token) : undefined;
    if (expiresAt !== undefined && now() < expiresAt) return true;
    const details = expiresAt === undefined ? 'The access token you provided is revoked, malformed or invalid.' : 'The access token you provided has expired.';
    void reply.code(403).header('content-type', 'application/json').send(spError('Unauthorized', 'Access to requested resource is denied.', details));
    return false;
  };

  const pageSize = (raw: unknown, fallback: number): number | undefined => {
    if (raw === undefined) return fallback;
    const size = Number(raw);
    return Number.isInteger(size) && size >= 1 && size <= 100 ? size : undefined;
  };

  const routes = (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    app.post('/auth/o2/token', async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, string>;
      if (form['grant_type'] !== 'refresh_token') return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server' });
      if (form['client_id'] !== credentials.clientId || form['client_secret'] !== credentials.clientSecret) {
        return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication failed' });
      }
      if (form['refresh_token'] !== credentials.refreshToken) return reply.code(400).send({ error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
      const token = `Atza|${randomBytes(32).toString('base64url')}`;
      accessTokens.set(token, now() + ttlSeconds * 1000);
      issued += 1;
      return { access_token: token, refresh_token: credentials.refreshToken, token_type: 'bearer', expires_in: ttlSeconds };
    });

    app.get('/finances/v0/financialEventGroups', async (request, reply) => {
      if (!authorised(request, reply)) return reply;
      const query = request.query as Record<string, string | undefined>;
      const token = query['NextToken'];
      if (token !== undefined) {
        const continuation = state.continuation(token);
        if (continuation?.kind !== 'groups') return reply.code(400).send(spError('InvalidInput', 'Invalid NextToken.'));
        const page = state.groupsPage(continuation);
        return { payload: { FinancialEventGroupList: page.list, ...(page.nextToken ? { NextToken: page.nextToken } : {}) } };
      }
      const size = pageSize(query['MaxResultsPerPage'], 10);
      if (size === undefined) return reply.code(400).send(spError('InvalidInput', 'MaxResultsPerPage must be between 1 and 100.'));
      const after = query['FinancialEventGroupStartedAfter'];
      const before = query['FinancialEventGroupStartedBefore'];
      for (const [name, value] of [['FinancialEventGroupStartedAfter', after], ['FinancialEventGroupStartedBefore', before]] as const) {
        if (value !== undefined && !isoInstant(value)) return reply.code(400).send(spError('InvalidInput', `${name} must be an ISO 8601 date-time.`));
      }
      const startedAfter = after === undefined ? undefined : Date.parse(after);
      const startedBefore = before === undefined ? undefined : Date.parse(before);
      if (startedAfter !== undefined && (startedAfter > now() || (startedBefore !== undefined && startedBefore <= startedAfter))) {
        return reply.code(400).send(spError('InvalidInput', 'Date range is invalid.'));
      }
      const page = state.groupsPage({ pageSize: size, offset: 0, ...(startedAfter === undefined ? {} : { startedAfter }), ...(startedBefore === undefined ? {} : { startedBefore }) });
      return { payload: { FinancialEventGroupList: page.list, ...(page.nextToken ? { NextToken: page.nextToken } : {}) } };
    });

    app.get('/finances/v0/financialEventGroups/:eventGroupId/financialEvents', async (request, reply) => {
      if (!authorised(request, reply)) return reply;
      const { eventGroupId } = request.params as { eventGroupId: string };
      const query = request.query as Record<string, string | undefined>;
      if (!state.get(eventGroupId)) return reply.code(404).send(spError('NotFound', `No financial event group ${eventGroupId}.`));
      const token = query['NextToken'];
      let size: number | undefined;
      let offset = 0;
      if (token !== undefined) {
        const continuation = state.continuation(token);
        if (continuation?.kind !== 'events' || continuation.groupId !== eventGroupId) return reply.code(400).send(spError('InvalidInput', 'Invalid NextToken.'));
        size = continuation.pageSize;
        offset = continuation.offset;
      } else {
        size = pageSize(query['MaxResultsPerPage'], 100);
        if (size === undefined) return reply.code(400).send(spError('InvalidInput', 'MaxResultsPerPage must be between 1 and 100.'));
      }
      const page = state.eventsPage(eventGroupId, size, offset);
      return { payload: { FinancialEvents: page.events, ...(page.nextToken ? { NextToken: page.nextToken } : {}) } };
    });

    app.post('/_sandbox/event-groups', async (request, reply) => {
      const parsed = SandboxGroup.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'invalid event group', detail: parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ') });
      return reply.code(201).send({ id: state.upsert(parsed.data as EmulatedEventGroup) });
    });

    app.post('/_sandbox/expire-tokens', async () => {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
      return { expired: accessTokens.size };
    });
  };

  const emulator = await startEmulator({
    name: 'amazon',
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.now ? { now: options.now } : {}),
    faultResponse(kind): EmulatedError {
      const json = { 'content-type': 'application/json' };
      if (kind === 'rate-limit') {
        return { status: 429, headers: { ...json, 'retry-after': String(options.retryAfterSeconds ?? 2), 'x-amzn-ratelimit-limit': '0.5' }, body: spError('QuotaExceeded', 'You exceeded your quota for the requested resource.') };
      }
      if (kind === 'outage') return { status: 503, headers: json, body: spError('ServiceUnavailable', 'Service temporarily unavailable.') };
      return { status: 500, headers: json, body: spError('InternalFailure', 'We encountered an internal error. Please try again.') };
    },
    routes,
    state: () => ({ eventGroups: state.summary(), tokensIssued: issued }),
  });
  return { ...emulator, credentials, tokenUrl: `${emulator.url}/auth/o2/token`, tokensIssued: () => issued };
}
