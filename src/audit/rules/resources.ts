// Rules on images and other embedded resources, and on http links from an https site.
import type { IssueInput, RuleFamily } from '../types.ts';
import { fileIssues, rule } from './sql.ts';

const R = {
  alt: rule('image-missing-alt', 'warning'),
  oversized: rule('image-oversized', 'notice'),
  mixed: rule('mixed-content', 'error'),
  httpLink: rule('http-link-from-https', 'notice'),
};

export const resourceRules: RuleFamily = {
  id: 'resources',
  rules: Object.values(R),
  page(f) {
    const out: IssueInput[] = [];
    const noAlt = f.resolvedLinks.filter((l) => l.kind === 'img' && l.hasAlt === false);
    if (noAlt.length)
      out.push({ rule: R.alt.id, details: `${noAlt.length} image(s), e.g. ${noAlt[0]!.raw.slice(0, 200)}` });
    if (f.url.startsWith('https:')) {
      const mixed = f.resolvedLinks.filter((l) => l.kind !== 'a' && l.url?.startsWith('http:'));
      if (mixed.length)
        out.push({ rule: R.mixed.id, details: `${mixed.length} resource(s), e.g. ${mixed[0]!.url}` });
      const http = f.resolvedLinks.filter((l) => l.kind === 'a' && l.url?.startsWith('http:'));
      if (http.length)
        out.push({ rule: R.httpLink.id, details: `${http.length} link(s), e.g. ${http[0]!.url}` });
    }
    return out;
  },
  async crawl(sql, crawlId, t) {
    await fileIssues(
      sql,
      crawlId,
      R.oversized,
      `SELECT u.id AS url_id, (u.bytes / 1024) || ' KB' AS details FROM crawl_urls u
       WHERE u.crawl_id = ? AND u.kind IN ('resource', 'external') AND u.bytes > ?
         AND EXISTS (SELECT 1 FROM crawl_inlinks i WHERE i.crawl_id = u.crawl_id AND i.to_id = u.id AND i.kind = 'img')`,
      crawlId,
      t.imageMaxBytes,
    );
  },
};
