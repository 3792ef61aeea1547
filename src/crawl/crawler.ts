// The site crawler: seeds from the start URL and sitemaps, obeys robots.txt and politeness limits, fetches
// pages and resources, extracts facts, runs the audit's page rules, and keeps its frontier in SQLite.
import { sleep } from '../util/sleep.ts';
import type { BrowserPool } from '../browser/launcher.ts';
import type { Db } from '../db/open.ts';
import {
  createAgents,
  fetchPage,
  FetchError,
  type FetchOptions,
  type FetchResult,
} from '../fetch/http-fetcher.ts';
import type { Logger } from '../util/log.ts';
import type { Progress } from '../util/progress.ts';
import { defaultParserThreads, ParsePool } from './parse-pool.ts';
import { extractHtml, type HtmlFacts } from './extract.ts';
import { recordCrawlLiveness } from './liveness.ts';
import { Limiters } from './rate-limit.ts';
import { Robots } from './robots.ts';
import { combine, metaRobotsDirectives, xRobotsDirectives } from './robots-meta.ts';
import { Scope, type ScopeSettings } from './scope.ts';
import { discoverSitemaps } from './sitemaps.ts';
import {
  CAPPED_REASON,
  CrawlStore,
  SITEMAP_DEPTH,
  STOPPED_REASON,
  type QueuedUrl,
  type UrlKind,
} from './store.ts';
import { normalizeUrl, pathWithQuery } from './url.ts';
import { finishCrawl, type CrawlSummary } from '../audit/finish.ts';
import { MAX_REDIRECT_HOPS } from '../audit/redirect-chains.ts';
import { FAMILIES } from '../audit/rules/index.ts';
import { DEFAULT_THRESHOLDS } from '../audit/thresholds.ts';
import type { PageFacts, RuleFamily, Thresholds } from '../audit/types.ts';

export interface CrawlSettings extends ScopeSettings {
  maxPages: number;
  /** Product token matched against robots.txt groups. */
  robotsToken: string;
  userAgent: string;
  concurrency: number;
  requestsPerSecond: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  maxDecodedBytes: number;
  maxUrlLength: number;
  retries: number;
  maxRetryWaitMs: number;
  checkResources: boolean;
  checkExternal: boolean;
  useSitemaps: boolean;
  render: boolean;
  fallbackCharset: string;
  /** Worker threads parsing pages (0: parse on the crawler's thread). */
  parserThreads: number;
  thresholds: Thresholds;
}

export const DEFAULT_CRAWL_SETTINGS: CrawlSettings = {
  maxPages: 10_000,
  maxDepth: 20,
  include: [],
  exclude: [],
  maxQueryVariantsPerPath: 50,
  maxRepeatedSegment: 3,
  robotsToken: 'promowatch',
  userAgent: 'Mozilla/5.0 (compatible; promowatch/0.1; site audit)',
  concurrency: 4,
  requestsPerSecond: 10,
  timeoutMs: 20_000,
  connectTimeoutMs: 5_000,
  maxBytes: 5 * 1024 * 1024,
  maxDecodedBytes: 20 * 1024 * 1024,
  maxUrlLength: 2048,
  retries: 2,
  maxRetryWaitMs: 30_000,
  checkResources: true,
  checkExternal: false,
  useSitemaps: true,
  render: false,
  fallbackCharset: 'utf-8',
  parserThreads: defaultParserThreads(),
  thresholds: DEFAULT_THRESHOLDS,
};

export interface CrawlDeps {
  db: Db;
  now: () => Date;
  log: Logger;
  signal?: AbortSignal;
  browser?: BrowserPool;
  progress?: (label: string, total: number) => Progress;
  families?: readonly RuleFamily[];
}

export interface CrawlInput {
  siteId: number | null;
  runId?: number | null;
  startUrl: string;
  settings: CrawlSettings;
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;
const TOO_LONG_REASON = `redirect chain longer than ${MAX_REDIRECT_HOPS} hops`;
const RESOURCE_BYTES = 1024 * 1024;

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in ms; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - now.getTime());
}

export async function crawlSite(deps: CrawlDeps, input: CrawlInput): Promise<CrawlSummary> {
  const s = input.settings;
  const families = deps.families ?? FAMILIES;
  const start = normalizeUrl(input.startUrl, undefined, s.maxUrlLength);
  if (!start.ok) throw new Error(`Start URL ${input.startUrl} is not usable: ${start.reason}`);
  const startUrl = new URL(start.url);
  const db = deps.db;
  const crawlId = Number(
    db
      .prepare(
        `INSERT INTO crawls (site_id, run_id, start_url, started_at, status, settings) VALUES (?, ?, ?, ?, 'running', ?)`,
      )
      .run(input.siteId, input.runId ?? null, start.url, deps.now().toISOString(), JSON.stringify(s))
      .lastInsertRowid,
  );
  const store = new CrawlStore(db, crawlId);
  // A run's liveness covers its crawl; a crawl of its own (`promowatch crawl`) records its own.
  const stopLiveness = input.runId ? null : recordCrawlLiveness(db, crawlId, deps.now);
  const agents = createAgents(Math.max(1, s.concurrency));
  const pool = new ParsePool(s.parserThreads);
  try {
    const limiters = new Limiters({ concurrency: s.concurrency, requestsPerSecond: s.requestsPerSecond });
    const scope = new Scope(startUrl, s);
    const t0 = performance.now();
    const fetchOpts = (kind: UrlKind): FetchOptions => ({
      maxRedirects: 0,
      timeoutMs: s.timeoutMs,
      connectTimeoutMs: s.connectTimeoutMs,
      maxBytes: kind === 'page' ? s.maxBytes : RESOURCE_BYTES,
      maxDecodedBytes: kind === 'page' ? s.maxDecodedBytes : RESOURCE_BYTES,
      userAgent: s.userAgent,
      agents,
      signal: deps.signal,
    });

    const fetchWithRetry = async (url: string, kind: UrlKind): Promise<FetchResult> => {
      for (let attempt = 0; ; attempt++) {
        // A stopping crawl leaves the host's queue at once, failing as fetchPage would on the aborted signal.
        const release = await limiters
          .for(new URL(url).host)
          .acquire(deps.signal)
          .catch((reason: Error | undefined) => {
            throw new FetchError(url, 'aborted', reason?.message ?? 'aborted');
          });
        let res: FetchResult;
        try {
          res = await fetchPage(url, fetchOpts(kind));
        } catch (err) {
          release();
          const retryable =
            err instanceof FetchError && ['timeout', 'connect-timeout', 'network'].includes(err.code);
          if (!retryable || attempt >= s.retries || deps.signal?.aborted) throw err;
          await sleep(500 * 2 ** attempt, deps.signal);
          continue;
        }
        release();
        if ((res.status === 429 || res.status >= 500) && attempt < s.retries && !deps.signal?.aborted) {
          const wait = retryAfterMs(res.headers['retry-after'], deps.now()) ?? 500 * 2 ** attempt;
          if (wait > s.maxRetryWaitMs) return res; // asked to come back much later: record the answer as it is
          await sleep(wait, deps.signal);
          continue;
        }
        return res;
      }
    };

    // robots.txt: one read per crawl (RFC 9309 §2.4 allows caching); follows up to five redirects (§2.3.1.2).
    let robots: Robots;
    try {
      const r = await fetchPage(new URL('/robots.txt', startUrl).href, {
        ...fetchOpts('page'),
        maxRedirects: 5,
        maxBytes: 512 * 1024,
      });
      robots = Robots.fromFetch(r.status, Buffer.from(r.body).toString('utf8'));
    } catch {
      robots = Robots.fromFetch(null, '');
    }
    db.prepare(`UPDATE crawls SET robots = ? WHERE id = ?`).run(robots.reason, crawlId);
    const delay = robots.crawlDelay(s.robotsToken);
    if (delay !== undefined) limiters.for(startUrl.host).applyCrawlDelay(delay);

    const robotsBlocks = (url: string) => !robots.isAllowed(pathWithQuery(url), s.robotsToken);
    /** Adds a same-site or external URL met on a page; returns its id (null when it is not kept at all). */
    const discover = (
      url: string,
      kind: 'a' | 'resource' | 'redirect' | 'canonical' | 'hreflang',
      depth: number,
    ): number => {
      if (!scope.isSameSite(url))
        return store.discover(
          url,
          'external',
          depth,
          s.checkExternal ? 'queued' : 'skipped',
          s.checkExternal ? null : 'external links are not checked (crawl.checkExternal)',
        );
      if (kind === 'resource') {
        if (robotsBlocks(url))
          return store.discover(url, 'resource', depth, 'blocked', 'blocked by robots.txt');
        return store.discover(
          url,
          'resource',
          depth,
          s.checkResources ? 'queued' : 'skipped',
          s.checkResources ? null : 'resources are not checked',
        );
      }
      if (robotsBlocks(url)) return store.discover(url, 'page', depth, 'blocked', 'blocked by robots.txt');
      // Sitemap-only URLs have no click depth yet; the depth limit applies to links.
      const reason = scope.skipReason(url, depth >= SITEMAP_DEPTH ? 0 : depth);
      return store.discover(url, 'page', depth, reason ? 'skipped' : 'queued', reason);
    };

    db.transaction(() => discover(start.url, 'a', 0))();
    if (s.useSitemaps) {
      const found = await discoverSitemaps(
        startUrl,
        robots.sitemaps,
        (url) => fetchPage(url, { ...fetchOpts('page'), maxRedirects: 5 }),
        s.maxPages * 2,
      );
      db.transaction(() => {
        for (const url of found.urls) {
          const n = normalizeUrl(url, undefined, s.maxUrlLength);
          if (!n.ok || !scope.isSameSite(n.url)) continue;
          store.markInSitemap(discover(n.url, 'a', SITEMAP_DEPTH));
        }
      })();
      for (const problem of found.problems) deps.log.warn(`sitemap: ${problem}`);
    }

    let pages = 0;
    // The progress total is what the crawl knows of so far (capped by maxPages), refreshed now and then.
    let lastTotalAt = 0;
    const countKnown = db
      .prepare(
        `SELECT COUNT(*) FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' AND state IN ('queued', 'fetching', 'done')`,
      )
      .pluck();
    const updateTotal = () => {
      if (!progress?.setTotal || performance.now() - lastTotalAt < 1000) return;
      lastTotalAt = performance.now();
      progress.setTotal(Math.min(s.maxPages, countKnown.get(crawlId) as number));
    };
    const progress = deps.progress?.('pages', s.maxPages);
    updateTotal();
    const buffer: QueuedUrl[] = [];
    let active = 0;
    /** Redirect hops from where its chain started, for URLs reached by a redirect and not yet fetched. */
    const chainHops = new Map<number, number>();

    const processPage = (
      q: QueuedUrl,
      res: FetchResult | null,
      err: Error | null,
      facts: HtmlFacts | null,
      decodeProblems: string[],
      charset: string | null,
    ) => {
      const fetchedAt = deps.now().toISOString();
      const hopsHere = chainHops.get(q.id) ?? 0;
      chainHops.delete(q.id);
      const base = {
        id: q.id,
        status: res?.status ?? null,
        error: err ? err.message : null,
        location: null as string | null,
        redirectType: null as string | null,
        contentType: res?.headers['content-type'] ?? null,
        charset,
        bytes: res
          ? Number(res.headers['content-length'] ?? res.body.byteLength) || res.body.byteLength
          : null,
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
        noindex: null as number | null,
        nofollow: null as number | null,
        hreflang: null,
        lang: null,
        viewport: null,
        wordCount: null,
        contentHash: null,
        simhash: null,
        fetchedAt,
      };
      if (res && q.kind !== 'external') {
        // Redirects are recorded as hops between URL rows, so chains and loops are visible to the SQL rules.
        let target: string | null = null;
        if (res.status >= 300 && res.status < 400 && res.headers.location) {
          target = res.headers.location;
          base.redirectType = 'http';
        } else if (facts?.metaRefresh?.url) {
          target = facts.metaRefresh.url;
          base.redirectType = 'meta-refresh';
        }
        if (target !== null) {
          const n = normalizeUrl(target, q.url, s.maxUrlLength);
          if (n.ok) {
            base.location = n.url;
            let toId: number;
            const hops = hopsHere + 1;
            if (hops > MAX_REDIRECT_HOPS) {
              // Past the cap the chain is not followed: an endless one (/r/0 → /r/1 → …) ends here.
              const kind = q.kind === 'resource' ? 'resource' : scope.isSameSite(n.url) ? 'page' : 'external';
              toId = store.discover(n.url, kind, q.depth, 'skipped', TOO_LONG_REASON);
            } else {
              toId = discover(n.url, q.kind === 'resource' ? 'resource' : 'redirect', q.depth);
              if (!chainHops.has(toId)) chainHops.set(toId, hops);
            }
            store.saveLink({ fromId: q.id, toId, kind: 'redirect', anchor: null, rel: null, hasAlt: null });
          } else base.error = `redirect to an unusable URL: ${n.reason}`;
        }
      }
      if (!facts || !res) {
        store.savePage(base);
        return;
      }
      const baseHref = facts.baseHref ? normalizeUrl(facts.baseHref, q.url) : null;
      const linkBase = baseHref?.ok ? baseHref.url : q.url;
      const canonical =
        facts.canonicals[0] !== undefined ? normalizeUrl(facts.canonicals[0], linkBase) : null;
      const directives = combine(
        metaRobotsDirectives(facts.metaRobots, 'googlebot'),
        xRobotsDirectives(res.headers['x-robots-tag'], 'googlebot'),
      );
      const resolvedLinks: PageFacts['resolvedLinks'] = [];
      const childDepth = q.depth >= SITEMAP_DEPTH ? SITEMAP_DEPTH : q.depth + 1;
      for (const l of facts.links) {
        const n = normalizeUrl(l.href, linkBase, s.maxUrlLength);
        resolvedLinks.push({ url: n.ok ? n.url : null, raw: l.href, kind: l.kind, hasAlt: l.hasAlt });
        if (!n.ok) continue; // mailto:, tel:, javascript: and broken hrefs are not URLs to crawl
        const toId = discover(
          n.url,
          l.kind === 'a' ? 'a' : 'resource',
          l.kind === 'a' ? childDepth : q.depth,
        );
        store.saveLink({
          fromId: q.id,
          toId,
          kind: l.kind,
          anchor: l.text || null,
          rel: l.rel || null,
          hasAlt: l.hasAlt === undefined ? null : l.hasAlt ? 1 : 0,
        });
      }
      if (canonical?.ok) {
        const toId = discover(canonical.url, 'canonical', childDepth);
        store.saveLink({ fromId: q.id, toId, kind: 'canonical', anchor: null, rel: null, hasAlt: null });
      }
      for (const h of facts.hreflang) {
        const n = normalizeUrl(h.href, linkBase, s.maxUrlLength);
        if (!n.ok) continue;
        const toId = discover(n.url, 'hreflang', childDepth);
        store.saveLink({ fromId: q.id, toId, kind: 'hreflang', anchor: h.lang, rel: null, hasAlt: null });
      }
      const row = {
        ...base,
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
      };
      store.savePage(row);
      if (res.status >= 200 && res.status < 300) {
        const pf: PageFacts = {
          url: q.url,
          status: res.status,
          contentType: base.contentType,
          bytes: res.body.byteLength,
          truncated: res.truncated,
          ttfbMs: res.timings.ttfbMs,
          decodeProblems,
          xRobotsTag: base.xRobotsTag,
          noindex: directives.noindex,
          html: facts,
          canonicalResolved: canonical?.ok ? canonical.url : null,
          resolvedLinks,
        };
        for (const fam of families)
          for (const issue of fam.page?.(pf, s.thresholds) ?? []) {
            const info = fam.rules.find((r) => r.id === issue.rule)!;
            store.saveIssue({
              urlId: q.id,
              rule: issue.rule,
              severity: info.severity,
              details: issue.details ?? null,
            });
          }
      }
    };

    // Results are written in batches: everything that finished since the last write goes into one
    // transaction. A worker waits for its result to be written, so its links are queued before it looks
    // for more work.
    let batch: (() => void)[] = [];
    let written: Promise<void> | null = null;
    const record = (write: () => void): Promise<void> => {
      batch.push(write);
      written ??= new Promise((resolve, reject) =>
        setImmediate(() => {
          const writes = batch;
          batch = [];
          written = null;
          try {
            db.transaction(() => {
              for (const w of writes) w();
              store.flush();
            })();
            resolve();
          } catch (err) {
            reject(err);
          }
        }),
      );
      return written;
    };

    const handle = async (q: QueuedUrl) => {
      let res: FetchResult | null = null;
      let err: Error | null = null;
      let facts: HtmlFacts | null = null;
      let problems: string[] = [];
      let charset: string | null = null;
      try {
        res = await fetchWithRetry(q.url, q.kind);
        const type = res.headers['content-type'] ?? '';
        if (
          q.kind === 'page' &&
          res.status >= 200 &&
          res.status < 300 &&
          (HTML_TYPES.test(type) || (!type && res.body[0] === 0x3c))
        ) {
          const parsed = await pool.parse({
            body: res.body,
            contentType: type,
            fallbackCharset: s.fallbackCharset,
          });
          problems = parsed.problems;
          charset = parsed.charset;
          facts = parsed.facts;
          if (facts && s.render && deps.browser) {
            const rendered = await renderedHtml(deps.browser, q.url, s.timeoutMs).catch((e: Error) => {
              problems.push(`rendering failed: ${e.message}`);
              return null;
            });
            if (rendered !== null) facts = extractHtml(rendered);
          }
        }
      } catch (e) {
        err = e as Error;
      }
      await record(() => {
        processPage(q, res, err, facts, problems, charset);
        for (const p of problems)
          store.saveIssue({ urlId: q.id, rule: 'charset-problem', severity: 'warning', details: p });
        if (facts?.tagsCut)
          store.saveIssue({
            urlId: q.id,
            rule: 'body-truncated',
            severity: 'warning',
            details: 'more than 30,000 tags: only the part before them was read',
          });
        if (res?.truncated)
          store.saveIssue({
            urlId: q.id,
            rule: 'body-truncated',
            severity: 'warning',
            details: `body cut at ${res.truncated === 'max-bytes' ? s.maxBytes : s.maxDecodedBytes} bytes (${res.truncated})`,
          });
      });
      if (q.kind === 'page') progress?.tick();
    };

    // Workers pull from a small in-memory buffer refilled from SQLite; the frontier itself lives on disk.
    const next = (): QueuedUrl | undefined => {
      if (buffer.length === 0) {
        const room = s.maxPages - pages;
        const batch = Math.max(s.concurrency * 4, 32);
        buffer.push(...db.transaction(() => store.claim(batch, room > 0))());
        if (buffer.length === 0 && active === 0)
          buffer.push(...db.transaction(() => store.claim(batch, room > 0, true))());
      }
      while (buffer.length) {
        const q = buffer.shift()!;
        if (q.kind === 'page') {
          if (pages >= s.maxPages) {
            db.prepare(`UPDATE crawl_urls SET state = 'queued' WHERE id = ?`).run(q.id);
            continue;
          }
          pages++;
        }
        return q;
      }
      return undefined;
    };
    const worker = async () => {
      for (;;) {
        if (deps.signal?.aborted) return;
        const q = next();
        if (!q) {
          if (active === 0) return;
          await sleep(5, deps.signal); // others may still discover URLs
          continue;
        }
        active++;
        try {
          await handle(q);
        } finally {
          active--;
        }
      }
    };
    const workers = Math.max(1, s.concurrency) + (s.checkExternal ? 2 : 0);
    await Promise.all(Array.from({ length: workers }, worker));
    progress?.done();
    const interrupted = deps.signal?.aborted ?? false;
    const left = store.skipRemaining(interrupted ? STOPPED_REASON : `${CAPPED_REASON} (${s.maxPages})`);
    return finishCrawl(db, crawlId, families, s.thresholds, {
      status: interrupted ? 'interrupted' : 'ok',
      seconds: (performance.now() - t0) / 1000,
      leftUnvisited: left.urls,
      pagesUnvisited: left.pages,
      now: deps.now(),
    });
  } finally {
    // Worker threads and keep-alive sockets end with the crawl, however it ends.
    stopLiveness?.();
    await pool.close();
    agents.http.destroy();
    agents.https.destroy();
  }
}

async function renderedHtml(browser: BrowserPool, url: string, timeoutMs: number): Promise<string> {
  return browser.withContext(async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    return page.content();
  });
}

/** Full settings from the config's partial ones (site.crawl), defaults filling the gaps. */
export function crawlSettingsFrom(
  partial: Partial<Omit<CrawlSettings, 'thresholds'>> & { thresholds?: Partial<Thresholds> } = {},
): CrawlSettings {
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { thresholds, ...rest } = partial;
  return {
    ...DEFAULT_CRAWL_SETTINGS,
    ...defined(rest),
    thresholds: { ...DEFAULT_THRESHOLDS, ...defined(thresholds ?? {}) },
  };
}
