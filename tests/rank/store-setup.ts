// Seeds for the rankings query tests that run on both storage backends: sites inserted with portable SQL
// (src/db/sites.ts, which syncs them from the config, still speaks to better-sqlite3 only).
import type { Sql } from '../../src/db/store/types.ts';

export interface SeededSite {
  id: number;
  name: string;
  baseUrl: string;
  timeZone: string;
}

/** Adds a site row and gives it back as the tests use it. */
export async function addSite(
  sql: Sql,
  name: string,
  baseUrl = `https://${name}.example/`,
  timeZone = 'Europe/Moscow',
): Promise<SeededSite> {
  const row = await sql.get<{ id: number }>(
    'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [name, baseUrl, timeZone, '2026-01-01T00:00:00.000Z'],
  );
  return { id: row!.id, name, baseUrl, timeZone };
}
