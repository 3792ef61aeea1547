// Rules on indexability: noindex pages, robots.txt blocks, sitemaps that list what should not be there,
// and the tags every page needs (viewport, lang).
import type { IssueInput, RuleFamily } from '../types.ts';
import { fileIssues, HTML_PAGE, linkedFrom, rule } from './sql.ts';

const R = {
  noindex: rule('noindex', 'notice'),
  noindexSitemap: rule('noindex-in-sitemap', 'error'),
  blockedLinked: rule('blocked-by-robots-linked', 'warning'),
  blockedSitemap: rule('blocked-by-robots-in-sitemap', 'error'),
  sitemapNon200: rule('sitemap-non-200', 'error'),
  sitemapRedirect: rule('sitemap-redirect', 'warning'),
  viewport: rule('viewport-missing', 'warning'),
  lang: rule('lang-missing', 'notice'),
};

export const indexabilityRules: RuleFamily = {
  id: 'indexability',
  rules: Object.values(R),
  page(f) {
    const out: IssueInput[] = [];
    if (f.noindex)
      out.push({
        rule: R.noindex.id,
        details: [f.html.metaRobots.robots, f.html.metaRobots.googlebot, f.xRobotsTag]
          .filter(Boolean)
          .join('; '),
      });
    if (!f.html.viewport) out.push({ rule: R.viewport.id });
    if (!f.html.lang) out.push({ rule: R.lang.id });
    return out;
  },
  async crawl(sql, crawlId) {
    await fileIssues(
      sql,
      crawlId,
      R.noindexSitemap,
      `SELECT u.id AS url_id, 'listed in the sitemap' AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.in_sitemap = 1 AND u.noindex = 1`,
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.blockedLinked,
      `SELECT u.id AS url_id, ${linkedFrom()} AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.state = 'blocked' AND EXISTS (SELECT 1 FROM crawl_inlinks i WHERE i.crawl_id = u.crawl_id AND i.to_id = u.id)`,
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.blockedSitemap,
      `SELECT u.id AS url_id, 'listed in the sitemap' AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.state = 'blocked' AND u.in_sitemap = 1`,
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.sitemapNon200,
      `SELECT u.id AS url_id, COALESCE('answered ' || u.status, u.error) AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.in_sitemap = 1 AND u.state = 'done' AND (u.status IS NULL OR u.status >= 400 OR (u.status BETWEEN 200 AND 299 AND u.status <> 200))`,
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.sitemapRedirect,
      `SELECT u.id AS url_id, 'redirects to ' || COALESCE(u.final_url, u.location) AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.in_sitemap = 1 AND u.location IS NOT NULL`,
      crawlId,
    );
  },
};
