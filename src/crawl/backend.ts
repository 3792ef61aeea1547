// The crawl's frontier and store stages behind one interface, so the pipeline (crawler.ts: fetch →
// extract → record) runs the same over either: SQLite's synchronous, buffered store (the fast in-process
// path, store.ts + frontier.ts) or the async data layer on any backend (sql-backend.ts, for PostgreSQL
// and for crawl batches shared by several workers).
import type { Db } from '../db/open.ts';
import { Frontier, type FrontierSettings } from './frontier.ts';
import type { PageRecord } from './page-record.ts';
import type { Robots } from './robots.ts';
import type { Scope } from './scope.ts';
import { boundPageCache, CrawlStore, type IssueRow, type QueuedUrl } from './store.ts';

export interface CrawlBackend {
  readonly crawlId: number;
  /** What robots.txt said, for the crawl's record. */
  setRobots(reason: string): Promise<void>;
  /** The start URL, at depth 0. */
  seed(start: string): Promise<void>;
  /** The sitemaps' URLs (same site only), marked as listed there. */
  seedFromSitemaps(urls: readonly string[]): Promise<void>;
  /** Pages known so far (queued, being fetched or done): the progress total. */
  knownPages(): Promise<number>;
  /** The next URL to fetch, or undefined when none is queued now (see Frontier.next). */
  next(inFlight: number): QueuedUrl | undefined | Promise<QueuedUrl | undefined>;
  /** Stores a fetched URL: its row, its links (queuing what they point to) and issues; settles once written. */
  save(q: QueuedUrl, rec: PageRecord, issues: Omit<IssueRow, 'urlId'>[]): Promise<void>;
  /** Settles when every save asked for so far is written. */
  flush(): Promise<void>;
  /** URLs left queued are marked skipped with the reason; how many, and how many of them are pages. */
  skipRemaining(reason: string): Promise<{ urls: number; pages: number }>;
  /** Closes the crawl's row when no consumer (the audit) does. */
  close(status: 'ok' | 'interrupted', finishedAt: string): Promise<void>;
  /** Gives back what the crawl held (SQLite's page cache size). */
  dispose(): void;
}

/** SQLite in-process: today's synchronous store and frontier, its batching and id cache unchanged. */
export function sqliteBackend(
  db: Db,
  crawlId: number,
  scope: Scope,
  robots: Robots,
  s: FrontierSettings,
): CrawlBackend {
  const store = new CrawlStore(db, crawlId);
  const frontier = new Frontier(store, scope, robots, s);
  const restoreCache = boundPageCache(db);
  return {
    crawlId,
    setRobots: async (reason) => store.setRobots(reason),
    seed: async (start) => frontier.seed(start),
    seedFromSitemaps: async (urls) => frontier.seedFromSitemaps(urls),
    knownPages: async () => store.knownPages(),
    // Synchronous on purpose: the worker loop awaits only when a backend hands it a promise.
    next: (inFlight) => frontier.next(inFlight),
    save: (q, rec, issues) =>
      store.write(() => {
        frontier.follow(q, rec.redirect, rec.outlinks);
        store.savePage(rec.row);
        for (const issue of issues) store.saveIssue({ urlId: q.id, ...issue });
      }),
    flush: async () => {
      await store.settled();
      store.flush();
    },
    skipRemaining: async (reason) => store.skipRemaining(reason),
    close: async (status, finishedAt) => store.close(status, finishedAt),
    dispose: restoreCache,
  };
}
