/** Every scope a key or client can be granted: per resource and action, plus `admin`. */
export const grantableScopes = [
  'orders:read',
  'orders:write',
  'orders:*',
  'catalog:read',
  'catalog:write',
  'catalog:*',
  'inventory:read',
  'inventory:write',
  'inventory:*',
  'finance:read',
  'finance:write',
  'finance:*',
  'events:manage',
  'admin',
] as const;

/** A scope that can be granted. */
export type GrantableScope = (typeof grantableScopes)[number];

/** A scope a route can require (wildcards are for granting only). */
export type RequiredScope = Exclude<GrantableScope, `${string}:*`>;

/**
 * Whether granted scopes cover a required one: the exact scope, its resource wildcard
 * (`catalog:*` covers `catalog:write`), `admin` (covers everything) or the bootstrap key's `*`.
 */
export function hasScope(granted: readonly string[], required: string): boolean {
  if (granted.includes('*') || granted.includes('admin') || granted.includes(required)) return true;
  const resource = required.split(':')[0];
  return granted.includes(`${resource}:*`);
}
