// Queries for `events`: dated annotations ("site relaunch") drawn on every chart.
import type { Db } from './open.ts';

export interface EventRow {
  id: number;
  siteId: number | null;
  day: string;
  title: string;
}

export function addEvent(
  db: Db,
  e: { siteId: number | null; day: string; title: string },
  now: Date,
): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.day) || Number.isNaN(Date.parse(`${e.day}T00:00:00Z`)))
    throw new Error(`Event day must be a date like 2026-11-27, got "${e.day}"`);
  const title = e.title.trim();
  if (title.length < 1 || title.length > 200) throw new Error('Event title must be 1 to 200 characters');
  const r = db
    .prepare('INSERT INTO events (site_id, day, title, created_at) VALUES (?, ?, ?, ?)')
    .run(e.siteId, e.day, title, now.toISOString());
  return Number(r.lastInsertRowid);
}

/** Events for one site (plus those meant for every site) within [fromDay, toDay]. */
export function listEvents(db: Db, siteId: number | null, fromDay: string, toDay: string): EventRow[] {
  return db
    .prepare(
      `SELECT id, site_id AS siteId, day, title FROM events
       WHERE (site_id IS NULL OR site_id = ?) AND day BETWEEN ? AND ? ORDER BY day, id`,
    )
    .all(siteId, fromDay, toDay) as EventRow[];
}

/** Deletes one event of a site (not one meant for every site); false if there was none. */
export function deleteEvent(db: Db, siteId: number, id: number): boolean {
  return db.prepare('DELETE FROM events WHERE id = ? AND site_id = ?').run(id, siteId).changes > 0;
}
