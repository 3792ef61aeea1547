// Rules on redirects: chains (and too-long ones), loops, meta refreshes, and internal links that point at a redirect.
import { chainStarts, MAX_REDIRECT_HOPS, type ChainEnd, type RedirectRow } from '../redirect-chains.ts';
import type { RuleFamily, RuleInfo } from '../types.ts';
import { fileIssues, insertIssues, rule } from './sql.ts';

const R = {
  chain: rule('redirect-chain', 'warning'),
  tooLong: rule('redirect-chain-too-long', 'error'),
  loop: rule('redirect-loop', 'error'),
  meta: rule('redirect-meta-refresh', 'warning'),
  toRedirect: rule('internal-link-to-redirect', 'warning'),
};

/** What a chain is reported as; a single hop is no chain (links to it are, see toRedirect). */
function chainIssue(end: ChainEnd): { rule: RuleInfo; details: string } | null {
  switch (end.outcome) {
    case 'loop':
      return { rule: R.loop, details: `loops back through ${end.url}` };
    case 'too-long':
      return {
        rule: R.tooLong,
        details: `chain longer than ${MAX_REDIRECT_HOPS} hops; stopped following at ${end.url}`,
      };
    case 'final':
      return end.hops >= 2 ? { rule: R.chain, details: `${end.hops} hops to ${end.url}` } : null;
  }
}

export const redirectRules: RuleFamily = {
  id: 'redirects',
  rules: Object.values(R),
  async crawl(sql, crawlId) {
    // One issue per chain, on the URL it starts from; the URLs inside it are part of that chain.
    // Rows in id order: a loop nobody enters is reported from its first-crawled row (chainStarts).
    const rows = await sql.all<RedirectRow>(
      `SELECT id, url, location FROM crawl_urls WHERE crawl_id = ? AND location IS NOT NULL ORDER BY id`,
      [crawlId],
    );
    const found: Parameters<typeof insertIssues>[2][number][] = [];
    for (const { row, end } of chainStarts(rows)) {
      const issue = chainIssue(end);
      if (issue) found.push({ urlId: row.id, rule: issue.rule, details: issue.details });
    }
    await insertIssues(sql, crawlId, found);
    await fileIssues(
      sql,
      crawlId,
      R.meta,
      `SELECT id AS url_id, 'refreshes to ' || location AS details FROM crawl_urls WHERE crawl_id = ? AND redirect_type = 'meta-refresh'`,
      crawlId,
    );
    // From the redirecting pages to the pages that link to them (crawl_inlinks), and to those links
    // (the from-index: a page's repeated links count each), not every link of the crawl joined to its
    // target: ~2 ms instead of ~100 ms on a 10,000-page site. CROSS JOIN fixes SQLite's join order;
    // PostgreSQL plans it freely.
    await fileIssues(
      sql,
      crawlId,
      R.toRedirect,
      `SELECT f.id AS url_id, COUNT(*) || ' link(s) to redirecting URLs, e.g. ' || MIN(t.url) || ' → ' || COALESCE(MIN(t.final_url), MIN(t.location)) AS details
       FROM crawl_urls t CROSS JOIN crawl_inlinks i CROSS JOIN crawl_links l JOIN crawl_urls f ON f.id = i.from_id
       WHERE t.crawl_id = ? AND t.kind = 'page' AND t.location IS NOT NULL AND i.crawl_id = t.crawl_id AND i.to_id = t.id
         AND i.kind = 'a' AND l.crawl_id = i.crawl_id AND l.from_id = i.from_id AND l.to_id = i.to_id AND l.kind = 'a'
       GROUP BY f.id`,
      crawlId,
    );
  },
};
