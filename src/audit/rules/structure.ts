// Rules on site structure: orphan pages, pages many clicks deep, over-long URLs.
import type { IssueInput, RuleFamily } from '../types.ts';
import { SITEMAP_DEPTH } from '../../crawl/store.ts';
import { fileIssues, rule } from './sql.ts';

const R = {
  orphan: rule('orphan-page', 'warning'),
  deep: rule('deep-page', 'notice'),
  longUrl: rule('url-too-long', 'notice'),
};

export const structureRules: RuleFamily = {
  id: 'structure',
  rules: Object.values(R),
  page(f, t) {
    const out: IssueInput[] = [];
    if (f.url.length > t.urlMaxChars) out.push({ rule: R.longUrl.id, details: `${f.url.length} characters` });
    return out;
  },
  async crawl(sql, crawlId, t, crawl) {
    // "No inlinks" means something only if every page that could link was read: a crawl capped by
    // maxPages (or stopped) never saw the links of the pages it left, so it judges no page an orphan.
    if (crawl.complete)
      await fileIssues(
        sql,
        crawlId,
        R.orphan,
        `SELECT u.id AS url_id, 'in the sitemap, no inlinks' AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.kind = 'page' AND u.in_sitemap = 1 AND u.inlinks = 0 AND u.depth > 0`,
        crawlId,
      );
    await fileIssues(
      sql,
      crawlId,
      R.deep,
      `SELECT u.id AS url_id, u.depth || ' clicks from the start page' AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.kind = 'page' AND u.state = 'done' AND u.depth > ? AND u.depth < ?`,
      crawlId,
      t.deepPageDepth,
      SITEMAP_DEPTH,
    );
  },
};
