// Queries for `uptime_checks`: one row per page the uptime job fetched.
import type { Sql } from '../db/store/types.ts';

export interface UptimeCheck {
  siteId: number;
  runId: number | null;
  url: string;
  checkedAt: string;
  status: number | null;
  ok: boolean;
  ttfbMs: number | null;
  totalMs: number | null;
  bytes: number | null;
  error: string | null;
}

export async function insertChecks(sql: Sql, rows: UptimeCheck[]): Promise<void> {
  await sql.transaction(async (tx) => {
    for (const r of rows)
      await tx.run(
        `INSERT INTO uptime_checks (site_id, run_id, url, checked_at, status, ok, ttfb_ms, total_ms, bytes, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          r.siteId,
          r.runId,
          r.url,
          r.checkedAt,
          r.status,
          r.ok ? 1 : 0,
          r.ttfbMs,
          r.totalMs,
          r.bytes,
          r.error,
        ],
      );
  });
}

export interface UptimeDay {
  day: string;
  checks: number;
  okChecks: number;
  avgTtfbMs: number | null;
  p95TotalMs: number | null;
}

/** Per-day figures in the site's time zone, computed in JS because SQLite has no time zones. */
export async function uptimeByDay(
  sql: Sql,
  siteId: number,
  timeZone: string,
  from: Date,
  to: Date,
): Promise<UptimeDay[]> {
  const rows = await sql.all<{
    checkedAt: string;
    ok: number;
    ttfbMs: number | null;
    totalMs: number | null;
  }>(
    `SELECT checked_at AS checkedAt, ok, ttfb_ms AS ttfbMs, total_ms AS totalMs FROM uptime_checks
     WHERE site_id = ? AND checked_at >= ? AND checked_at < ? ORDER BY checked_at`,
    [siteId, from.toISOString(), to.toISOString()],
  );
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const byDay = new Map<string, typeof rows>();
  for (const r of rows) {
    const day = fmt.format(new Date(r.checkedAt));
    (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(r);
  }
  return [...byDay].map(([day, rs]) => {
    const ttfb = rs.filter((r) => r.ok && r.ttfbMs !== null).map((r) => r.ttfbMs!);
    const totals = rs
      .filter((r) => r.ok && r.totalMs !== null)
      .map((r) => r.totalMs!)
      .sort((a, b) => a - b);
    return {
      day,
      checks: rs.length,
      okChecks: rs.filter((r) => r.ok).length,
      avgTtfbMs: ttfb.length ? ttfb.reduce((a, b) => a + b, 0) / ttfb.length : null,
      p95TotalMs: totals.length
        ? totals[Math.min(totals.length - 1, Math.ceil(totals.length * 0.95) - 1)]!
        : null,
    };
  });
}

export async function latestChecks(sql: Sql, siteId: number): Promise<UptimeCheck[]> {
  const rows = await sql.all<Omit<UptimeCheck, 'ok'> & { ok: number }>(
    `SELECT site_id AS siteId, run_id AS runId, url, checked_at AS checkedAt, status, ok, ttfb_ms AS ttfbMs,
            total_ms AS totalMs, bytes, error
     FROM uptime_checks WHERE site_id = ? AND run_id = (SELECT MAX(run_id) FROM uptime_checks WHERE site_id = ?)
     ORDER BY url`,
    [siteId, siteId],
  );
  return rows.map((r) => ({ ...r, ok: Boolean(r.ok) }));
}
