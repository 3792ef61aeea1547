// Helpers for crawl-wide rules: insert one issue per row a query returns. The SQL is spoken by both
// backends (src/db/store/types.ts); where the dialects differ, the helper takes the store's dialect.
import type { Sql } from '../../db/store/types.ts';
import { en, type RuleId } from '../../i18n/messages/audit-rules.ts';
import type { RuleInfo } from '../types.ts';

/** Runs `select` (which must return url_id and details columns) and files each row as an issue of `rule`. */
export async function fileIssues(
  sql: Sql,
  crawlId: number,
  rule: RuleInfo,
  select: string,
  ...params: unknown[]
): Promise<void> {
  // The casts type the select-list parameters: PostgreSQL would otherwise take them as text, and
  // a subquery in FROM needs an alias there (before version 16).
  await sql.run(
    `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity, details)
     SELECT CAST(? AS BIGINT), url_id, CAST(? AS TEXT), CAST(? AS TEXT), details FROM (${select}) AS found`,
    [crawlId, rule.id, rule.severity, ...params],
  );
}

/** One issue row per entry, in one multi-row insert per 200 (rules that judge in JS, not in SQL). */
export async function insertIssues(
  sql: Sql,
  crawlId: number,
  rows: readonly { urlId: number | null; rule: RuleInfo; details: string | null }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await sql.run(
      `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity, details) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((r) => [crawlId, r.urlId, r.rule.id, r.rule.severity, r.details]),
    );
  }
}

/**
 * "linked from 3 pages, e.g. https://…" for the url row aliased as u, from the crawl's inlinks
 * (crawl_inlinks: one row per source page and kind), the same SQL on both backends.
 */
export function linkedFrom(): string {
  return `(SELECT CASE WHEN COUNT(*) = 0 THEN 'not linked from any crawled page'
  ELSE 'linked from ' || COUNT(DISTINCT i.from_id) || ' page(s), e.g. ' || (SELECT f.url FROM crawl_inlinks i2 JOIN crawl_urls f ON f.id = i2.from_id WHERE i2.crawl_id = u.crawl_id AND i2.to_id = u.id AND i2.kind NOT IN ('canonical', 'hreflang') ORDER BY f.url LIMIT 1) END
  FROM crawl_inlinks i WHERE i.crawl_id = u.crawl_id AND i.to_id = u.id AND i.kind NOT IN ('canonical', 'hreflang'))`;
}

export const HTML_PAGE = `u.kind = 'page' AND u.state = 'done' AND u.status BETWEEN 200 AND 299 AND u.title_count IS NOT NULL`;

/** A rule; its words come from the catalogue, so a rule id without them does not compile. */
export function rule(id: RuleId, severity: RuleInfo['severity']): RuleInfo {
  return { id, severity, title: en.rules[id].name };
}
