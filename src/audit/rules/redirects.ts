// Rules on redirects: chains, loops, meta refreshes, and internal links that point at a redirect.
import type { RuleFamily } from '../types.ts';
import { fileIssues, rule } from './sql.ts';

const R = {
  chain: rule(
    'redirect-chain',
    'warning',
    'Redirect chain',
    'Two or more hops before the final page: link to and redirect straight to the final URL.',
  ),
  loop: rule(
    'redirect-loop',
    'error',
    'Redirect loop',
    'The redirects lead back to a URL already passed: the page cannot be reached.',
  ),
  meta: rule(
    'redirect-meta-refresh',
    'warning',
    'Meta refresh redirect',
    'Use a 301 instead of <meta http-equiv="refresh">.',
  ),
  toRedirect: rule(
    'internal-link-to-redirect',
    'warning',
    'Internal link to a redirect',
    'Update the link to point to the final URL.',
  ),
};

export const redirectRules: RuleFamily = {
  name: 'Redirects',
  rules: Object.values(R),
  crawl(db, crawlId) {
    // final_url and redirect_hops are filled by finishCrawl (loops get redirect_hops = -1).
    fileIssues(
      db,
      crawlId,
      R.chain,
      `SELECT id AS url_id, redirect_hops || ' hops to ' || COALESCE(final_url, '?') AS details FROM crawl_urls WHERE crawl_id = ? AND redirect_hops >= 2`,
      crawlId,
    );
    fileIssues(
      db,
      crawlId,
      R.loop,
      `SELECT id AS url_id, 'loops back through ' || location AS details FROM crawl_urls WHERE crawl_id = ? AND redirect_hops = -1`,
      crawlId,
    );
    fileIssues(
      db,
      crawlId,
      R.meta,
      `SELECT id AS url_id, 'refreshes to ' || location AS details FROM crawl_urls WHERE crawl_id = ? AND redirect_type = 'meta-refresh'`,
      crawlId,
    );
    fileIssues(
      db,
      crawlId,
      R.toRedirect,
      `SELECT f.id AS url_id, COUNT(*) || ' link(s) to redirecting URLs, e.g. ' || MIN(t.url) || ' → ' || COALESCE(MIN(t.final_url), MIN(t.location)) AS details
       FROM crawl_links l JOIN crawl_urls t ON t.id = l.to_id JOIN crawl_urls f ON f.id = l.from_id
       WHERE l.crawl_id = ? AND l.kind = 'a' AND t.kind = 'page' AND t.location IS NOT NULL GROUP BY f.id`,
      crawlId,
    );
  },
};
