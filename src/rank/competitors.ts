// How the site and its competitors stand on the latest stored result page of each keyword: top-10 counts,
// keywords in common and average positions on them.
import type { Sql } from '../db/store/types.ts';
import type { Engine } from './types.ts';

export interface CompetitorStat {
  domain: string;
  /** Keywords whose latest stored result page has the domain in the top 10. */
  top10: number;
  /** Keywords where both the site and this domain appear on the latest page. */
  common: number;
  /** The domain's average position on those keywords, and the site's on the same keywords. */
  avgPosition: number | null;
  siteAvgPosition: number | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Competitors on the latest stored result page (up to `today`) of each of the site's keywords, within an
 * engine and a tag when given. `own` is the site's domain; subdomains count for their domain.
 */
export async function competitorStats(
  sql: Sql,
  siteId: number,
  own: string,
  today: string,
  domains: readonly string[],
  filter: { engine?: Engine; tag?: string } = {},
): Promise<CompetitorStat[]> {
  const all = [own, ...domains.filter((d) => d !== own)];
  const match = all.map(() => '(r.domain = ? OR r.domain LIKE ?)').join(' OR ');
  // The latest page per keyword first (one indexed look-up each), then only its results for our domains.
  const rows = await sql.all<{ keywordId: number; domain: string; position: number }>(
    `WITH latest AS (
         SELECT k.id AS keyword_id,
                (SELECT p.id FROM serp_pages p WHERE p.keyword_id = k.id AND p.day <= ?
                 ORDER BY p.day DESC, p.source LIMIT 1) AS page_id
         FROM keywords k
         WHERE k.site_id = ? AND (? IS NULL OR k.engine = ?)
           AND (? IS NULL OR EXISTS (SELECT 1 FROM keyword_tags t WHERE t.keyword_id = k.id AND t.tag = ?))
       )
       SELECT l.keyword_id AS keywordId, r.domain, min(r.position) AS position
       FROM latest l JOIN serp_results r ON r.page_id = l.page_id
       WHERE ${match}
       GROUP BY l.keyword_id, r.domain`,
    [
      today,
      siteId,
      filter.engine ?? null,
      filter.engine ?? null,
      filter.tag ?? null,
      filter.tag ?? null,
      ...all.flatMap((d) => [d, `%.${d}`]),
    ],
  );
  // Best position per (domain we track, keyword): subdomains count for their domain.
  const best = new Map<string, Map<number, number>>(all.map((d) => [d, new Map()]));
  for (const r of rows)
    for (const d of all)
      if (r.domain === d || r.domain.endsWith(`.${d}`)) {
        const m = best.get(d)!;
        m.set(r.keywordId, Math.min(m.get(r.keywordId) ?? Infinity, r.position));
      }
  const mine = best.get(own)!;
  return domains.map((domain) => {
    const theirs = best.get(domain) ?? new Map<number, number>();
    const common = [...theirs.keys()].filter((k) => mine.has(k));
    const avg = (m: Map<number, number>) =>
      common.length ? round1(common.reduce((s, k) => s + m.get(k)!, 0) / common.length) : null;
    return {
      domain,
      top10: [...theirs.values()].filter((p) => p <= 10).length,
      common: common.length,
      avgPosition: avg(theirs),
      siteAvgPosition: avg(mine),
    };
  });
}
