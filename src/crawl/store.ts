// The crawl's store stage, and the only place with the crawl's SQL: the URL table doubles as the frontier
// and the seen-set, so memory stays flat whatever the site size; page facts, links and issues are
// written in batched transactions.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.ts';
import { buildInlinksSqlite } from './inlinks.ts';

export type UrlKind = 'page' | 'resource' | 'external';
export const SITEMAP_DEPTH = 1_000_000; // "found only in a sitemap": sorts after every linked URL
/** Why a URL a stopped crawl had queued was never fetched. */
export const STOPPED_REASON = 'the crawl was stopped before reaching it';
/** Why a URL found past crawl.maxPages was not fetched (followed by the cap in brackets). */
export const CAPPED_REASON = 'over crawl.maxPages';

/** Rows per multi-row link insert (7 parameters each; SQLite allows 32,766 per statement). */
const LINK_ROWS = 64;

export interface QueuedUrl {
  id: number;
  url: string;
  kind: UrlKind;
  depth: number;
}

export interface PageRow {
  id: number;
  status: number | null;
  error: string | null;
  location: string | null;
  redirectType: string | null;
  contentType: string | null;
  charset: string | null;
  bytes: number | null;
  truncated: string | null;
  ttfbMs: number | null;
  totalMs: number | null;
  title: string | null;
  titleCount: number | null;
  metaDescription: string | null;
  metaDescriptionCount: number | null;
  h1: string | null;
  canonical: string | null;
  canonicalRaw: string | null;
  canonicalCount: number | null;
  metaRobots: string | null;
  xRobotsTag: string | null;
  noindex: number | null;
  nofollow: number | null;
  hreflang: string | null;
  lang: string | null;
  viewport: string | null;
  wordCount: number | null;
  contentHash: string | null;
  simhash: string | null;
  fetchedAt: string;
}

export interface LinkRow {
  fromId: number;
  toId: number;
  kind: string;
  anchor: string | null;
  rel: string | null;
  hasAlt: number | null;
}

export interface IssueRow {
  urlId: number | null;
  rule: string;
  severity: 'error' | 'warning' | 'notice';
  details: string | null;
}

/** Starts a crawl's row ('running'); returns its id. */
export function createCrawl(
  db: Db,
  c: { siteId: number | null; runId: number | null; startUrl: string; startedAt: string; settings: object },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO crawls (site_id, run_id, start_url, started_at, status, settings) VALUES (?, ?, ?, ?, 'running', ?)`,
      )
      .run(c.siteId, c.runId, c.startUrl, c.startedAt, JSON.stringify(c.settings)).lastInsertRowid,
  );
}

/**
 * SQLite's page cache while a crawl runs, in KiB (see boundPageCache). 8 MB since the links' to-index
 * left the crawl (issue 15): the same speed as 16 on the bench sites, and peak RSS at 100,000 pages 260
 * and 283 MB against 280–302.
 */
export const CRAWL_CACHE_KIB = 8 * 1024;

/**
 * Caps the connection's page cache while a crawl (and the audit's SQL after it) runs; returns the
 * function that puts the previous size back. The connection's 64 MB (src/db/open.ts) filled up during
 * a 100,000-page crawl, whose link index outgrows any cache: peak RSS rose with it. Pages it drops are
 * read back from the OS's file cache, a cheap call next to a page's other work.
 */
export function boundPageCache(db: Db, kib = CRAWL_CACHE_KIB): () => void {
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${-kib}`);
  return () => {
    if (db.open) db.pragma(`cache_size = ${before}`);
  };
}

export class CrawlStore {
  readonly #upsert: Statement;
  readonly #known: Statement;
  readonly #requeue: Statement;
  readonly #select: Statement;
  readonly #next: Statement;
  readonly #claim: Statement;
  readonly #page: Statement;
  readonly #link: Statement;
  /** LINK_ROWS links in one statement: a page has dozens, and each run() has its own cost. */
  readonly #links: Statement;
  readonly #issue: Statement;
  readonly #state: Statement;
  readonly #sitemap: Statement;
  #pendingPages: PageRow[] = [];
  #pendingLinks: LinkRow[] = [];
  #pendingIssues: IssueRow[] = [];
  #pendingStates: { id: number; state: string; reason: string | null }[] = [];
  #writes: (() => void)[] = [];
  #written: Promise<void> | null = null;
  /** Recently seen URL → id, so repeated links (navigation, footers) skip SQLite. Bounded: evicts oldest. */
  #ids = new Map<string, number>();
  static readonly ID_CACHE = 100_000;
  /**
   * Buffered pages (a page's links count as a twentieth each) written in one go; see write(). On the
   * bench site 250 cost ~20 MB more peak RSS than 120 for no measurable CPU gain; 60 cost more CPU.
   */
  static readonly FLUSH_PAGES = 120;
  /** How long writes gather before they run in one transaction (a commit each: see write()). */
  static readonly WRITE_EVERY_MS = 5;

  constructor(
    readonly db: Db,
    readonly crawlId: number,
  ) {
    this.#upsert = db.prepare(
      `INSERT INTO crawl_urls (crawl_id, url, kind, depth, state, skip_reason) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (crawl_id, url) DO UPDATE SET depth = excluded.depth WHERE excluded.depth < depth
       RETURNING id`,
    );
    this.#select = db.prepare(`SELECT id FROM crawl_urls WHERE crawl_id = ? AND url = ?`).pluck();
    this.#next = db.prepare(
      `SELECT id, url, kind, depth FROM crawl_urls WHERE crawl_id = ? AND state = 'queued' AND (kind <> 'page' OR ?) AND depth < ?
       ORDER BY depth, id LIMIT ?`,
    );
    this.#claim = db.prepare(`UPDATE crawl_urls SET state = 'fetching' WHERE id = ?`);
    this.#page = db.prepare(
      `UPDATE crawl_urls SET state = 'done', status = @status, error = @error, location = @location, redirect_type = @redirectType,
        content_type = @contentType, charset = @charset, bytes = @bytes, truncated = @truncated, ttfb_ms = @ttfbMs,
        total_ms = @totalMs, title = @title, title_count = @titleCount, meta_description = @metaDescription,
        meta_description_count = @metaDescriptionCount, h1 = @h1, canonical = @canonical, canonical_raw = @canonicalRaw,
        canonical_count = @canonicalCount, meta_robots = @metaRobots, x_robots_tag = @xRobotsTag, noindex = @noindex,
        nofollow = @nofollow, hreflang = @hreflang, lang = @lang, viewport = @viewport, word_count = @wordCount,
        content_hash = @contentHash, simhash = @simhash, fetched_at = @fetchedAt
       WHERE id = @id`,
    );
    this.#link = db.prepare(
      `INSERT INTO crawl_links (crawl_id, from_id, to_id, kind, anchor, rel, has_alt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#links = db.prepare(
      `INSERT INTO crawl_links (crawl_id, from_id, to_id, kind, anchor, rel, has_alt) VALUES ${Array(LINK_ROWS).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.#issue = db.prepare(
      `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity, details) VALUES (?, ?, ?, ?, ?)`,
    );
    this.#state = db.prepare(`UPDATE crawl_urls SET state = ?, skip_reason = ? WHERE id = ?`);
    this.#sitemap = db.prepare(`UPDATE crawl_urls SET in_sitemap = 1 WHERE id = ?`);
    this.#known = db
      .prepare(
        `SELECT COUNT(*) FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' AND state IN ('queued', 'fetching', 'done')`,
      )
      .pluck();
    this.#requeue = db.prepare(`UPDATE crawl_urls SET state = 'queued' WHERE id = ?`);
  }

  /** Runs `fn` in one transaction. */
  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** What robots.txt said, for the crawl's record. */
  setRobots(reason: string): void {
    this.db.prepare(`UPDATE crawls SET robots = ? WHERE id = ?`).run(reason, this.crawlId);
  }

  /** Pages known so far (queued, being fetched or done): the progress total. */
  knownPages(): number {
    return this.#known.get(this.crawlId) as number;
  }

  /** Puts a claimed URL back in the queue (claimed past the page cap). */
  requeue(id: number): void {
    this.#requeue.run(id);
  }

  /** The id of a URL met recently (see #ids), without touching SQLite; undefined when not cached. */
  knownId(url: string): number | undefined {
    return this.#ids.get(url);
  }

  /** Adds a URL (or lowers its depth if still queued) and returns its id. */
  discover(
    url: string,
    kind: UrlKind,
    depth: number,
    state: 'queued' | 'blocked' | 'skipped' = 'queued',
    reason: string | null = null,
  ): number {
    // A cached URL was first met at a depth no greater than this one (the queue is worked in depth order),
    // except sitemap-only URLs, which are never cached so that a link can still give them a depth.
    const cached = this.#ids.get(url);
    if (cached !== undefined) return cached;
    const row = this.#upsert.get(this.crawlId, url, kind, depth, state, reason) as { id: number } | undefined;
    const id = row ? row.id : (this.#select.get(this.crawlId, url) as number);
    if (depth < SITEMAP_DEPTH) {
      if (this.#ids.size >= CrawlStore.ID_CACHE) this.#ids.delete(this.#ids.keys().next().value!);
      this.#ids.set(url, id);
    }
    return id;
  }

  markInSitemap(id: number): void {
    this.#sitemap.run(id);
  }

  /** Takes up to `limit` queued URLs (pages only while `pagesAllowed`; sitemap-only URLs only when
   * `sitemapOnly`, so that links get the chance to reach them first and give them a click depth). */
  claim(limit: number, pagesAllowed: boolean, sitemapOnly = false): QueuedUrl[] {
    const rows = this.#next.all(
      this.crawlId,
      pagesAllowed ? 1 : 0,
      sitemapOnly ? SITEMAP_DEPTH + 1 : SITEMAP_DEPTH,
      limit,
    ) as QueuedUrl[];
    for (const r of rows) this.#claim.run(r.id);
    return rows;
  }

  savePage(p: PageRow): void {
    this.#pendingPages.push(p);
  }
  saveLink(l: LinkRow): void {
    this.#pendingLinks.push(l);
  }
  saveIssue(i: IssueRow): void {
    this.#pendingIssues.push(i);
  }
  setState(id: number, state: 'done' | 'blocked' | 'skipped', reason: string | null): void {
    this.#pendingStates.push({ id, state, reason });
  }

  get pendingWrites(): number {
    return this.#pendingPages.length + this.#pendingLinks.length / 20;
  }

  /** Writes everything buffered in one transaction. */
  flush(): void {
    if (
      !this.#pendingPages.length &&
      !this.#pendingLinks.length &&
      !this.#pendingIssues.length &&
      !this.#pendingStates.length
    )
      return;
    const pages = this.#pendingPages;
    const links = this.#pendingLinks;
    const issues = this.#pendingIssues;
    const states = this.#pendingStates;
    this.#pendingPages = [];
    this.#pendingLinks = [];
    this.#pendingIssues = [];
    this.#pendingStates = [];
    this.db.transaction(() => {
      for (const p of pages) this.#page.run(p);
      const whole = links.length - (links.length % LINK_ROWS);
      const args: unknown[] = [];
      for (let i = 0; i < whole; i += LINK_ROWS) {
        args.length = 0;
        for (let j = i; j < i + LINK_ROWS; j++) {
          const l = links[j]!;
          args.push(this.crawlId, l.fromId, l.toId, l.kind, l.anchor, l.rel, l.hasAlt);
        }
        this.#links.run(args);
      }
      for (let i = whole; i < links.length; i++) {
        const l = links[i]!;
        this.#link.run(this.crawlId, l.fromId, l.toId, l.kind, l.anchor, l.rel, l.hasAlt);
      }
      for (const i of issues) this.#issue.run(this.crawlId, i.urlId, i.rule, i.severity, i.details);
      for (const s of states) this.#state.run(s.state, s.reason, s.id);
    })();
  }

  /**
   * Results are written in batches. The writes asked for within WRITE_EVERY_MS run in one transaction;
   * the promise settles once they ran (their links are queued). The rows they buffer (pages, links,
   * issues) go to disk only every FLUSH_PAGES pages: each commit rewrites every index page it touched
   * into the WAL, and the link index is touched all over, so fewer, larger commits write far less.
   * Call flush() at the end.
   */
  write(fn: () => void): Promise<void> {
    this.#writes.push(fn);
    this.#written ??= new Promise((resolve, reject) =>
      setTimeout(() => {
        const writes = this.#writes;
        this.#writes = [];
        this.#written = null;
        try {
          this.db.transaction(() => {
            for (const w of writes) w();
            if (this.pendingWrites >= CrawlStore.FLUSH_PAGES) this.flush();
          })();
          resolve();
        } catch (err) {
          reject(err);
        }
      }, CrawlStore.WRITE_EVERY_MS),
    );
    return this.#written;
  }

  /** Settles when every write asked for so far has run. */
  async settled(): Promise<void> {
    while (this.#written) await this.#written;
  }

  /** Closes the crawl's row when nothing else (the audit) does: when it ended, how, and its page count. */
  close(status: 'ok' | 'interrupted', finishedAt: string): void {
    buildInlinksSqlite(this.db, this.crawlId);
    this.db
      .prepare(
        `UPDATE crawls SET finished_at = ?, status = ?,
           pages = (SELECT COUNT(*) FROM crawl_urls u WHERE u.crawl_id = crawls.id AND u.kind = 'page' AND u.state = 'done')
         WHERE id = ?`,
      )
      .run(finishedAt, status, this.crawlId);
  }

  /** URLs left queued (over the page limit, or the crawl was stopped) are marked skipped with the reason;
   * returns how many, and how many of them are pages. */
  skipRemaining(reason: string): { urls: number; pages: number } {
    const pages = this.db
      .prepare(
        `SELECT COUNT(*) FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' AND state IN ('queued', 'fetching')`,
      )
      .pluck()
      .get(this.crawlId) as number;
    const urls = this.db
      .prepare(
        `UPDATE crawl_urls SET state = 'skipped', skip_reason = ? WHERE crawl_id = ? AND state IN ('queued', 'fetching')`,
      )
      .run(reason, this.crawlId).changes;
    return { urls, pages };
  }
}
