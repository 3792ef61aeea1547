// Ends a crawl: resolves redirect chains, counts inlinks, runs the crawl-wide rules, and scores site health.
import { buildInlinks } from '../crawl/inlinks.ts';
import type { Sql } from '../db/store/types.ts';
import { followChain, MAX_REDIRECT_HOPS, type RedirectRow } from './redirect-chains.ts';
import type { RuleFamily, Severity, Thresholds } from './types.ts';

export interface CrawlSummary {
  crawlId: number;
  status: 'ok' | 'interrupted';
  /** Every page found was fetched (see CrawlExtent); false when maxPages or a stop left some. */
  complete: boolean;
  pages: number;
  urls: number;
  leftUnvisited: number;
  issues: Record<Severity, number>;
  health: number | null;
  seconds: number;
}

/**
 * Follows each redirecting URL through the crawl's own rows, at most MAX_REDIRECT_HOPS hops: its final
 * URL and hop count; a loop gets redirect_hops -1, a chain longer than the cap MAX_REDIRECT_HOPS + 1
 * and no final URL. Each row's walk is bounded by the cap, so this stays linear in the redirects.
 */
export async function resolveRedirects(
  sql: Sql,
  crawlId: number,
  maxHops = MAX_REDIRECT_HOPS,
): Promise<void> {
  const rows = await sql.all<RedirectRow>(
    `SELECT id, url, location FROM crawl_urls WHERE crawl_id = ? AND location IS NOT NULL`,
    [crawlId],
  );
  const next = new Map(rows.map((r) => [r.url, r.location]));
  const update = `UPDATE crawl_urls SET final_url = ?, redirect_hops = ? WHERE id = ?`;
  await sql.transaction(async (tx) => {
    for (const r of rows) {
      const end = followChain(next, r.url, maxHops);
      if (end.outcome === 'final') await tx.run(update, [end.url, end.hops, r.id]);
      else if (end.outcome === 'loop') await tx.run(update, [end.url, -1, r.id]);
      else await tx.run(update, [null, maxHops + 1, r.id]);
    }
  });
}

/**
 * Site health, 0–100: the share of crawled HTML pages without problems, where a page with an error
 * counts as fully unhealthy and one with only warnings as half. Notices do not count.
 */
export async function healthScore(sql: Sql, crawlId: number): Promise<number | null> {
  const r = (await sql.get<{ pages: number; errors: number | null; warnings: number | null }>(
    `SELECT COUNT(*) AS pages,
       SUM(CASE WHEN EXISTS (SELECT 1 FROM crawl_issues i WHERE i.crawl_id = u.crawl_id AND i.url_id = u.id AND i.severity = 'error') THEN 1 ELSE 0 END) AS errors,
       SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM crawl_issues i WHERE i.crawl_id = u.crawl_id AND i.url_id = u.id AND i.severity = 'error')
           AND EXISTS (SELECT 1 FROM crawl_issues i WHERE i.crawl_id = u.crawl_id AND i.url_id = u.id AND i.severity = 'warning') THEN 1 ELSE 0 END) AS warnings
     FROM crawl_urls u WHERE u.crawl_id = ? AND u.kind = 'page' AND u.state = 'done'`,
    [crawlId],
  ))!;
  if (r.pages === 0) return null;
  return Math.round(1000 * (1 - ((r.errors ?? 0) + 0.5 * (r.warnings ?? 0)) / r.pages)) / 10;
}

export async function finishCrawl(
  sql: Sql,
  crawlId: number,
  families: readonly RuleFamily[],
  thresholds: Thresholds,
  end: {
    status: 'ok' | 'interrupted';
    seconds: number;
    leftUnvisited: number;
    /** Pages among leftUnvisited: found but never fetched. */
    pagesUnvisited: number;
    now: Date;
  },
): Promise<CrawlSummary> {
  await resolveRedirects(sql, crawlId);
  const extent = { complete: end.status === 'ok' && end.pagesUnvisited === 0 };
  await sql.transaction(async (tx) => {
    // The to-side of the links first: the inlink counts and the crawl-wide rules read it.
    await buildInlinks(tx, crawlId);
    // One grouped pass along crawl_inlinks' key; a row there is one source page, so counting rows
    // counts distinct pages.
    await tx.run(
      `WITH c AS (SELECT to_id, COUNT(*) AS n FROM crawl_inlinks
                  WHERE crawl_id = ? AND kind = 'a' AND from_id <> to_id GROUP BY to_id)
       UPDATE crawl_urls SET inlinks = c.n FROM c WHERE crawl_urls.id = c.to_id`,
      [crawlId],
    );
    for (const f of families) await f.crawl?.(tx, crawlId, thresholds, extent);
  });
  const health = await healthScore(sql, crawlId);
  const counts = await sql.all<{ severity: Severity; n: number }>(
    `SELECT severity, COUNT(*) AS n FROM crawl_issues WHERE crawl_id = ? GROUP BY severity`,
    [crawlId],
  );
  const issues: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const c of counts) issues[c.severity] = c.n;
  const totals = (await sql.get<{ pages: number | null; urls: number }>(
    `SELECT SUM(CASE WHEN kind = 'page' AND state = 'done' THEN 1 ELSE 0 END) AS pages, COUNT(*) AS urls
     FROM crawl_urls WHERE crawl_id = ?`,
    [crawlId],
  ))!;
  await sql.run(`UPDATE crawls SET finished_at = ?, status = ?, pages = ?, health = ? WHERE id = ?`, [
    end.now.toISOString(),
    end.status,
    totals.pages ?? 0,
    health,
    crawlId,
  ]);
  return {
    crawlId,
    status: end.status,
    complete: extent.complete,
    pages: totals.pages ?? 0,
    urls: totals.urls,
    leftUnvisited: end.leftUnvisited,
    issues,
    health,
    seconds: end.seconds,
  };
}
