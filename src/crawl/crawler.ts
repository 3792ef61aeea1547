// The site crawler as a pipeline: frontier (what to crawl, in which order) → fetch (plain HTTP or a
// browser, politely) → extract (parse to facts, in worker threads) → store (batched SQLite writes). It
// hands each page's facts to a consumer (the audit, src/audit/site-audit.ts) and knows nothing of it.
import type { BrowserPool } from '../browser/launcher.ts';
import { browserFetcher } from '../browser/browser-fetcher.ts';
import type { Db } from '../db/open.ts';
import type { Sql } from '../db/store/types.ts';
import {
  createAgents,
  fetchPage,
  httpFetcher,
  isHtmlDocument,
  type FetchOptions,
  type FetchResult,
} from '../fetch/http-fetcher.ts';
import type { Logger } from '../util/log.ts';
import type { Progress } from '../util/progress.ts';
import { sleep } from '../util/sleep.ts';
import { hostKey, withSlot } from '../limits/host-slots.ts';
import { recordPage, type CrawledPage, type Fetched } from './page-record.ts';
import { defaultParserThreads, ParsePool } from './parse-pool.ts';
import { recordCrawlLiveness } from './liveness.ts';
import { politeFetch } from './polite-fetch.ts';
import { Limiters } from './rate-limit.ts';
import { Robots } from './robots.ts';
import { Scope, type ScopeSettings } from './scope.ts';
import { discoverSitemaps } from './sitemaps.ts';
import {
  CAPPED_REASON,
  createCrawl,
  STOPPED_REASON,
  type IssueRow,
  type QueuedUrl,
  type UrlKind,
} from './store.ts';
import { sqliteBackend, type CrawlBackend } from './backend.ts';
import { createCrawlSql, SqlCrawlBackend } from './sql-backend.ts';
import { LinkNormalizer, normalizeUrl } from './url.ts';

export { retryAfterMs } from './polite-fetch.ts';

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
};

/** An issue a consumer found on a page, stored with the page's row. */
export type PageIssue = Omit<IssueRow, 'urlId'>;

/** How a crawl ended, before any consumer judged it. */
export interface CrawlOutcome {
  crawlId: number;
  status: 'ok' | 'interrupted';
  seconds: number;
  /** URLs found and never fetched (over crawl.maxPages, or the crawl was stopped). */
  leftUnvisited: number;
  /** Pages among leftUnvisited. */
  pagesUnvisited: number;
}

/** What consumes a crawl as it goes: the site audit (src/audit/site-audit.ts). */
export interface CrawlConsumer {
  /** Each fetched 2xx HTML page, in the batch that stores it; the issues returned are stored with it. */
  page?(page: CrawledPage): PageIssue[];
  /**
   * Once the last URL is stored, while the crawl is still 'running' (and a crawl of its own still shows
   * it is alive): closes the crawl's row. Without a consumer the crawl closes it itself.
   */
  end(outcome: CrawlOutcome): void | Promise<void>;
}

export interface CrawlDeps {
  /**
   * The SQLite connection, for the fast in-process path (backend.ts sqliteBackend). Without it, or
   * when `sql` is on PostgreSQL, the crawl runs on `sql` (sql-backend.ts).
   */
  db?: Db;
  sql?: Sql;
  now: () => Date;
  log: Logger;
  signal?: AbortSignal;
  browser?: BrowserPool;
  progress?: (label: string, total: number) => Progress;
  consumer?: CrawlConsumer;
}

export interface CrawlInput {
  siteId: number | null;
  runId?: number | null;
  startUrl: string;
  /** Stored with the crawl as given (the audit's thresholds ride along). */
  settings: CrawlSettings;
}

const RESOURCE_BYTES = 1024 * 1024;

/**
 * Which part of a crawl to run. 'whole' (the default): all of it, in this process. Through the queue a
 * crawl is split: 'seed' opens the crawl's row and queues robots.txt's verdict, the start URL and the
 * sitemaps' URLs, then returns; each batch task then runs { batch } — claims up to `limit` URLs of that
 * crawl (taking back claims older than `leaseMs`, a dead worker's), fetches and stores them and what
 * they link to, and returns without closing the crawl (the job does, once nothing is left to claim).
 */
export type CrawlPart = 'whole' | 'seed' | { batch: { crawlId: number; limit: number; leaseMs: number } };

export async function crawlSite(
  deps: CrawlDeps,
  input: CrawlInput,
  part: CrawlPart = 'whole',
): Promise<CrawlOutcome> {
  const s = input.settings;
  const batch = typeof part === 'object' ? part.batch : null;
  const start = normalizeUrl(input.startUrl, undefined, s.maxUrlLength);
  if (!start.ok) throw new Error(`Start URL ${input.startUrl} is not usable: ${start.reason}`);
  const startUrl = new URL(start.url);
  const db = deps.db && (!deps.sql || deps.sql.dialect === 'sqlite') ? deps.db : null;
  const sql = deps.sql;
  if (!db && !sql) throw new Error('crawlSite needs a database: deps.db or deps.sql');
  const row = {
    siteId: input.siteId,
    runId: input.runId ?? null,
    startUrl: start.url,
    startedAt: deps.now().toISOString(),
    settings: s,
  };
  if (batch && db)
    throw new Error('crawl batches run on the data layer (deps.sql), not on the SQLite fast path');
  const crawlId = batch ? batch.crawlId : db ? createCrawl(db, row) : await createCrawlSql(sql!, row);
  // A run's liveness covers its crawl; a crawl of its own (`promowatch crawl`, on SQLite) records its own.
  const stopLiveness =
    input.runId || !db || part !== 'whole' ? null : recordCrawlLiveness(db, crawlId, deps.now);
  let backend: CrawlBackend | null = null;
  const agents = createAgents(Math.max(1, s.concurrency));
  const pool = new ParsePool(s.parserThreads);
  try {
    const t0 = performance.now();
    const limiters = new Limiters({ concurrency: s.concurrency, requestsPerSecond: s.requestsPerSecond });
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

    // Frontier: robots.txt, then the start URL and the sitemaps' URLs.
    const robots = await readRobots(startUrl, fetchOpts('page'));
    const scope = new Scope(startUrl, s);
    const frontier: CrawlBackend = (backend = db
      ? sqliteBackend(db, crawlId, scope, robots, s)
      : new SqlCrawlBackend(
          sql!,
          crawlId,
          scope,
          robots,
          s,
          deps.now,
          batch ? await SqlCrawlBackend.sharedClaims(sql!, crawlId, batch, deps.now()) : undefined,
        ));
    const delay = robots.crawlDelay(s.robotsToken);
    if (delay !== undefined) limiters.for(startUrl.host).applyCrawlDelay(delay);
    if (!batch) {
      await frontier.setRobots(robots.reason);
      await frontier.seed(start.url);
    }
    if (s.useSitemaps && !batch) {
      const found = await discoverSitemaps(
        startUrl,
        robots.sitemaps,
        (url) => fetchPage(url, { ...fetchOpts('page'), maxRedirects: 5 }),
        s.maxPages * 2,
      );
      const urls = found.urls.map((u) => normalizeUrl(u, undefined, s.maxUrlLength));
      await frontier.seedFromSitemaps(urls.flatMap((n) => (n.ok ? [n.url] : [])));
      for (const problem of found.problems) deps.log.warn(`sitemap: ${problem}`);
    }

    if (part === 'seed')
      return {
        crawlId,
        status: 'ok',
        seconds: (performance.now() - t0) / 1000,
        leftUnvisited: 0,
        pagesUnvisited: 0,
      };
    const progress = deps.progress?.('pages', s.maxPages);
    progress?.setTotal?.(Math.min(s.maxPages, await frontier.knownPages()));

    // Fetch: pages through the browser when rendering, everything else over plain HTTP.
    const pageFetcher = s.render && deps.browser ? browserFetcher(deps.browser, httpFetcher) : httpFetcher;
    // A batch shares the site with other workers' batches: its per-host limit is held in the database
    // (src/limits/host-slots.ts), counted across every process, on top of this process's own limiter.
    const hostSlots =
      batch && sql
        ? {
            sql,
            opts: {
              concurrency: Math.max(1, s.concurrency),
              minGapMs: s.requestsPerSecond > 0 ? Math.floor(1000 / s.requestsPerSecond) : 0,
              leaseMs: (s.timeoutMs + s.connectTimeoutMs) * (s.retries + 1) + s.maxRetryWaitMs,
              pollMs: 20,
            },
          }
        : null;
    const polite = {
      limiters,
      retries: s.retries,
      maxRetryWaitMs: s.maxRetryWaitMs,
      now: deps.now,
      signal: deps.signal,
    };
    const fetchAndExtract = async (q: QueuedUrl): Promise<Fetched> => {
      try {
        const fetcher = q.kind === 'page' ? pageFetcher : httpFetcher;
        const get = () => politeFetch(fetcher, q.url, fetchOpts(q.kind), polite);
        const res: FetchResult = hostSlots
          ? await withSlot(
              hostSlots.sql,
              hostKey(new URL(q.url).host),
              hostSlots.opts,
              { now: deps.now, signal: deps.signal },
              get,
            )
          : await get();
        // Extract: HTML pages are parsed to facts on a worker thread, which takes the body over.
        const bodyBytes = res.body.byteLength;
        const parsed =
          q.kind === 'page' && isHtmlDocument(res)
            ? await pool.parse(
                {
                  body: res.body,
                  contentType: res.headers['content-type'] ?? '',
                  fallbackCharset: s.fallbackCharset,
                  rendered: res.rendered,
                },
                { handOver: true },
              )
            : null;
        return { res, err: null, parsed, bodyBytes };
      } catch (err) {
        return { res: null, err: err as Error, parsed: null };
      }
    };
    // Store: the page's row, what it links to (queued by the frontier), its issues — batched.
    const links = new LinkNormalizer(s.maxUrlLength);
    const save = (q: QueuedUrl, fetched: Fetched) => {
      const rec = recordPage(q, fetched, s, deps.now().toISOString(), links);
      const judged = rec.page && deps.consumer?.page ? deps.consumer.page(rec.page) : [];
      return frontier.save(q, rec, judged.length ? [...judged, ...rec.issues] : rec.issues);
    };

    // A worker does not wait for its page to be written: it fetches the next one while writes gather
    // (store.write). A page counts as in flight until written, so the frontier does not run dry while
    // links are still to be queued.
    let inFlight = 0;
    let writeFailed: unknown = null;
    const worker = async () => {
      for (;;) {
        if (writeFailed) throw writeFailed;
        if (deps.signal?.aborted) return;
        const claimed = frontier.next(inFlight);
        // The SQLite frontier answers at once; only an async one (PostgreSQL) costs an await.
        const q = claimed instanceof Promise ? await claimed : claimed;
        if (!q) {
          if (inFlight === 0) return;
          await sleep(5, deps.signal); // others may still discover URLs
          continue;
        }
        inFlight++;
        const fetched = await fetchAndExtract(q);
        if (batch && deps.signal?.aborted) {
          // The task's lease ran out (or its worker is stopping): an answer cut short by the abort is not
          // the page. Its URL stays claimed, and a later batch takes it again once the claim is old.
          inFlight--;
          return;
        }
        save(q, fetched).then(
          () => {
            inFlight--;
            if (q.kind === 'page') progress?.tick();
          },
          (err: unknown) => {
            inFlight--;
            writeFailed ??= err;
          },
        );
      }
    };
    const workers = Math.max(1, s.concurrency) + (s.checkExternal ? 2 : 0);
    await Promise.all(Array.from({ length: workers }, worker));
    await frontier.flush();
    if (writeFailed) throw writeFailed;
    progress?.done();
    if (batch)
      return {
        crawlId,
        status: 'ok',
        seconds: (performance.now() - t0) / 1000,
        leftUnvisited: 0,
        pagesUnvisited: 0,
      };

    const interrupted = deps.signal?.aborted ?? false;
    const left = await frontier.skipRemaining(
      interrupted ? STOPPED_REASON : `${CAPPED_REASON} (${s.maxPages})`,
    );
    const outcome: CrawlOutcome = {
      crawlId,
      status: interrupted ? 'interrupted' : 'ok',
      seconds: (performance.now() - t0) / 1000,
      leftUnvisited: left.urls,
      pagesUnvisited: left.pages,
    };
    if (deps.consumer) await deps.consumer.end(outcome);
    else await frontier.close(outcome.status, deps.now().toISOString());
    return outcome;
  } finally {
    // Worker threads and keep-alive sockets end with the crawl, however it ends.
    stopLiveness?.();
    backend?.dispose();
    await pool.close();
    agents.http.destroy();
    agents.https.destroy();
  }
}

/** robots.txt: one read per crawl (RFC 9309 §2.4 allows caching); follows up to five redirects (§2.3.1.2). */
async function readRobots(site: URL, opts: FetchOptions): Promise<Robots> {
  try {
    const r = await fetchPage(new URL('/robots.txt', site).href, {
      ...opts,
      maxRedirects: 5,
      maxBytes: 512 * 1024,
    });
    return Robots.fromFetch(r.status, Buffer.from(r.body).toString('utf8'));
  } catch {
    return Robots.fromFetch(null, '');
  }
}

/** Full settings from partial ones, defaults filling the gaps (undefined counts as a gap). */
export function crawlSettingsFrom(partial: Partial<CrawlSettings> = {}): CrawlSettings {
  return { ...DEFAULT_CRAWL_SETTINGS, ...definedOnly(partial) };
}

/** `o` without its undefined values, so that spreading it keeps the defaults underneath. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
