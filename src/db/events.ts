// Queries for `events`: dated annotations ("site relaunch") drawn on every chart.
import type { Sql } from './store/types.ts';

export interface EventRow {
  id: number;
  siteId: number | null;
  day: string;
  title: string;
}

export async function addEvent(
  sql: Sql,
  e: { siteId: number | null; day: string; title: string },
  now: Date,
): Promise<number> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.day) || Number.isNaN(Date.parse(`${e.day}T00:00:00Z`)))
    throw new Error(`Event day must be a date like 2026-11-27, got "${e.day}"`);
  const title = e.title.trim();
  if (title.length < 1 || title.length > 200) throw new Error('Event title must be 1 to 200 characters');
  const r = await sql.get<{ id: number }>(
    'INSERT INTO events (site_id, day, title, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [e.siteId, e.day, title, now.toISOString()],
  );
  return r!.id;
}

/** Events for one site (plus those meant for every site) within [fromDay, toDay]. */
export async function listEvents(
  sql: Sql,
  siteId: number | null,
  fromDay: string,
  toDay: string,
): Promise<EventRow[]> {
  return sql.all<EventRow>(
    `SELECT id, site_id AS siteId, day, title FROM events
     WHERE (site_id IS NULL OR site_id = ?) AND day BETWEEN ? AND ? ORDER BY day, id`,
    [siteId, fromDay, toDay],
  );
}

/** Deletes one event of a site (not one meant for every site); false if there was none. */
export async function deleteEvent(sql: Sql, siteId: number, id: number): Promise<boolean> {
  return (await sql.run('DELETE FROM events WHERE id = ? AND site_id = ?', [id, siteId])).changes > 0;
}
