// Rules on rel=canonical (https://developers.google.com/search/docs/crawling-indexing/consolidate-duplicate-urls).
import type { IssueInput, RuleFamily } from '../types.ts';
import { fileIssues, rule } from './sql.ts';

const R = {
  missing: rule('canonical-missing', 'notice'),
  multiple: rule('canonical-multiple', 'warning'),
  relative: rule('canonical-relative', 'notice'),
  elsewhere: rule('canonicalised', 'notice'),
  toNon200: rule('canonical-to-non-200', 'error'),
  toRedirect: rule('canonical-to-redirect', 'warning'),
  toNoindex: rule('canonical-to-noindex', 'error'),
};

export const canonicalRules: RuleFamily = {
  id: 'canonicals',
  rules: Object.values(R),
  page(f) {
    const out: IssueInput[] = [];
    const raw = f.html.canonicals;
    if (raw.length === 0) out.push({ rule: R.missing.id });
    if (new Set(raw).size > 1) out.push({ rule: R.multiple.id, details: raw.slice(0, 3).join(' | ') });
    if (raw[0] !== undefined && !/^https?:\/\//i.test(raw[0]))
      out.push({ rule: R.relative.id, details: raw[0] });
    if (f.canonicalResolved && f.canonicalResolved !== f.url)
      out.push({ rule: R.elsewhere.id, details: `→ ${f.canonicalResolved}` });
    return out;
  },
  async crawl(sql, crawlId) {
    const sel = (where: string, detail: string) =>
      `SELECT u.id AS url_id, ${detail} AS details FROM crawl_urls u JOIN crawl_urls c ON c.crawl_id = u.crawl_id AND c.url = u.canonical
       WHERE u.crawl_id = ? AND u.canonical IS NOT NULL AND u.canonical <> u.url AND ${where}`;
    await fileIssues(
      sql,
      crawlId,
      R.toNon200,
      sel(
        `c.state = 'done' AND c.location IS NULL AND (c.status IS NULL OR c.status NOT BETWEEN 200 AND 299)`,
        `u.canonical || ' answered ' || COALESCE(CAST(c.status AS TEXT), c.error)`,
      ),
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.toRedirect,
      sel(`c.location IS NOT NULL`, `u.canonical || ' redirects to ' || COALESCE(c.final_url, c.location)`),
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.toNoindex,
      sel(`c.noindex = 1`, `u.canonical || ' is noindex'`),
      crawlId,
    );
  },
};
