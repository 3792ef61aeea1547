// Helpers for crawl-wide rules: insert one issue per row a query returns.
import type { Db } from '../../db/open.ts';
import { en, type RuleId } from '../../i18n/messages/audit-rules.ts';
import type { RuleInfo } from '../types.ts';

/** Runs `select` (which must return url_id and details columns) and files each row as an issue of `rule`. */
export function fileIssues(
  db: Db,
  crawlId: number,
  rule: RuleInfo,
  select: string,
  ...params: unknown[]
): void {
  db.prepare(
    `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity, details)
     SELECT ?, url_id, ?, ?, details FROM (${select})`,
  ).run(crawlId, rule.id, rule.severity, ...params);
}

/** "linked from 3 pages, e.g. https://…" for the url row aliased as u. */
export const LINKED_FROM = `(SELECT CASE WHEN COUNT(DISTINCT l.from_id) = 0 THEN 'not linked from any crawled page'
  ELSE 'linked from ' || COUNT(DISTINCT l.from_id) || ' page(s), e.g. ' || (SELECT f.url FROM crawl_links l2 INDEXED BY crawl_links_to JOIN crawl_urls f ON f.id = l2.from_id WHERE l2.crawl_id = u.crawl_id AND l2.to_id = u.id AND l2.kind NOT IN ('canonical', 'hreflang') LIMIT 1) END
  FROM crawl_links l INDEXED BY crawl_links_to WHERE l.crawl_id = u.crawl_id AND l.to_id = u.id AND l.kind NOT IN ('canonical', 'hreflang'))`;

export const HTML_PAGE = `u.kind = 'page' AND u.state = 'done' AND u.status BETWEEN 200 AND 299 AND u.title_count IS NOT NULL`;

/** A rule; its words come from the catalogue, so a rule id without them does not compile. */
export function rule(id: RuleId, severity: RuleInfo['severity']): RuleInfo {
  return { id, severity, title: en.rules[id].name };
}
