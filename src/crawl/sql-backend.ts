// The crawl's frontier and store on the async data layer (any backend: PostgreSQL, or SQLite through the
// same interface). The URL table is the frontier and the seen-set as in store.ts; URLs are claimed in
// batches (on PostgreSQL with FOR UPDATE SKIP LOCKED, so several processes can share one crawl) with the
// time of the claim, and results are written in one transaction per batch of saves, idempotently: a
// URL's row is upserted by (crawl, URL), and its links and issues replace any an earlier attempt wrote.
// Past 400 lines on purpose: one class (SqlCrawlBackend) whose claims, batched writes and hop counts
// share its state; the URL judgements it shares with the SQLite path are in frontier.ts.
import type { Sql } from '../db/store/types.ts';
import {
  judgeUrl,
  MAX_REDIRECT_HOPS,
  tooLongVerdict,
  type FrontierSettings,
  type Verdict,
  type Via,
} from './frontier.ts';
import type { CrawlBackend } from './backend.ts';
import type { PageRecord } from './page-record.ts';
import type { Robots } from './robots.ts';
import type { Scope } from './scope.ts';
import { buildInlinks } from './inlinks.ts';
import { SITEMAP_DEPTH, type IssueRow, type LinkRow, type PageRow, type QueuedUrl } from './store.ts';

/** Rows per multi-row insert (at most 7 parameters a row: well under both backends' limits). */
const ROWS = 200;

/** Starts a crawl's row ('running') through the data layer; returns its id. */
export async function createCrawlSql(
  sql: Sql,
  c: { siteId: number | null; runId: number | null; startUrl: string; startedAt: string; settings: object },
): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO crawls (site_id, run_id, start_url, started_at, status, settings) VALUES (?, ?, ?, ?, 'running', ?) RETURNING id`,
    [c.siteId, c.runId, c.startUrl, c.startedAt, JSON.stringify(c.settings)],
  ))!.id;
}

interface Found {
  url: string;
  depth: number;
  verdict: Verdict;
  sitemap: boolean;
}

interface Pending {
  q: QueuedUrl;
  rec: PageRecord;
  issues: Omit<IssueRow, 'urlId'>[];
}

const PAGE_UPDATE = `UPDATE crawl_urls SET state = 'done', status = @status, error = @error, location = @location, redirect_type = @redirectType,
  content_type = @contentType, charset = @charset, bytes = @bytes, truncated = @truncated, ttfb_ms = @ttfbMs,
  total_ms = @totalMs, title = @title, title_count = @titleCount, meta_description = @metaDescription,
  meta_description_count = @metaDescriptionCount, h1 = @h1, canonical = @canonical, canonical_raw = @canonicalRaw,
  canonical_count = @canonicalCount, meta_robots = @metaRobots, x_robots_tag = @xRobotsTag, noindex = @noindex,
  nofollow = @nofollow, hreflang = @hreflang, lang = @lang, viewport = @viewport, word_count = @wordCount,
  content_hash = @contentHash, simhash = @simhash, fetched_at = @fetchedAt
 WHERE id = @id`;

/**
 * Claims up to `limit` queued URLs of a crawl, marking them 'fetching' with the claim's time, in crawl
 * order (depth, then id). PostgreSQL skips rows another process has locked for its own claim, so two
 * claims never take the same URL.
 */
export async function claimUrls(
  sql: Sql,
  crawlId: number,
  o: { limit: number; pagesAllowed: boolean; sitemapOnly: boolean; now: Date },
): Promise<QueuedUrl[]> {
  const lock = sql.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
  const rows = await sql.all<QueuedUrl>(
    `UPDATE crawl_urls SET state = 'fetching', claimed_at = ? WHERE id IN (
       SELECT id FROM crawl_urls WHERE crawl_id = ? AND state = 'queued' AND (kind <> 'page' OR ? = 1) AND depth < ?
       ORDER BY depth, id LIMIT ? ${lock})
     RETURNING id, url, kind, depth`,
    [
      o.now.toISOString(),
      crawlId,
      o.pagesAllowed ? 1 : 0,
      o.sitemapOnly ? SITEMAP_DEPTH + 1 : SITEMAP_DEPTH,
      o.limit,
    ],
  );
  // RETURNING gives no order: put the claim back in crawl order.
  return rows.sort((a, b) => a.depth - b.depth || a.id - b.id);
}

/**
 * Redirect hops from where the chain ending at URL `id` started, read from the redirect links stored so
 * far (the longest chain, looked at no further than one hop past the limit, so a loop ends too). Batches
 * on other workers follow the same chain one hop each; counting in process memory alone would start
 * every batch at zero and let an endless chain (/r/0 → /r/1 → …) run to the page cap. Each step looks
 * its URL up in the index of redirect links (crawl_links_redirects, migration 019); CROSS JOIN keeps
 * SQLite to that order, where it would otherwise scan the crawl's redirects once per step.
 */
export async function storedChainHops(sql: Sql, crawlId: number, id: number): Promise<number> {
  const r = await sql.get<{ hops: number | null }>(
    `WITH RECURSIVE chain(id, hops) AS (
       SELECT CAST(? AS BIGINT), 0
       UNION ALL
       SELECT l.from_id, chain.hops + 1 FROM chain CROSS JOIN crawl_links l
       WHERE l.crawl_id = ? AND l.to_id = chain.id AND l.kind = 'redirect' AND chain.hops <= ?
     )
     SELECT MAX(hops) AS hops FROM chain`,
    [id, crawlId, MAX_REDIRECT_HOPS],
  );
  return r?.hops ?? 0;
}

/** How a batch shares its crawl with other workers' batches (see SqlCrawlBackend.sharedClaims). */
export interface SharedClaims {
  /** Pages of the crawl already fetched or being fetched, by anyone: the cap counts them. */
  pagesSoFar: number;
  /** URLs this batch claims at most. */
  limit: number;
}

export class SqlCrawlBackend implements CrawlBackend {
  /** Recently seen URL → id, as CrawlStore keeps it (bounded: evicts oldest). */
  readonly #ids = new Map<string, number>();
  static readonly ID_CACHE = 100_000;
  readonly #chainHops = new Map<number, number>();
  readonly #buffer: QueuedUrl[] = [];
  #refill: Promise<void> | null = null;
  #pages = 0;
  #pending: Pending[] = [];
  #written: Promise<void> | null = null;
  #writing: Promise<void> = Promise.resolve();
  static readonly WRITE_EVERY_MS = 5;
  static readonly FLUSH_PAGES = 50;

  constructor(
    private readonly sql: Sql,
    readonly crawlId: number,
    private readonly scope: Scope,
    private readonly robots: Robots,
    private readonly s: FrontierSettings,
    private readonly now: () => Date,
    private readonly shared?: SharedClaims,
  ) {
    this.#pages = shared?.pagesSoFar ?? 0;
  }

  /**
   * Prepares a batch of a shared crawl: claims older than the lease (their worker died, or its task ran
   * out of time) go back to the queue, and the pages fetched or claimed so far are counted for the cap.
   */
  static async sharedClaims(
    sql: Sql,
    crawlId: number,
    batch: { limit: number; leaseMs: number },
    now: Date,
  ): Promise<SharedClaims> {
    await sql.run(
      `UPDATE crawl_urls SET state = 'queued', claimed_at = NULL WHERE crawl_id = ? AND state = 'fetching' AND claimed_at < ?`,
      [crawlId, new Date(now.getTime() - batch.leaseMs).toISOString()],
    );
    const r = (await sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' AND state IN ('fetching', 'done')`,
      [crawlId],
    ))!;
    return { pagesSoFar: r.n, limit: batch.limit };
  }

  /** URLs this batch has claimed (a shared batch stops at its limit). */
  #claimed = 0;

  async setRobots(reason: string): Promise<void> {
    await this.sql.run(`UPDATE crawls SET robots = ? WHERE id = ?`, [reason, this.crawlId]);
  }

  async seed(start: string): Promise<void> {
    await this.sql.transaction((tx) =>
      this.#store(tx, [{ url: start, depth: 0, verdict: this.#judge(start, 'a', 0), sitemap: false }]),
    );
  }

  async seedFromSitemaps(urls: readonly string[]): Promise<void> {
    const found: Found[] = [];
    for (const url of urls)
      if (this.scope.isSameSite(url))
        found.push({
          url,
          depth: SITEMAP_DEPTH,
          verdict: this.#judge(url, 'a', SITEMAP_DEPTH),
          sitemap: true,
        });
    await this.sql.transaction((tx) => this.#store(tx, found));
  }

  async knownPages(): Promise<number> {
    return (await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' AND state IN ('queued', 'fetching', 'done')`,
      [this.crawlId],
    ))!.n;
  }

  #judge(url: string, via: Via, depth: number): Verdict {
    return judgeUrl(this.scope, this.robots, this.s, url, via, depth);
  }

  async next(inFlight: number): Promise<QueuedUrl | undefined> {
    // One claim at a time: workers asking meanwhile wait for it rather than claim a batch each.
    while (this.#buffer.length === 0) {
      if (!this.#refill) {
        this.#refill = this.#claim(inFlight).finally(() => (this.#refill = null));
        await this.#refill;
        break;
      }
      await this.#refill;
    }
    while (this.#buffer.length) {
      const q = this.#buffer.shift()!;
      if (q.kind === 'page') {
        if (this.#pages >= this.s.maxPages) {
          await this.sql.run(`UPDATE crawl_urls SET state = 'queued', claimed_at = NULL WHERE id = ?`, [
            q.id,
          ]);
          continue;
        }
        this.#pages++;
      }
      return q;
    }
    return undefined;
  }

  async #claim(inFlight: number): Promise<void> {
    const room = this.s.maxPages - this.#pages;
    let limit = Math.max(this.s.concurrency * 4, 32);
    if (this.shared) limit = Math.min(limit, this.shared.limit - this.#claimed);
    if (limit <= 0) return;
    const o = { limit, pagesAllowed: room > 0, sitemapOnly: false, now: this.now() };
    let rows = await claimUrls(this.sql, this.crawlId, o);
    // Sitemap-only URLs wait until nothing else is queued or in flight — in a shared crawl, anywhere:
    // a page another worker is fetching may still link to them and give them a click depth.
    if (rows.length === 0 && inFlight === 0 && (!this.shared || !(await this.#fetchingElsewhere())))
      rows = await claimUrls(this.sql, this.crawlId, { ...o, sitemapOnly: true });
    this.#claimed += rows.length;
    this.#buffer.push(...rows);
  }

  async #fetchingElsewhere(): Promise<boolean> {
    return (
      (await this.sql.get(`SELECT 1 AS x FROM crawl_urls WHERE crawl_id = ? AND state = 'fetching' LIMIT 1`, [
        this.crawlId,
      ])) !== undefined
    );
  }

  save(q: QueuedUrl, rec: PageRecord, issues: Omit<IssueRow, 'urlId'>[]): Promise<void> {
    this.#pending.push({ q, rec, issues });
    this.#written ??= new Promise((resolve, reject) =>
      setTimeout(() => {
        const batch = this.#pending;
        this.#pending = [];
        this.#written = null;
        // One write at a time, in the order asked: a later batch may point to URLs an earlier one adds
        // (first mention wins), and two transactions inserting the same URLs would deadlock on PostgreSQL.
        const done = this.#writing.then(() => this.#write(batch));
        this.#writing = done.catch(() => {});
        done.then(resolve, reject);
      }, SqlCrawlBackend.WRITE_EVERY_MS),
    );
    return this.#written;
  }

  async flush(): Promise<void> {
    while (this.#written) await this.#written;
    await this.#writing;
  }

  /** One batch of fetched URLs in one transaction: what they point to first, then their rows, links, issues. */
  async #write(batch: Pending[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      // A redirecting page this batch did not reach by a redirect of its own may still sit in a chain
      // that other batches (other workers) followed: its hops come from the stored redirect links.
      for (const { q, rec } of batch)
        if (rec.redirect !== null && !this.#chainHops.has(q.id)) {
          const hops = await storedChainHops(tx, this.crawlId, q.id);
          if (hops > 0) this.#chainHops.set(q.id, hops);
        }
      // What each page points to, in the page's order: redirect target, then links (see Frontier.follow).
      const found: Found[] = [];
      const plans = batch.map(({ q, rec }) => {
        const hopsHere = this.#chainHops.get(q.id) ?? 0;
        this.#chainHops.delete(q.id);
        let redirect: { url: string; hops: number } | null = null;
        if (rec.redirect !== null) {
          const hops = hopsHere + 1;
          const verdict =
            hops > MAX_REDIRECT_HOPS
              ? tooLongVerdict(this.scope, q, rec.redirect)
              : this.#judge(rec.redirect, q.kind === 'resource' ? 'resource' : 'redirect', q.depth);
          found.push({ url: rec.redirect, depth: q.depth, verdict, sitemap: false });
          redirect = { url: rec.redirect, hops };
        }
        for (const o of rec.outlinks)
          if (!this.#ids.has(o.url))
            found.push({
              url: o.url,
              depth: o.depth,
              verdict: this.#judge(o.url, o.via, o.depth),
              sitemap: false,
            });
        return redirect;
      });
      const stored = await this.#store(tx, found);
      // A URL skipped above as known may have left the bounded cache since: read such ids back.
      const missing = new Set<string>();
      for (const { rec } of batch) {
        if (rec.redirect !== null && !stored.has(rec.redirect) && !this.#ids.has(rec.redirect))
          missing.add(rec.redirect);
        for (const o of rec.outlinks) if (!stored.has(o.url) && !this.#ids.has(o.url)) missing.add(o.url);
      }
      const wanted = [...missing];
      for (let i = 0; i < wanted.length; i += ROWS) {
        const chunk = wanted.slice(i, i + ROWS);
        for (const r of await tx.all<{ id: number; url: string }>(
          `SELECT id, url FROM crawl_urls WHERE crawl_id = ? AND url IN (${chunk.map(() => '?').join(', ')})`,
          [this.crawlId, ...chunk],
        ))
          stored.set(r.url, r.id);
      }
      const idOf = (url: string) => stored.get(url) ?? this.#ids.get(url)!;
      const links: LinkRow[] = [];
      batch.forEach(({ q, rec }, i) => {
        const redirect = plans[i];
        if (redirect) {
          const toId = idOf(redirect.url);
          if (redirect.hops <= MAX_REDIRECT_HOPS && !this.#chainHops.has(toId))
            this.#chainHops.set(toId, redirect.hops);
          links.push({ fromId: q.id, toId, kind: 'redirect', anchor: null, rel: null, hasAlt: null });
        }
        for (const o of rec.outlinks) links.push({ fromId: q.id, toId: idOf(o.url), ...o.link });
      });
      const fromIds = batch.map((b) => b.q.id);
      // A retried batch (its worker died after writing) replaces what the first attempt wrote.
      for (let i = 0; i < fromIds.length; i += ROWS) {
        const ids = fromIds.slice(i, i + ROWS);
        const marks = ids.map(() => '?').join(', ');
        await tx.run(`DELETE FROM crawl_links WHERE crawl_id = ? AND from_id IN (${marks})`, [
          this.crawlId,
          ...ids,
        ]);
        await tx.run(`DELETE FROM crawl_issues WHERE crawl_id = ? AND url_id IN (${marks})`, [
          this.crawlId,
          ...ids,
        ]);
      }
      for (const { rec } of batch) await tx.run(PAGE_UPDATE, pageParams(rec.row));
      for (let i = 0; i < links.length; i += ROWS) {
        const chunk = links.slice(i, i + ROWS);
        await tx.run(
          `INSERT INTO crawl_links (crawl_id, from_id, to_id, kind, anchor, rel, has_alt) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((l) => [this.crawlId, l.fromId, l.toId, l.kind, l.anchor, l.rel, l.hasAlt]),
        );
      }
      const issues = batch.flatMap(({ q, issues }) => issues.map((i) => ({ ...i, urlId: q.id })));
      for (let i = 0; i < issues.length; i += ROWS) {
        const chunk = issues.slice(i, i + ROWS);
        await tx.run(
          `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity, details) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((r) => [this.crawlId, r.urlId, r.rule, r.severity, r.details]),
        );
      }
    });
  }

  /**
   * Adds URLs met for the first time (the first mention of a URL wins, as in CrawlStore.discover: a
   * lower depth replaces a higher one) and learns the ids of all of them into #ids.
   */
  async #store(tx: Sql, found: readonly Found[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const first = new Map<string, Found>();
    for (const f of found) if (!first.has(f.url)) first.set(f.url, f);
    const rows = [...first.values()];
    for (let i = 0; i < rows.length; i += ROWS) {
      const chunk = rows.slice(i, i + ROWS);
      await tx.run(
        `INSERT INTO crawl_urls (crawl_id, url, kind, depth, state, skip_reason) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (crawl_id, url) DO UPDATE SET depth = excluded.depth WHERE excluded.depth < crawl_urls.depth`,
        chunk.flatMap((f) => [
          this.crawlId,
          f.url,
          f.verdict.kind,
          f.depth,
          f.verdict.state,
          f.verdict.reason,
        ]),
      );
      const ids = await tx.all<{ id: number; url: string }>(
        `SELECT id, url FROM crawl_urls WHERE crawl_id = ? AND url IN (${chunk.map(() => '?').join(', ')})`,
        [this.crawlId, ...chunk.map((f) => f.url)],
      );
      for (const r of ids) {
        const f = first.get(r.url)!;
        // Sitemap-only URLs are never cached, so that a link can still give them a click depth.
        if (f.depth < SITEMAP_DEPTH) {
          if (this.#ids.size >= SqlCrawlBackend.ID_CACHE) this.#ids.delete(this.#ids.keys().next().value!);
          this.#ids.set(r.url, r.id);
        } else this.#ids.delete(r.url);
      }
      const sitemap = ids.filter((r) => first.get(r.url)!.sitemap).map((r) => r.id);
      if (sitemap.length)
        await tx.run(
          `UPDATE crawl_urls SET in_sitemap = 1 WHERE id IN (${sitemap.map(() => '?').join(', ')})`,
          sitemap,
        );
      for (const r of ids) out.set(r.url, r.id);
    }
    return out;
  }

  async skipRemaining(reason: string): Promise<{ urls: number; pages: number }> {
    const pages = (await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' AND state IN ('queued', 'fetching')`,
      [this.crawlId],
    ))!.n;
    const urls = (
      await this.sql.run(
        `UPDATE crawl_urls SET state = 'skipped', skip_reason = ? WHERE crawl_id = ? AND state IN ('queued', 'fetching')`,
        [reason, this.crawlId],
      )
    ).changes;
    return { urls, pages };
  }

  async close(status: 'ok' | 'interrupted', finishedAt: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await buildInlinks(tx, this.crawlId);
      await tx.run(
        `UPDATE crawls SET finished_at = ?, status = ?,
           pages = (SELECT COUNT(*) FROM crawl_urls u WHERE u.crawl_id = crawls.id AND u.kind = 'page' AND u.state = 'done')
         WHERE id = ?`,
        [finishedAt, status, this.crawlId],
      );
    });
  }

  dispose(): void {}
}

/** A page row as named parameters (the UPDATE's), every value defined. */
function pageParams(row: PageRow): Record<string, unknown> {
  return { ...row };
}
