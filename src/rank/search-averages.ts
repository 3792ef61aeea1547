// The search_averages table: period averages imported from Search Console and Yandex Webmaster exports —
// written one export at a time, read by the Rankings page. Never rank observations (migration 009).
import type { Sql } from '../db/store/types.ts';
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
export async function replaceSearchAverages(
  sql: Sql,
  siteId: number,
  source: AverageSource,
  period: AveragePeriod,
  tables: { dimension: AverageDimension; rows: AverageRow[] }[],
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  let written = 0;
  await sql.transaction(async (tx) => {
    for (const t of tables) {
      await tx.run(
        `DELETE FROM search_averages
         WHERE site_id = ? AND source = ? AND dimension = ? AND period_from = ? AND period_to = ?`,
        [siteId, source, t.dimension, period.from, period.to],
      );
      for (const r of t.rows) {
        await tx.run(
          `INSERT INTO search_averages
             (site_id, source, dimension, period_from, period_to, key, clicks, impressions, ctr, position, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
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
          ],
        );
        written++;
      }
    }
  });
  return written;
}

/** The periods a source has rows for in a dimension, latest end first. */
export function averagePeriods(
  sql: Sql,
  siteId: number,
  source: AverageSource,
  dimension: AverageDimension,
): Promise<(AveragePeriod & { rows: number })[]> {
  return sql.all<AveragePeriod & { rows: number }>(
    `SELECT period_from AS "from", period_to AS "to", count(*) AS rows FROM search_averages
       WHERE site_id = ? AND source = ? AND dimension = ?
       GROUP BY period_from, period_to ORDER BY period_to DESC, period_from DESC`,
    [siteId, source, dimension],
  );
}

/** One period's rows, most clicks first (then most impressions, then key), a page at a time. */
export async function topAverages(
  sql: Sql,
  siteId: number,
  q: {
    source: AverageSource;
    dimension: AverageDimension;
    period: AveragePeriod;
    limit: number;
    offset: number;
  },
): Promise<{ rows: StoredAverage[]; total: number }> {
  const args = [siteId, q.source, q.dimension, q.period.to, q.period.from];
  const where = 'site_id = ? AND source = ? AND dimension = ? AND period_to = ? AND period_from = ?';
  const rows = await sql.all<StoredAverage>(
    `SELECT key, clicks, impressions, ctr, position FROM search_averages WHERE ${where}
     ORDER BY clicks DESC, impressions DESC, key LIMIT ? OFFSET ?`,
    [...args, q.limit, q.offset],
  );
  const total = await sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM search_averages WHERE ${where}`,
    args,
  );
  return { rows, total: total!.n };
}
