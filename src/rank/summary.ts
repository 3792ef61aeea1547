// Keeps the derived rank tables current: the daily position histogram the charts read (rank_daily) and
// each keyword's best position ever. Rebuilt from the chosen observation per keyword and day.
import type { Db } from '../db/open.ts';

/** Keywords and search volume per position bucket (index 0 = not in the top 100). */
export interface DailyHistogram {
  keywords: number[];
  volume: number[];
}

export const emptyHistogram = (): DailyHistogram => ({
  keywords: new Array<number>(101).fill(0),
  volume: new Array<number>(101).fill(0),
});

/** Writes (replacing) one day's histogram. */
export function dailyWriter(db: Db) {
  const stmt = db.prepare(
    `INSERT OR REPLACE INTO rank_daily (site_id, engine, tag, day, keywords, volume) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  return (siteId: number, engine: string, tag: string, day: string, h: DailyHistogram) =>
    stmt.run(siteId, engine, tag, day, JSON.stringify(h.keywords), JSON.stringify(h.volume));
}

/** Rebuilds rank_daily for a site between two days (inclusive) and refreshes best positions. */
export function rebuildRankSummary(db: Db, siteId: number, from = '0000-00-00', to = '9999-99-99'): void {
  db.transaction(() => {
    db.prepare('DELETE FROM rank_daily WHERE site_id = ? AND day BETWEEN ? AND ?').run(siteId, from, to);
    // The chosen observation per keyword and day: the highest-priority source that saw it (exact
    // result pages over averages); failures never count, so a failed day is unknown, not "0".
    // SQLite returns the other columns of the row holding max() when max() is the only aggregate
    // (https://sqlite.org/lang_select.html#bare_columns_in_an_aggregate_query), and the primary key's
    // order (keyword, day, source) lets it stream without sorting. Kept in a temporary table because
    // two aggregates read it (all keywords, and per tag). position 0 = observed, not in the top 100.
    db.exec('DROP TABLE IF EXISTS temp.rank_chosen');
    db.prepare(
      `CREATE TEMP TABLE rank_chosen AS
       SELECT o.keyword_id AS keyword_id, o.day AS day,
              CASE WHEN o.state = 'ranked' AND o.position < 100.5 THEN CAST(round(o.position) AS INTEGER) ELSE 0 END AS position,
              max(o.priority) AS priority
       FROM rank_observations o
       WHERE o.keyword_id IN (SELECT id FROM keywords WHERE site_id = :site)
         AND o.state != 'failed' AND o.day BETWEEN :from AND :to
       GROUP BY o.keyword_id, o.day`,
    ).run({ site: siteId, from, to });
    const grouped = db
      .prepare(
        `SELECT k.engine, '' AS tag, c.day, c.position, count(*) AS n, sum(coalesce(k.volume, 0)) AS v
         FROM temp.rank_chosen c JOIN keywords k ON k.id = c.keyword_id GROUP BY k.engine, c.day, c.position
         UNION ALL
         SELECT k.engine, t.tag, c.day, c.position, count(*), sum(coalesce(k.volume, 0))
         FROM temp.rank_chosen c JOIN keywords k ON k.id = c.keyword_id JOIN keyword_tags t ON t.keyword_id = c.keyword_id
         GROUP BY k.engine, t.tag, c.day, c.position`,
      )
      .raw()
      .all() as [string, string, string, number, number, number][];
    const packed = new Map<string, DailyHistogram>();
    for (const [engine, tag, day, position, n, v] of grouped) {
      const key = `${engine}\u0000${tag}\u0000${day}`;
      let h = packed.get(key);
      if (!h) packed.set(key, (h = emptyHistogram()));
      h.keywords[position] = n;
      h.volume[position] = v;
    }
    const insert = dailyWriter(db);
    for (const [key, h] of packed) {
      const [engine, tag, day] = key.split('\u0000') as [string, string, string];
      insert(siteId, engine, tag, day, h);
    }
    db.exec('DROP TABLE temp.rank_chosen');
    db.prepare(
      `UPDATE keywords SET (best_position, best_day) = (
         SELECT o.position, o.day FROM rank_observations o
         WHERE o.keyword_id = keywords.id AND o.state = 'ranked'
         ORDER BY o.position, o.day DESC LIMIT 1)
       WHERE site_id = ?`,
    ).run(siteId);
    refreshKeywordState(db, siteId);
  })();
}

interface ObsRow {
  day: string;
  state: string;
  position: number | null;
  url: string | null;
  source: string;
  depth: number | null;
  error: string | null;
  error_kind: string | null;
}

/**
 * Stores each keyword's latest observation, its change over 7 and 30 days and its latest failure (the
 * cur_*, change*, fail_* columns): a few indexed look-ups per keyword, done once per write instead of
 * on every page view.
 */
export function refreshKeywordState(db: Db, siteId: number): void {
  const latest = db.prepare(
    `SELECT day, state, position, url, source, depth FROM rank_observations
     WHERE keyword_id = ? AND state != 'failed' ORDER BY day DESC, priority DESC LIMIT 1`,
  );
  const latestFailure = db.prepare(
    `SELECT day, source, error, error_kind FROM rank_observations
     WHERE keyword_id = ? AND state = 'failed' AND day >= ? ORDER BY day DESC LIMIT 1`,
  );
  const onDay = db.prepare(
    `SELECT state, position FROM rank_observations
     WHERE keyword_id = ? AND day = ? AND state != 'failed' ORDER BY priority DESC LIMIT 1`,
  );
  const update = db.prepare(
    `UPDATE keywords SET cur_day = ?, cur_state = ?, cur_position = ?, cur_url = ?, cur_source = ?, cur_depth = ?,
       change7 = ?, change30 = ?, fail_day = ?, fail_source = ?, fail_error = ?, fail_kind = ? WHERE id = ?`,
  );
  const ids = db.prepare('SELECT id FROM keywords WHERE site_id = ?').pluck().all(siteId) as number[];
  db.transaction(() => {
    for (const id of ids) {
      const cur = latest.get(id) as ObsRow | undefined;
      const change = (days: number) => {
        if (!cur || cur.state !== 'ranked') return null;
        const then = onDay.get(id, shiftDay(cur.day, -days)) as ObsRow | undefined;
        if (!then || then.state !== 'ranked') return null;
        return Math.round((then.position! - cur.position!) * 10) / 10;
      };
      const fail = latestFailure.get(id, cur?.day ?? '0000-00-00') as ObsRow | undefined;
      update.run(
        cur?.day ?? null,
        cur?.state ?? null,
        cur?.position ?? null,
        cur?.url ?? null,
        cur?.source ?? null,
        cur?.depth ?? null,
        change(7),
        change(30),
        fail?.day ?? null,
        fail?.source ?? null,
        fail?.error ?? null,
        fail?.error_kind ?? null,
        id,
      );
    }
  })();
}

const shiftDay = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
