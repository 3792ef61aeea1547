// Read side of rankings for the dashboard: Search Console clicks per day, one keyword's observations and
// its latest stored result pages.
import type { Db } from '../db/open.ts';
import { listKeywords } from './store.ts';
import type { Engine, FailureKind, ObservationState } from './types.ts';

/**
 * Search Console clicks per day over `labels` (null = no statistics that day), or null when there are none
 * at all or the engine is not Google. With a tag, only the queries of the keywords carrying it count.
 */
export function searchClicksPerDay(
  db: Db,
  siteId: number,
  labels: readonly string[],
  filter: { engine?: Engine; tag?: string } = {},
): (number | null)[] | null {
  if (filter.engine && filter.engine !== 'google') return null;
  const from = labels[0]!;
  const to = labels[labels.length - 1]!;
  const byDay = new Map<string, number>();
  if (filter.tag) {
    const queries = new Set(
      listKeywords(db, siteId, { tag: filter.tag }).map((k) => k.query.toLocaleLowerCase()),
    );
    const rows = db
      .prepare(
        `SELECT day, query, sum(clicks) AS clicks FROM search_stats
         WHERE site_id = ? AND source = 'gsc' AND day BETWEEN ? AND ? GROUP BY day, query`,
      )
      .all(siteId, from, to) as { day: string; query: string; clicks: number }[];
    for (const r of rows) {
      byDay.set(r.day, (byDay.get(r.day) ?? 0) + (queries.has(r.query.toLocaleLowerCase()) ? r.clicks : 0));
    }
  } else {
    const rows = db
      .prepare(
        `SELECT day, sum(clicks) AS clicks FROM search_stats
         WHERE site_id = ? AND source = 'gsc' AND day BETWEEN ? AND ? GROUP BY day`,
      )
      .all(siteId, from, to) as { day: string; clicks: number }[];
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
export function keywordObservations(db: Db, keywordId: number): ObservationRow[] {
  return db
    .prepare(
      `SELECT day, source, state, position, url, depth, error, error_kind AS errorKind FROM rank_observations
       WHERE keyword_id = ? ORDER BY day DESC, priority DESC, source`,
    )
    .all(keywordId) as ObservationRow[];
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
export function latestResultPages(db: Db, keywordId: number, today: string): StoredResultPage[] {
  const pages = db
    .prepare(
      `SELECT id, day, source, depth FROM serp_pages
       WHERE keyword_id = ? AND day = (SELECT max(day) FROM serp_pages WHERE keyword_id = ? AND day <= ?) ORDER BY source`,
    )
    .all(keywordId, keywordId, today) as Omit<StoredResultPage, 'results'>[];
  const results = db.prepare(
    'SELECT position, url, domain, title FROM serp_results WHERE page_id = ? AND position <= 10 ORDER BY position',
  );
  return pages.map((p) => ({ ...p, results: results.all(p.id) as StoredResult[] }));
}
