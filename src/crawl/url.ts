// URL normalisation for crawling: merges only what every search engine treats as the same URL.
// Follows the WHATWG URL parser (https://url.spec.whatwg.org/) plus RFC 3986 §6.2.2 normalisation.

export type Normalized = { ok: true; url: string } | { ok: false; reason: string };

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** %7e → ~, %2f stays %2F: decode unreserved octets, uppercase the hex of the rest (RFC 3986 §6.2.2.2). */
export function normalizePercentEncoding(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

/**
 * Resolves `raw` against `base` and normalises it: lower-case scheme and host, IDN host to punycode,
 * default port and fragment dropped, dot segments resolved, spaces and non-ASCII percent-encoded,
 * percent-encoding normalised. Path case, trailing slashes and the query are kept as they are.
 */
export function normalizeUrl(raw: string, base?: string, maxLength = 2048): Normalized {
  // HTML strips leading/trailing ASCII whitespace and drops tabs/newlines inside attribute URLs.
  const cleaned = raw.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').replace(/[\t\n\r]/g, '');
  if (cleaned === '') return { ok: false, reason: 'empty URL' };
  let u: URL;
  try {
    u = base === undefined ? new URL(cleaned) : new URL(cleaned, base);
  } catch {
    return { ok: false, reason: `not a valid URL: ${cleaned.slice(0, 200)}` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { ok: false, reason: `not http(s): ${u.protocol}` };
  if (u.hostname === '') return { ok: false, reason: 'URL has no host' };
  u.hash = '';
  const path = normalizePercentEncoding(u.pathname);
  const search = normalizePercentEncoding(u.search);
  const port = u.port ? `:${u.port}` : '';
  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  // An empty "?" is kept: http://x/a? and http://x/a are different URLs to a server.
  const query = search === '' && u.href.endsWith('?') ? '?' : search;
  const url = `${u.protocol}//${auth}${u.hostname}${port}${path}${query}`;
  if (url.length > maxLength) return { ok: false, reason: `URL longer than ${maxLength} characters` };
  return { ok: true, url };
}

/** host[:port] of a normalised URL, the unit of "same site" and of politeness limits. */
export function hostKey(url: string): string {
  const u = new URL(url);
  return u.host;
}

export function sameSite(url: string, siteUrl: string): boolean {
  const a = new URL(url);
  const b = new URL(siteUrl);
  return a.host === b.host && a.protocol === b.protocol;
}

/** Path plus query, the part robots.txt rules match against. */
export function pathWithQuery(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
