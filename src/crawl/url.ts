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

/**
 * normalizeUrl() for a crawl's links, remembering answers that do not depend on the page they are on:
 * absolute http(s) hrefs, and root-relative ones ("/about") per scheme-and-authority of the base. A site's
 * navigation, footer and article links repeat on every page, and each normalizeUrl() is a WHATWG parse
 * (~2.5 µs); the crawler's thread did ~22 of them a page. Other relative hrefs ("../a", "?p=2") depend on
 * the whole base and are normalised each time. The answer is normalizeUrl()'s own, kept as it was
 * (tests/crawl/url.test.ts compares the two on hostile hrefs).
 */
export class LinkNormalizer {
  /** Absolute hrefs, and root-relative ones per scheme-and-authority ("http://host:8080"). */
  #absolute = new Map<string, Normalized>();
  #rooted = new Map<string, Map<string, Normalized>>();
  #entries = 0;
  /** The last base and its root-relative memo: a page's links all share one base. */
  #lastBase: string | null = null;
  #lastRooted: Map<string, Normalized> | null = null;
  /** Entries before the memo starts over: ~3 MB at most, and a site's repeated links soon come back. */
  static readonly MAX_ENTRIES = 20_000;

  constructor(readonly maxLength = 2048) {}

  normalize(raw: string, base: string): Normalized {
    // Full: start over (before choosing a memo, so the one chosen is a live one).
    if (this.#entries >= LinkNormalizer.MAX_ENTRIES) {
      this.#absolute.clear();
      this.#rooted.clear();
      this.#lastBase = this.#lastRooted = null;
      this.#entries = 0;
    }
    let memo: Map<string, Normalized> | null;
    if (raw.startsWith('http://') || raw.startsWith('https://')) memo = this.#absolute;
    else if (isRootRelative(raw)) memo = this.#rootedFor(base);
    else memo = null;
    if (memo === null) return normalizeUrl(raw, base, this.maxLength);
    const known = memo.get(raw);
    if (known !== undefined) return known;
    const n = normalizeUrl(raw, base, this.maxLength);
    memo.set(raw, n);
    this.#entries++;
    return n;
  }

  /**
   * The root-relative memo of `base`'s scheme, user info, host and port — all a root-relative href keeps
   * of its base (WHATWG URL); null for a base without an authority.
   */
  #rootedFor(base: string): Map<string, Normalized> | null {
    if (base === this.#lastBase) return this.#lastRooted;
    const authorityStart = base.indexOf('//');
    const pathStart = authorityStart < 0 ? -1 : base.indexOf('/', authorityStart + 2);
    let memo: Map<string, Normalized> | null = null;
    if (pathStart >= 0) {
      const prefix = base.slice(0, pathStart);
      memo = this.#rooted.get(prefix) ?? null;
      if (memo === null) this.#rooted.set(prefix, (memo = new Map()));
    }
    this.#lastBase = base;
    this.#lastRooted = memo;
    return memo;
  }
}

/**
 * A root-relative href ("/about"), whose answer depends on its base's scheme and authority only — but not
 * when its second character makes it scheme-relative: "//" and "/\" (a backslash is a slash in http(s)
 * URLs), or a tab or newline the parser drops first. Leading whitespace (stripped by the parser) fails the
 * test, so such hrefs take the plain path. An absolute http(s) href ignores its base altogether.
 */
function isRootRelative(raw: string): boolean {
  if (raw.charCodeAt(0) !== 0x2f) return false;
  const second = raw.charCodeAt(1);
  return second !== 0x2f && second !== 0x5c && second !== 0x09 && second !== 0x0a && second !== 0x0d;
}
