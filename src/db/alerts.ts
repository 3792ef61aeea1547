// Queries for `alerts`: what was raised, to whom, and whether it was delivered.
import type { Db } from './open.ts';

export interface AlertInput {
  siteId: number | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  channel: string;
  recipient: string;
}

export interface AlertRow extends AlertInput {
  id: number;
  raisedAt: string;
  deliveredAt: string | null;
  attempts: number;
  lastError: string | null;
}

export function recordAlert(db: Db, a: AlertInput, now: Date): number {
  const r = db
    .prepare(
      `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(a.siteId, a.kind, a.severity, a.message, a.channel, a.recipient, now.toISOString());
  return Number(r.lastInsertRowid);
}

export function markAlertAttempt(
  db: Db,
  id: number,
  outcome: { delivered: boolean; error?: string },
  now: Date,
): void {
  db.prepare(
    `UPDATE alerts SET attempts = attempts + 1,
       delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END,
       last_error = ? WHERE id = ?`,
  ).run(outcome.delivered ? 1 : 0, now.toISOString(), outcome.error ?? null, id);
}

export function listAlerts(db: Db, siteId: number | null, limit = 50): AlertRow[] {
  return db
    .prepare(
      `SELECT id, site_id AS siteId, kind, severity, message, channel, recipient, raised_at AS raisedAt,
              delivered_at AS deliveredAt, attempts, last_error AS lastError
       FROM alerts WHERE (? IS NULL OR site_id = ?) ORDER BY raised_at DESC, id DESC LIMIT ?`,
    )
    .all(siteId, siteId, limit) as AlertRow[];
}

/**
 * Alerts nobody has acknowledged or resolved yet, for the navigation badge and the overview. One message
 * sent through several channels is stored once per channel; it counts once (same site, kind, text and
 * time). `siteIds` null = all sites.
 */
export function countOpenAlerts(db: Db, siteIds: number[] | null): number {
  const sites = siteIds === null ? null : JSON.stringify(siteIds);
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n FROM (
         SELECT 1 FROM alerts
         WHERE acknowledged_at IS NULL AND resolved_at IS NULL
           AND (? IS NULL OR site_id IN (SELECT value FROM json_each(?)))
         GROUP BY site_id, kind, message, raised_at)`,
    )
    .get(sites, sites) as { n: number };
  return row.n;
}
