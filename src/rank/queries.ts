// Read side of rankings for the dashboard: Search Console clicks per day, one keyword's observations and
// its latest stored result pages.
import type { Sql } from '../db/store/types.ts';
import type { Engine, FailureKind, ObservationState } from './types.ts';

/**
 * Search Console clicks per day over `labels` (null = no statistics that day), or null when there are none
 * at all or the engine is not Google. With a tag, only the queries of the keywords carrying it count.
 */
export async function searchClicksPerDay(
  sql: Sql,
  siteId: number,
  labels: readonly string[],
  filter: { engine?: Engine; tag?: string } = {},
): Promise<(number | null)[] | null> {
  if (filter.engine && filter.engine !== 'google') return null;
  const from = labels[0]!;
  const to = labels[labels.length - 1]!;
  const byDay = new Map<string, number>();
  if (filter.tag) {
    const tagged = await sql.all<{ query: string }>(
      `SELECT k.query FROM keywords k JOIN keyword_tags t ON t.keyword_id = k.id
       WHERE k.site_id = ? AND t.tag = ?`,
      [siteId, filter.tag],
    );
    const queries = new Set(tagged.map((k) => k.query.toLocaleLowerCase()));
    const rows = await sql.all<{ day: string; query: string; clicks: number }>(
      `SELECT day, query, sum(clicks) AS clicks FROM search_stats
       WHERE site_id = ? AND source = 'gsc' AND day BETWEEN ? AND ? GROUP BY day, query`,
      [siteId, from, to],
    );
    for (const r of rows) {
      byDay.set(r.day, (byDay.get(r.day) ?? 0) + (queries.has(r.query.toLocaleLowerCase()) ? r.clicks : 0));
    }
  } else {
    const rows = await sql.all<{ day: string; clicks: number }>(
      `SELECT day, sum(clicks) AS clicks FROM search_stats
       WHERE site_id = ? AND source = 'gsc' AND day BETWEEN ? AND ? GROUP BY day`,
      [siteId, from, to],
    );
    for (const r of rows) byDay.set(r.day, r.clicks);
  }
  if (byDay.size === 0) return null;
  return labels.map((d) => byDay.get(d) ?? null);
}

export interface ObservationRow {
  day: string;
  source: string;
  state: ObservationState;
  position: number | null;
  url: string | null;
  depth: number | null;
  error: string | null;
  errorKind: FailureKind | null;
}

/** Every observation of a keyword, newest first (on one day, the source that wins first). */
export function keywordObservations(sql: Sql, keywordId: number): Promise<ObservationRow[]> {
  return sql.all<ObservationRow>(
    `SELECT day, source, state, position, url, depth, error, error_kind AS errorKind FROM rank_observations
     WHERE keyword_id = ? ORDER BY day DESC, priority DESC, source`,
    [keywordId],
  );
}

export interface StoredResult {
  position: number;
  url: string;
  domain: string;
  title: string | null;
}

export interface StoredResultPage {
  id: number;
  day: string;
  source: string;
  depth: number;
  /** The page's top 10, by position. */
  results: StoredResult[];
}

/** The result pages stored for a keyword on its latest day up to `today` (one per source), with their top 10. */
export async function latestResultPages(
  sql: Sql,
  keywordId: number,
  today: string,
): Promise<StoredResultPage[]> {
  const pages = await sql.all<Omit<StoredResultPage, 'results'>>(
    `SELECT id, day, source, depth FROM serp_pages
     WHERE keyword_id = ? AND day = (SELECT max(day) FROM serp_pages WHERE keyword_id = ? AND day <= ?) ORDER BY source`,
    [keywordId, keywordId, today],
  );
  const out: StoredResultPage[] = [];
  for (const p of pages)
    out.push({
      ...p,
      results: await sql.all<StoredResult>(
        'SELECT position, url, domain, title FROM serp_results WHERE page_id = ? AND position <= 10 ORDER BY position',
        [p.id],
      ),
    });
  return out;
}
