// Read side of the site audit: crawls over time, issues by rule, what changed since the last crawl, one page's facts.
import { pageInlinks, type Inlink } from '../crawl/inlinks.ts';
import { CAPPED_REASON, STOPPED_REASON } from '../crawl/store.ts';
import type { Sql } from '../db/store/types.ts';
import { RULES } from './rules/index.ts';
import type { Severity } from './types.ts';

export interface CrawlRow {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  pages: number;
  health: number | null;
  startUrl: string;
  robots: string | null;
}

export async function listCrawls(sql: Sql, siteId: number, limit = 100): Promise<CrawlRow[]> {
  return sql.all<CrawlRow>(
    `SELECT id, started_at AS startedAt, finished_at AS finishedAt, status, pages, health, start_url AS startUrl, robots
     FROM crawls WHERE site_id = ? AND status IN ('ok', 'interrupted') ORDER BY started_at DESC, id DESC LIMIT ?`,
    [siteId, limit],
  );
}

export async function getCrawl(
  sql: Sql,
  id: number,
): Promise<(CrawlRow & { siteId: number | null }) | undefined> {
  return sql.get<CrawlRow & { siteId: number | null }>(
    `SELECT id, site_id AS siteId, started_at AS startedAt, finished_at AS finishedAt, status, pages, health, start_url AS startUrl, robots
     FROM crawls WHERE id = ?`,
    [id],
  );
}

/**
 * How much of the site a crawl read (finish.ts judges orphan pages only when it read everything): was it
 * stopped, and how many pages did its crawl.maxPages leave unvisited. src/crawl/crawler.ts marks those
 * "over crawl.maxPages (N)".
 */
export async function crawlExtent(
  sql: Sql,
  crawlId: number,
): Promise<{ stopped: boolean; maxPages: number | null; pagesLeft: number }> {
  // The settings are read as text and parsed here: json_extract is SQLite's spelling only.
  const r = await sql.get<{ status: string; settings: string; capped: number; stopped: number }>(
    `SELECT c.status, c.settings,
       (SELECT COUNT(*) FROM crawl_urls u WHERE u.crawl_id = c.id AND u.kind = 'page' AND u.state = 'skipped'
          AND u.skip_reason LIKE 'over crawl.maxPages (%') AS capped,
       (SELECT COUNT(*) FROM crawl_urls u WHERE u.crawl_id = c.id AND u.kind = 'page' AND u.state = 'skipped'
          AND u.skip_reason = ?) AS stopped
     FROM crawls c WHERE c.id = ?`,
    [STOPPED_REASON, crawlId],
  );
  if (!r) return { stopped: false, maxPages: null, pagesLeft: 0 };
  let maxPages: unknown = null;
  try {
    maxPages = (JSON.parse(r.settings) as { maxPages?: unknown }).maxPages;
  } catch {
    // A damaged settings column says nothing about the cap.
  }
  return {
    stopped: r.status === 'interrupted' || r.stopped > 0,
    maxPages: typeof maxPages === 'number' ? maxPages : null,
    pagesLeft: r.capped,
  };
}

export async function severityCounts(sql: Sql, crawlId: number): Promise<Record<Severity, number>> {
  const out: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const r of await sql.all<{ severity: Severity; n: number }>(
    `SELECT severity, COUNT(*) AS n FROM crawl_issues WHERE crawl_id = ? GROUP BY severity`,
    [crawlId],
  ))
    out[r.severity] = r.n;
  return out;
}

export interface RuleCount {
  rule: string;
  severity: Severity;
  /** The English name (pages take the reader's language from the catalogue by `rule`). */
  title: string;
  count: number;
}

export async function issuesByRule(sql: Sql, crawlId: number): Promise<RuleCount[]> {
  const rows = await sql.all<{ rule: string; severity: Severity; count: number }>(
    `SELECT rule, severity, COUNT(*) AS count FROM crawl_issues WHERE crawl_id = ? GROUP BY rule, severity ORDER BY rule`,
    [crawlId],
  );
  const order: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };
  return rows
    .map((r) => {
      const info = RULES.get(r.rule);
      return { ...r, title: info?.title ?? r.rule };
    })
    .sort((a, b) => order[a.severity] - order[b.severity] || b.count - a.count);
}

export interface IssueItem {
  url: string;
  rule: string;
  severity: Severity;
  details: string | null;
  status: number | null;
}

export async function issuesForRule(
  sql: Sql,
  crawlId: number,
  rule: string,
  limit = 1000,
  offset = 0,
): Promise<IssueItem[]> {
  return sql.all<IssueItem>(
    `SELECT u.url, i.rule, i.severity, i.details, u.status FROM crawl_issues i LEFT JOIN crawl_urls u ON u.id = i.url_id
     WHERE i.crawl_id = ? AND i.rule = ? ORDER BY u.url NULLS FIRST, i.id LIMIT ? OFFSET ?`,
    [crawlId, rule, limit, offset],
  );
}

export interface CrawlDiff {
  newIssues: IssueItem[];
  fixedIssues: IssueItem[];
  pagesAdded: string[];
  pagesGone: string[];
}

/** Rules a crawl judges only when it read every page it found (the crawler's `complete`). */
const NEEDS_COMPLETE_CRAWL = ['orphan-page'];

/**
 * What changed between two crawls of a site, matching issues by (rule, URL). An issue counts as fixed
 * only where the newer crawl could have seen it again: its URL was fetched this time, or the crawl
 * read every page it found (then a page that is gone took its issues with it); and a rule that needs
 * a complete crawl (orphans) is never "fixed" by a capped or stopped one, which did not look.
 */
export async function diffCrawls(
  sql: Sql,
  crawlId: number,
  previousId: number,
  limit = 500,
): Promise<CrawlDiff> {
  const issues = (a: number, b: number, onlyWhereSeen: boolean) =>
    sql.all<IssueItem>(
      `SELECT u.url, i.rule, i.severity, i.details, u.status FROM crawl_issues i JOIN crawl_urls u ON u.id = i.url_id
         WHERE i.crawl_id = ? AND NOT EXISTS (
           SELECT 1 FROM crawl_issues j JOIN crawl_urls v ON v.id = j.url_id WHERE j.crawl_id = ? AND j.rule = i.rule AND v.url = u.url)
         ${
           onlyWhereSeen
             ? `AND (
           (SELECT c.status = 'ok' AND NOT EXISTS (SELECT 1 FROM crawl_urls q WHERE q.crawl_id = c.id AND q.kind = 'page'
                AND (q.state IN ('queued', 'fetching') OR (q.state = 'skipped' AND q.skip_reason LIKE CAST(? AS TEXT) || '%')))
              FROM crawls c WHERE c.id = ?)
           OR (i.rule NOT IN (${NEEDS_COMPLETE_CRAWL.map(() => '?').join(', ')})
               AND EXISTS (SELECT 1 FROM crawl_urls w WHERE w.crawl_id = ? AND w.url = u.url AND w.state = 'done')))`
             : ''
         }
         ORDER BY CASE i.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, i.rule, u.url, i.id LIMIT ?`,
      [a, b, ...(onlyWhereSeen ? [CAPPED_REASON, b, ...NEEDS_COMPLETE_CRAWL, b] : []), limit],
    );
  const pages = async (a: number, b: number) =>
    (
      await sql.all<{ url: string }>(
        `SELECT u.url FROM crawl_urls u WHERE u.crawl_id = ? AND u.kind = 'page' AND u.state = 'done'
           AND NOT EXISTS (SELECT 1 FROM crawl_urls v WHERE v.crawl_id = ? AND v.url = u.url AND v.kind = 'page' AND v.state = 'done')
           ORDER BY u.url LIMIT ?`,
        [a, b, limit],
      )
    ).map((r) => r.url);
  return {
    newIssues: await issues(crawlId, previousId, false),
    fixedIssues: await issues(previousId, crawlId, true),
    pagesAdded: await pages(crawlId, previousId),
    pagesGone: await pages(previousId, crawlId),
  };
}

export interface TrendPoint {
  crawlId: number;
  startedAt: string;
  health: number | null;
  error: number;
  warning: number;
  notice: number;
}

export async function healthTrend(sql: Sql, siteId: number, limit = 60): Promise<TrendPoint[]> {
  return (
    await sql.all<TrendPoint>(
      `SELECT c.id AS crawlId, c.started_at AS startedAt, c.health,
           (SELECT COUNT(*) FROM crawl_issues i WHERE i.crawl_id = c.id AND i.severity = 'error') AS error,
           (SELECT COUNT(*) FROM crawl_issues i WHERE i.crawl_id = c.id AND i.severity = 'warning') AS warning,
           (SELECT COUNT(*) FROM crawl_issues i WHERE i.crawl_id = c.id AND i.severity = 'notice') AS notice
         FROM crawls c WHERE c.site_id = ? AND c.status IN ('ok', 'interrupted') ORDER BY c.started_at DESC, c.id DESC LIMIT ?`,
      [siteId, limit],
    )
  ).reverse();
}

export interface PageDetail {
  facts: Record<string, unknown>;
  issues: { rule: string; severity: Severity; details: string | null }[];
  inlinks: Inlink[];
  outlinks: { to: string; anchor: string | null; kind: string; status: number | null; state: string }[];
}

export async function pageDetail(sql: Sql, crawlId: number, url: string): Promise<PageDetail | undefined> {
  const facts = await sql.get(`SELECT * FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [crawlId, url]);
  if (!facts) return undefined;
  const id = facts.id as number;
  return {
    facts,
    issues: await sql.all<PageDetail['issues'][number]>(
      `SELECT rule, severity, details FROM crawl_issues WHERE crawl_id = ? AND url_id = ? ORDER BY severity, rule, id`,
      [crawlId, id],
    ),
    inlinks: await pageInlinks(sql, crawlId, id, 500),
    // Outlinks in the page's order: the links were stored in it (SQLite's rowid, PostgreSQL's heap order).
    outlinks: await sql.all<PageDetail['outlinks'][number]>(
      `SELECT t.url AS "to", l.anchor, l.kind, t.status, t.state FROM crawl_links l JOIN crawl_urls t ON t.id = l.to_id WHERE l.crawl_id = ? AND l.from_id = ? LIMIT 1000`,
      [crawlId, id],
    ),
  };
}

/** Pages of a crawl for the list view and CSV export. */
export async function crawlPages(
  sql: Sql,
  crawlId: number,
  limit = 100_000,
): Promise<Record<string, unknown>[]> {
  return sql.all(
    `SELECT url, status, depth, title, meta_description AS description, canonical, noindex, word_count AS words, inlinks,
              round(ttfb_ms) AS ttfb_ms, bytes, final_url, redirect_hops, charset, state, skip_reason
       FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' ORDER BY depth, url LIMIT ?`,
    [crawlId, limit],
  );
}

/** Every issue of a crawl with its page, for the "all issues" CSV export (columns named as ITEM_COLUMNS). */
export async function crawlIssues(sql: Sql, crawlId: number): Promise<Record<string, unknown>[]> {
  return sql.all(
    `SELECT i.rule, i.severity, u.url, u.status, i.details FROM crawl_issues i LEFT JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ? ORDER BY i.severity, i.rule, u.url NULLS FIRST, i.id`,
    [crawlId],
  );
}
