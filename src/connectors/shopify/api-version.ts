/**
 * When Shopify stops supporting an Admin API version (epoch ms): each stable version `YYYY-MM` is
 * released on the 1st of its month and supported for at least 12 months, so `2026-04` ends on
 * 2027-04-01. Null for `unstable` and anything that is not a stable version name.
 */
export function shopifyApiEndOfLife(version: string): number | null {
  const match = /^(\d{4})-(01|04|07|10)$/.exec(version);
  if (!match) return null;
  return Date.UTC(Number(match[1]) + 1, Number(match[2]) - 1, 1);
}
