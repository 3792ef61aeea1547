// The search_averages table: period averages imported from Search Console and Yandex Webmaster exports —
// written one export at a time, read by the Rankings page. Never rank observations (migration 009).
import type { Db } from '../db/open.ts';
import type { AverageDimension, AverageRow, AverageSource } from './search-export-cells.ts';

export interface AveragePeriod {
  from: string;
  to: string;
}

export interface StoredAverage {
  key: string;
  clicks: number;
  impressions: number;
  ctr: number | null;
  position: number | null;
}

/**
 * Replaces what `source` gave for the site over `period` in each dimension present, in one transaction:
 * a re-import of the same export leaves exactly its rows; other periods and dimensions stay.
 */
export function replaceSearchAverages(
  db: Db,
  siteId: number,
  source: AverageSource,
  period: AveragePeriod,
  tables: { dimension: AverageDimension; rows: AverageRow[] }[],
  now: Date,
): number {
  const remove = db.prepare(
    `DELETE FROM search_averages
     WHERE site_id = ? AND source = ? AND dimension = ? AND period_from = ? AND period_to = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO search_averages
       (site_id, source, dimension, period_from, period_to, key, clicks, impressions, ctr, position, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = now.toISOString();
  let written = 0;
  db.transaction(() => {
    for (const t of tables) {
      remove.run(siteId, source, t.dimension, period.from, period.to);
      for (const r of t.rows) {
        insert.run(
          siteId,
          source,
          t.dimension,
          period.from,
          period.to,
          r.key,
          r.clicks,
          r.impressions,
          r.ctr,
          r.position,
          at,
        );
        written++;
      }
    }
  })();
  return written;
}

/** The periods a source has rows for in a dimension, latest end first. */
export function averagePeriods(
  db: Db,
  siteId: number,
  source: AverageSource,
  dimension: AverageDimension,
): (AveragePeriod & { rows: number })[] {
  return db
    .prepare(
      `SELECT period_from AS "from", period_to AS "to", count(*) AS rows FROM search_averages
       WHERE site_id = ? AND source = ? AND dimension = ?
       GROUP BY period_from, period_to ORDER BY period_to DESC, period_from DESC`,
    )
    .all(siteId, source, dimension) as (AveragePeriod & { rows: number })[];
}

/** One period's rows, most clicks first (then most impressions, then key), a page at a time. */
export function topAverages(
  db: Db,
  siteId: number,
  q: {
    source: AverageSource;
    dimension: AverageDimension;
    period: AveragePeriod;
    limit: number;
    offset: number;
  },
): { rows: StoredAverage[]; total: number } {
  const args = [siteId, q.source, q.dimension, q.period.to, q.period.from];
  const where = 'site_id = ? AND source = ? AND dimension = ? AND period_to = ? AND period_from = ?';
  const rows = db
    .prepare(
      `SELECT key, clicks, impressions, ctr, position FROM search_averages WHERE ${where}
       ORDER BY clicks DESC, impressions DESC, key LIMIT ? OFFSET ?`,
    )
    .all(...args, q.limit, q.offset) as StoredAverage[];
  const total = db
    .prepare(`SELECT count(*) FROM search_averages WHERE ${where}`)
    .pluck()
    .get(...args) as number;
  return { rows, total };
}
