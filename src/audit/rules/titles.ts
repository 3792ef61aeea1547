// Rules on titles, meta descriptions and H1s: missing, multiple, duplicate across pages, too short or long.
import type { IssueInput, RuleFamily } from '../types.ts';
import { fileIssues, HTML_PAGE, rule } from './sql.ts';

const R = {
  titleMissing: rule('title-missing', 'error'),
  titleMultiple: rule('title-multiple', 'warning'),
  titleShort: rule('title-too-short', 'notice'),
  titleLong: rule('title-too-long', 'notice'),
  titleDuplicate: rule('title-duplicate', 'warning'),
  descMissing: rule('description-missing', 'warning'),
  descMultiple: rule('description-multiple', 'warning'),
  descShort: rule('description-too-short', 'notice'),
  descLong: rule('description-too-long', 'notice'),
  descDuplicate: rule('description-duplicate', 'warning'),
  h1Missing: rule('h1-missing', 'warning'),
  h1Multiple: rule('h1-multiple', 'notice'),
  h1Long: rule('h1-too-long', 'notice'),
  h1Duplicate: rule('h1-duplicate', 'notice'),
};

export const titleRules: RuleFamily = {
  id: 'titles',
  rules: Object.values(R),
  page(f, t) {
    const out: IssueInput[] = [];
    const { title, titleCount, metaDescription: desc, metaDescriptionCount, h1 } = f.html;
    if (!title) out.push({ rule: R.titleMissing.id });
    else {
      if (title.length < t.titleMinChars)
        out.push({ rule: R.titleShort.id, details: `${title.length} characters: "${title}"` });
      if (title.length > t.titleMaxChars)
        out.push({ rule: R.titleLong.id, details: `${title.length} characters: "${title}"` });
    }
    if (titleCount > 1) out.push({ rule: R.titleMultiple.id, details: `${titleCount} <title> elements` });
    if (!desc) out.push({ rule: R.descMissing.id });
    else {
      if (desc.length < t.descriptionMinChars)
        out.push({ rule: R.descShort.id, details: `${desc.length} characters` });
      if (desc.length > t.descriptionMaxChars)
        out.push({ rule: R.descLong.id, details: `${desc.length} characters` });
    }
    if (metaDescriptionCount > 1)
      out.push({ rule: R.descMultiple.id, details: `${metaDescriptionCount} descriptions` });
    if (h1.length === 0 || h1.every((h) => h === '')) out.push({ rule: R.h1Missing.id });
    if (h1.length > 1) out.push({ rule: R.h1Multiple.id, details: `${h1.length} H1s` });
    const longH1 = h1.find((h) => h.length > t.h1MaxChars);
    if (longH1) out.push({ rule: R.h1Long.id, details: `${longH1.length} characters` });
    return out;
  },
  async crawl(sql, crawlId) {
    // Duplicates among indexable 2xx HTML pages only: a noindex or canonicalised copy is not competing.
    const dup = (rule: typeof R.titleDuplicate, column: string) =>
      fileIssues(
        sql,
        crawlId,
        rule,
        `SELECT u.id AS url_id, 'shared by ' || d.n || ' pages: "' || substr(u.${column}, 1, 120) || '"' AS details
         FROM crawl_urls u JOIN (SELECT ${column} AS v, COUNT(*) AS n FROM crawl_urls u WHERE u.crawl_id = ? AND ${HTML_PAGE}
           AND COALESCE(u.noindex, 0) = 0 AND (u.canonical IS NULL OR u.canonical = u.url) AND ${column} IS NOT NULL AND ${column} NOT IN ('', '[]', '[""]') GROUP BY ${column} HAVING COUNT(*) > 1) d
         ON d.v = u.${column}
         WHERE u.crawl_id = ? AND ${HTML_PAGE} AND COALESCE(u.noindex, 0) = 0 AND (u.canonical IS NULL OR u.canonical = u.url)`,
        crawlId,
        crawlId,
      );
    await dup(R.titleDuplicate, 'title');
    await dup(R.descDuplicate, 'meta_description');
    await dup(R.h1Duplicate, 'h1');
  },
};
