// Keeps the derived rank tables current: the daily position histogram the charts read (rank_daily) and
// each keyword's best position ever. Rebuilt from the chosen observation per keyword and day.
import type { Sql } from '../db/store/types.ts';

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
export function dailyWriter(sql: Sql) {
  return (siteId: number, engine: string, tag: string, day: string, h: DailyHistogram) =>
    sql.run(
      `INSERT INTO rank_daily (site_id, engine, tag, day, keywords, volume) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (site_id, engine, tag, day) DO UPDATE SET keywords = excluded.keywords, volume = excluded.volume`,
      [siteId, engine, tag, day, JSON.stringify(h.keywords), JSON.stringify(h.volume)],
    );
}

/** Rebuilds rank_daily for a site between two days (inclusive) and refreshes best positions. */
export function rebuildRankSummary(
  sql: Sql,
  siteId: number,
  from = '0000-00-00',
  to = '9999-99-99',
): Promise<void> {
  return sql.transaction(async (tx) => {
    await tx.run('DELETE FROM rank_daily WHERE site_id = ? AND day BETWEEN ? AND ?', [siteId, from, to]);
    // The chosen observation per keyword and day: the highest-priority source that saw it (exact
    // result pages over averages); failures never count, so a failed day is unknown, not "0". Read in
    // the primary key's order (keyword, day) with the best source first, and counted here: the SQL
    // stays the same on both databases (SQLite's bare columns beside max() and its round() — half away
    // from zero, where PostgreSQL's rounds half to even — are not portable). Bucket 0 = observed, not
    // in the top 100.
    const keywords = new Map<number, { engine: string; volume: number; tags: string[] }>();
    for (const k of await tx.all<{ id: number; engine: string; volume: number | null; tags: string }>(
      'SELECT id, engine, volume, tags FROM keywords WHERE site_id = ?',
      [siteId],
    ))
      keywords.set(k.id, {
        engine: k.engine,
        volume: k.volume ?? 0,
        tags: ['', ...(JSON.parse(k.tags) as string[])],
      });
    const observed = await tx.all<{
      keyword_id: number;
      day: string;
      state: string;
      position: number | null;
    }>(
      `SELECT o.keyword_id, o.day, o.state, o.position FROM rank_observations o
       WHERE o.keyword_id IN (SELECT id FROM keywords WHERE site_id = ?)
         AND o.state != 'failed' AND o.day BETWEEN ? AND ?
       ORDER BY o.keyword_id, o.day, o.priority DESC`,
      [siteId, from, to],
    );
    const packed = new Map<string, DailyHistogram>();
    let last = '';
    for (const o of observed) {
      const seen = `${o.keyword_id}\u0000${o.day}`;
      if (seen === last) continue; // a lower-priority source of the same keyword and day
      last = seen;
      const k = keywords.get(o.keyword_id);
      if (!k) continue;
      const position =
        o.state === 'ranked' && o.position !== null && o.position < 100.5 ? Math.round(o.position) : 0;
      for (const tag of k.tags) {
        const key = `${k.engine}\u0000${tag}\u0000${o.day}`;
        let h = packed.get(key);
        if (!h) packed.set(key, (h = emptyHistogram()));
        h.keywords[position]! += 1;
        h.volume[position]! += k.volume;
      }
    }
    const insert = dailyWriter(tx);
    for (const [key, h] of packed) {
      const [engine, tag, day] = key.split('\u0000') as [string, string, string];
      await insert(siteId, engine, tag, day, h);
    }
    await tx.run(
      `UPDATE keywords SET (best_position, best_day) = (
         SELECT o.position, o.day FROM rank_observations o
         WHERE o.keyword_id = keywords.id AND o.state = 'ranked'
         ORDER BY o.position, o.day DESC LIMIT 1)
       WHERE site_id = ?`,
      [siteId],
    );
    await refreshKeywordState(tx, siteId);
  });
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
export function refreshKeywordState(sql: Sql, siteId: number): Promise<void> {
  return sql.transaction(async (tx) => {
    const ids = await tx.all<{ id: number }>('SELECT id FROM keywords WHERE site_id = ?', [siteId]);
    for (const { id } of ids) {
      const cur = await tx.get<ObsRow>(
        `SELECT day, state, position, url, source, depth FROM rank_observations
         WHERE keyword_id = ? AND state != 'failed' ORDER BY day DESC, priority DESC LIMIT 1`,
        [id],
      );
      const change = async (days: number) => {
        if (!cur || cur.state !== 'ranked') return null;
        const then = await tx.get<ObsRow>(
          `SELECT state, position FROM rank_observations
           WHERE keyword_id = ? AND day = ? AND state != 'failed' ORDER BY priority DESC LIMIT 1`,
          [id, shiftDay(cur.day, -days)],
        );
        if (!then || then.state !== 'ranked') return null;
        return Math.round((then.position! - cur.position!) * 10) / 10;
      };
      const fail = await tx.get<ObsRow>(
        `SELECT day, source, error, error_kind FROM rank_observations
         WHERE keyword_id = ? AND state = 'failed' AND day >= ? ORDER BY day DESC LIMIT 1`,
        [id, cur?.day ?? '0000-00-00'],
      );
      await tx.run(
        `UPDATE keywords SET cur_day = ?, cur_state = ?, cur_position = ?, cur_url = ?, cur_source = ?, cur_depth = ?,
           change7 = ?, change30 = ?, fail_day = ?, fail_source = ?, fail_error = ?, fail_kind = ? WHERE id = ?`,
        [
          cur?.day ?? null,
          cur?.state ?? null,
          cur?.position ?? null,
          cur?.url ?? null,
          cur?.source ?? null,
          cur?.depth ?? null,
          await change(7),
          await change(30),
          fail?.day ?? null,
          fail?.source ?? null,
          fail?.error ?? null,
          fail?.error_kind ?? null,
          id,
        ],
      );
    }
  });
}

const shiftDay = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
