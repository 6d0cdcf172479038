/**
 * The only addresses the catalogue keeps and hands out for a web page or an e-service: absolute http
 * or https URLs. Anything else (javascript:, data:, file:, a relative path) would run script or open
 * a local resource under the trust a person gives the network's own pages and redirects.
 */
export function webUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // Credentials in a link are a phishing device (https://bank.fi@evil.example/), never a service's page.
  if (url.username || url.password) return undefined;
  // The parsed form: the WHATWG parser has dropped tabs and newlines a raw Location header would carry.
  return url.href;
}

export const isWebUrl = (value: unknown): value is string => webUrl(value) !== undefined;

/**
 * A channel's web pages with only http(s) addresses left, as stored (rows written before imports
 * checked them may hold anything): what the catalogue API and the HSDS export hand out.
 */
export function webPagesOnly<T>(pages: unknown): T[] {
  if (!Array.isArray(pages)) return [];
  return pages.filter((p): p is T => typeof p === 'object' && p !== null && isWebUrl((p as { url?: unknown }).url));
}
