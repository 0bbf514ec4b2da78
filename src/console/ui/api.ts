/** An RFC 9457 problem the API answered with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { pointer: string; detail: string }[] },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** The problem in words, with each violation on its own line. */
  describe(): string {
    const violations = (this.problem.errors ?? []).map((e) => `${e.pointer}: ${e.detail}`);
    return [this.message, ...violations].join('\n');
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

/** Remembers the session's CSRF token (sent with every change) and what to do when the session ends. */
export function useSession(token: string, signedOut: () => void): void {
  csrfToken = token;
  onSignedOut = signedOut;
}

/** Calls the hub's API with the session cookie; changes carry the CSRF token. */
export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, credentials: 'same-origin', ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  if (response.status === 401 && path.startsWith('/v1/')) onSignedOut();
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, (body ?? {}) as ApiError['problem']);
  return body as T;
}

/** Like api(), but undefined when the hub has no such route (an optional part not configured). */
export async function optionalApi<T>(path: string): Promise<T | undefined> {
  try {
    return await api<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
