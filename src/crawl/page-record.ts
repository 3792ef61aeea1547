// Between extract and store: turns one fetched and parsed URL into what is stored (its row, the issues
// the crawl itself sees), what the frontier follows (redirect target, links), and the page's facts as
// the audit reads them. Pure: values in, values out.
import type { FetchResult } from '../fetch/http-fetcher.ts';
import type { HtmlFacts } from './extract.ts';
import type { Via } from './frontier.ts';
import type { ParseOutput } from './parse-page.ts';
import { combine, metaRobotsDirectives, xRobotsDirectives } from './robots-meta.ts';
import { SITEMAP_DEPTH, type IssueRow, type LinkRow, type PageRow, type QueuedUrl } from './store.ts';
import { LinkNormalizer, normalizeUrl } from './url.ts';

/** Everything known about one fetched HTML page (2xx): what the audit's page rules look at. */
export interface CrawledPage {
  url: string;
  status: number;
  contentType: string | null;
  bytes: number;
  truncated: string | null;
  ttfbMs: number;
  decodeProblems: string[];
  xRobotsTag: string | null;
  noindex: boolean;
  html: HtmlFacts;
  /** Resolved against the page (and <base>), null where missing or unparseable. */
  canonicalResolved: string | null;
  /** Links as crawled: absolute URLs (null when unparseable). */
  resolvedLinks: { url: string | null; raw: string; kind: string; hasAlt?: boolean }[];
}

/** A URL the page points to, with how it was met and the link row to save. */
export interface Outlink {
  url: string;
  via: Exclude<Via, 'redirect'>;
  depth: number;
  link: Omit<LinkRow, 'fromId' | 'toId'>;
}

export interface PageRecord {
  row: PageRow;
  /** Where the URL redirects (HTTP Location or meta refresh), normalised; null when it does not. */
  redirect: string | null;
  outlinks: Outlink[];
  /** For the audit: set for 2xx HTML pages only. */
  page: CrawledPage | null;
  /** What the crawl itself found wrong: undecodable text, bodies cut short. */
  issues: Omit<IssueRow, 'urlId'>[];
}

export interface RecordSettings {
  maxUrlLength: number;
  maxBytes: number;
  maxDecodedBytes: number;
}

/** One fetch's outcome: an answer, or the error that stopped it; `parsed` for HTML pages. */
export interface Fetched {
  res: FetchResult | null;
  err: Error | null;
  parsed: ParseOutput | null;
  /** The body's length when its bytes were handed to the parser thread (src/crawl/parse-pool.ts). */
  bodyBytes?: number;
}

export function recordPage(
  q: QueuedUrl,
  { res, err, parsed, bodyBytes: handedOver }: Fetched,
  s: RecordSettings,
  fetchedAt: string,
  /** The crawl's memo of link answers (see LinkNormalizer); one for this page alone when not given. */
  links: LinkNormalizer = new LinkNormalizer(s.maxUrlLength),
): PageRecord {
  const facts = parsed?.facts ?? null;
  const bodyBytes = handedOver ?? res?.body.byteLength ?? 0;
  const problems = parsed?.problems ?? [];
  const row: PageRow = {
    id: q.id,
    status: res?.status ?? null,
    error: err ? err.message : null,
    location: null,
    redirectType: null,
    contentType: res?.headers['content-type'] ?? null,
    charset: parsed?.charset ?? null,
    bytes: res ? Number(res.headers['content-length'] ?? bodyBytes) || bodyBytes : null,
    truncated: res?.truncated ?? null,
    ttfbMs: res?.timings.ttfbMs ?? null,
    totalMs: res?.timings.totalMs ?? null,
    title: null,
    titleCount: null,
    metaDescription: null,
    metaDescriptionCount: null,
    h1: null,
    canonical: null,
    canonicalRaw: null,
    canonicalCount: null,
    metaRobots: null,
    xRobotsTag: res?.headers['x-robots-tag'] ?? null,
    noindex: null,
    nofollow: null,
    hreflang: null,
    lang: null,
    viewport: null,
    wordCount: null,
    contentHash: null,
    simhash: null,
    fetchedAt,
  };
  const out: PageRecord = {
    row,
    redirect: null,
    outlinks: [],
    page: null,
    issues: crawlIssues(res, parsed, s),
  };
  if (res && q.kind !== 'external') {
    // Redirects are recorded as hops between URL rows, so chains and loops are visible to the SQL rules.
    let target: string | null = null;
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      target = res.headers.location;
      row.redirectType = 'http';
    } else if (facts?.metaRefresh?.url) {
      target = facts.metaRefresh.url;
      row.redirectType = 'meta-refresh';
    }
    if (target !== null) {
      const n = normalizeUrl(target, q.url, s.maxUrlLength);
      if (n.ok) row.location = out.redirect = n.url;
      else row.error = `redirect to an unusable URL: ${n.reason}`;
    }
  }
  if (!facts || !res) return out;

  const baseHref = facts.baseHref ? normalizeUrl(facts.baseHref, q.url) : null;
  const linkBase = baseHref?.ok ? baseHref.url : q.url;
  const canonical = facts.canonicals[0] !== undefined ? normalizeUrl(facts.canonicals[0], linkBase) : null;
  const directives = combine(
    metaRobotsDirectives(facts.metaRobots, 'googlebot'),
    xRobotsDirectives(res.headers['x-robots-tag'], 'googlebot'),
  );
  const resolvedLinks: CrawledPage['resolvedLinks'] = [];
  const childDepth = q.depth >= SITEMAP_DEPTH ? SITEMAP_DEPTH : q.depth + 1;
  for (const l of facts.links) {
    const n = links.normalize(l.href, linkBase);
    resolvedLinks.push({ url: n.ok ? n.url : null, raw: l.href, kind: l.kind, hasAlt: l.hasAlt });
    if (!n.ok) continue; // mailto:, tel:, javascript: and broken hrefs are not URLs to crawl
    out.outlinks.push({
      url: n.url,
      via: l.kind === 'a' ? 'a' : 'resource',
      depth: l.kind === 'a' ? childDepth : q.depth,
      link: {
        kind: l.kind,
        anchor: l.text || null,
        rel: l.rel || null,
        hasAlt: l.hasAlt === undefined ? null : l.hasAlt ? 1 : 0,
      },
    });
  }
  if (canonical?.ok)
    out.outlinks.push({
      url: canonical.url,
      via: 'canonical',
      depth: childDepth,
      link: { kind: 'canonical', anchor: null, rel: null, hasAlt: null },
    });
  for (const h of facts.hreflang) {
    const n = links.normalize(h.href, linkBase);
    if (!n.ok) continue;
    out.outlinks.push({
      url: n.url,
      via: 'hreflang',
      depth: childDepth,
      link: { kind: 'hreflang', anchor: h.lang, rel: null, hasAlt: null },
    });
  }
  Object.assign(row, {
    title: facts.title,
    titleCount: facts.titleCount,
    metaDescription: facts.metaDescription,
    metaDescriptionCount: facts.metaDescriptionCount,
    h1: JSON.stringify(facts.h1),
    canonical: canonical?.ok ? canonical.url : null,
    canonicalRaw: facts.canonicals[0] ?? null,
    canonicalCount: facts.canonicals.length,
    metaRobots:
      Object.entries(facts.metaRobots)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') || null,
    noindex: directives.noindex ? 1 : 0,
    nofollow: directives.nofollow ? 1 : 0,
    hreflang: facts.hreflang.length ? JSON.stringify(facts.hreflang) : null,
    lang: facts.lang,
    viewport: facts.viewport,
    wordCount: facts.wordCount,
    contentHash: facts.contentHash,
    simhash: facts.simhash,
  } satisfies Partial<PageRow>);
  if (res.status >= 200 && res.status < 300)
    out.page = {
      url: q.url,
      status: res.status,
      contentType: row.contentType,
      bytes: bodyBytes,
      truncated: res.truncated,
      ttfbMs: res.timings.ttfbMs,
      decodeProblems: problems,
      xRobotsTag: row.xRobotsTag,
      noindex: directives.noindex,
      html: facts,
      canonicalResolved: canonical?.ok ? canonical.url : null,
      resolvedLinks,
    };
  return out;
}

/** Issues the crawl sees while reading: text it could not decode, bodies cut short. */
function crawlIssues(
  res: FetchResult | null,
  parsed: ParseOutput | null,
  s: RecordSettings,
): Omit<IssueRow, 'urlId'>[] {
  const issues: Omit<IssueRow, 'urlId'>[] = (parsed?.problems ?? []).map((p) => ({
    rule: 'charset-problem',
    severity: 'warning',
    details: p,
  }));
  if (parsed?.facts?.tagsCut)
    issues.push({
      rule: 'body-truncated',
      severity: 'warning',
      details: 'more than 30,000 tags: only the part before them was read',
    });
  if (res?.truncated)
    issues.push({
      rule: 'body-truncated',
      severity: 'warning',
      details: `body cut at ${res.truncated === 'max-bytes' ? s.maxBytes : s.maxDecodedBytes} bytes (${res.truncated})`,
    });
  return issues;
}
