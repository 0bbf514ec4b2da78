import { OAuthError } from './errors.js';

/** A parsed client credentials token request (RFC 6749 §4.4.2) with the client's credentials. */
export interface TokenRequest {
  grantType: string;
  clientId: string;
  clientSecret: string;
  /** The scopes asked for, or undefined to get every scope the client has. */
  scope: string[] | undefined;
}

const formType = 'application/x-www-form-urlencoded';

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_request', 'the client credentials in the Authorization header are not correctly encoded');
  }
}

/** The request's parameters; a repeated parameter is invalid (RFC 6749 §3.2) and empty ones count as absent. */
function formParameters(contentType: string | undefined, body: unknown): Map<string, string> {
  if (!contentType || contentType.split(';')[0]?.trim().toLowerCase() !== formType) {
    throw new OAuthError('invalid_request', `the token request must be sent as ${formType}`);
  }
  const entries: [string, string | string[]][] =
    typeof body === 'string'
      ? [...new URLSearchParams(body)]
      : body && typeof body === 'object'
        ? (Object.entries(body) as [string, string | string[]][])
        : [];
  const params = new Map<string, string>();
  for (const [name, value] of entries) {
    if (Array.isArray(value) || params.has(name)) throw new OAuthError('invalid_request', `the parameter ${name} is repeated`);
    if (value !== '') params.set(name, value);
  }
  return params;
}

/** Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1: both parts form-urlencoded). */
function basicCredentials(header: string): { clientId: string; clientSecret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) throw new OAuthError('invalid_client', 'client authentication failed: use HTTP Basic or client_id and client_secret in the body');
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'client authentication failed: the Basic credentials have no secret');
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/** Reads a token request from its content type, body and Authorization header; throws OAuthError. */
export function parseTokenRequest(input: { contentType: string | undefined; body: unknown; authorization: string | undefined }): TokenRequest {
  const params = formParameters(input.contentType, input.body);
  const grantType = params.get('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', `the grant type ${grantType.slice(0, 64)} is not supported; use client_credentials`);

  const inBody = params.has('client_id') || params.has('client_secret');
  if (input.authorization && inBody) throw new OAuthError('invalid_request', 'use one client authentication method, not both HTTP Basic and body parameters');
  const credentials = input.authorization
    ? basicCredentials(input.authorization)
    : { clientId: params.get('client_id') ?? '', clientSecret: params.get('client_secret') ?? '' };
  if (!credentials.clientId || !credentials.clientSecret) {
    throw new OAuthError('invalid_client', 'client authentication failed: send client_id and client_secret');
  }

  const scopeParam = params.get('scope');
  const scope = scopeParam === undefined ? undefined : scopeParam.split(' ').filter((s) => s.length > 0);
  return { grantType, ...credentials, scope: scope && scope.length > 0 ? scope : undefined };
}
