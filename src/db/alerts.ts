// Queries for `alerts`: what was raised, to whom, whether it was delivered, and who has dealt with it.
import { randomUUID } from 'node:crypto';
import type { Sql } from './store/types.ts';

// A row written without a notice (raw SQL, an older tool) is a message of its own, never lumped with others.
const NOTICE_KEY = `COALESCE(notice, 'row-' || id)`;

export interface AlertInput {
  siteId: number | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  channel: string;
  recipient: string;
  /**
   * Ties the rows of one message sent through several channels together (migration 013); the caller
   * that sends one message to many channels passes the same key to each. A fresh one when absent.
   */
  notice?: string;
  /** The message's facts (AlertFacts), kept so the inbox can link to the detail. */
  facts?: unknown;
}

export interface AlertRow extends Omit<AlertInput, 'notice' | 'facts'> {
  id: number;
  raisedAt: string;
  deliveredAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** `column IN (?, ?, …)` for a list, spelled out (both dialects; an empty list matches nothing). */
function inList(column: string, values: readonly unknown[]): { sql: string; args: unknown[] } {
  if (values.length === 0) return { sql: '1 = 0', args: [] };
  return { sql: `${column} IN (${values.map(() => '?').join(', ')})`, args: [...values] };
}

export async function recordAlert(sql: Sql, a: AlertInput, now: Date): Promise<number> {
  const r = await sql.get<{ id: number }>(
    `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at, notice, facts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      a.siteId,
      a.kind,
      a.severity,
      a.message,
      a.channel,
      a.recipient,
      now.toISOString(),
      a.notice ?? randomUUID(),
      a.facts === undefined ? null : JSON.stringify(a.facts),
    ],
  );
  return r!.id;
}

export async function markAlertAttempt(
  sql: Sql,
  id: number,
  outcome: { delivered: boolean; error?: string },
  now: Date,
): Promise<void> {
  await sql.run(
    `UPDATE alerts SET attempts = attempts + 1,
       delivered_at = CASE WHEN ? = 1 THEN ? ELSE delivered_at END,
       last_error = ? WHERE id = ?`,
    [outcome.delivered ? 1 : 0, now.toISOString(), outcome.error ?? null, id],
  );
}

export async function listAlerts(sql: Sql, siteId: number | null, limit = 50): Promise<AlertRow[]> {
  return sql.all<AlertRow>(
    `SELECT id, site_id AS siteId, kind, severity, message, channel, recipient, raised_at AS raisedAt,
            delivered_at AS deliveredAt, attempts, last_error AS lastError
     FROM alerts ${siteId === null ? '' : 'WHERE site_id = ?'} ORDER BY raised_at DESC, id DESC LIMIT ?`,
    siteId === null ? [limit] : [siteId, limit],
  );
}

/**
 * Alerts nobody has acknowledged or resolved yet, for the navigation badge and the overview. One message
 * sent through several channels is stored once per channel; it counts once (its `notice`). `siteIds`
 * null = all sites.
 */
export async function countOpenAlerts(sql: Sql, siteIds: number[] | null): Promise<number> {
  const sites = siteIds === null ? { sql: '1 = 1', args: [] } : inList('site_id', siteIds);
  const row = await sql.get<{ n: number }>(
    `SELECT COUNT(DISTINCT ${NOTICE_KEY}) AS n FROM alerts
     WHERE acknowledged_at IS NULL AND resolved_at IS NULL AND ${sites.sql}`,
    sites.args,
  );
  return row!.n;
}

/**
 * Who acknowledged or resolved, as stored. The dashboard has one shared password and no user names yet,
 * so its session is "dashboard" (the CLI writes "cli"); a login with names would pass its own here.
 */
export const DASHBOARD_ACTOR = 'dashboard';

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface NoticeFilter {
  /** null = every site (and alerts about no site). */
  siteIds: number[] | null;
  kinds?: string[];
  severities?: string[];
  states?: AlertState[];
  /** Raised at or after / before these instants (ISO). */
  from?: string;
  until?: string;
}

export interface Delivery {
  channel: string;
  recipient: string;
  deliveredAt: string | null;
  attempts: number;
  error: string | null;
}

/** One message as the inbox shows it: the rows of its deliveries folded into one. */
export interface Notice {
  /** The first row's id: what the inbox and the CLI call the message by. */
  id: number;
  siteId: number | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  raisedAt: string;
  state: AlertState;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** Parsed AlertFacts, or null for rows kept without them. */
  facts: unknown;
  deliveries: Delivery[];
}

// The state of a message: acknowledging or resolving writes every row of it, so MAX reads any of them.
const STATE_SQL = `CASE WHEN MAX(resolved_at) IS NOT NULL THEN 'resolved'
  WHEN MAX(acknowledged_at) IS NOT NULL THEN 'acknowledged' ELSE 'open' END`;

function where(f: NoticeFilter): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  const list = (column: string, values: readonly unknown[] | undefined) => {
    if (values === undefined) return;
    const l = inList(column, values);
    parts.push(l.sql);
    args.push(...l.args);
  };
  list('site_id', f.siteIds ?? undefined);
  list('kind', f.kinds);
  list('severity', f.severities);
  if (f.from !== undefined) {
    parts.push('raised_at >= ?');
    args.push(f.from);
  }
  if (f.until !== undefined) {
    parts.push('raised_at < ?');
    args.push(f.until);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

function having(f: NoticeFilter): { sql: string; args: unknown[] } {
  if (f.states === undefined) return { sql: '', args: [] };
  const l = inList(`(${STATE_SQL})`, f.states);
  return { sql: `HAVING ${l.sql}`, args: l.args };
}

/** Messages newest first, one per notice, with their deliveries; `total` counts all that match. */
export async function listNotices(
  sql: Sql,
  f: NoticeFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; notices: Notice[] }> {
  const w = where(f);
  const h = having(f);
  const total = (await sql.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM alerts ${w.sql} GROUP BY ${NOTICE_KEY} ${h.sql}) AS matching`,
    [...w.args, ...h.args],
  ))!.n;
  // The deliveries of a message as one JSON array, in each dialect's spelling.
  const deliveries =
    sql.dialect === 'postgres'
      ? `CAST(json_agg(json_build_object('id', id, 'channel', channel, 'recipient', recipient,
           'deliveredAt', delivered_at, 'attempts', attempts, 'error', last_error)) AS TEXT)`
      : `json_group_array(json_object('id', id, 'channel', channel, 'recipient', recipient,
           'deliveredAt', delivered_at, 'attempts', attempts, 'error', last_error))`;
  const rows = await sql.all<
    Omit<Notice, 'deliveries' | 'facts'> & {
      facts: string | null;
      deliveries: string;
    }
  >(
    `SELECT MIN(id) AS id, MIN(site_id) AS siteId, MIN(kind) AS kind, MIN(severity) AS severity,
            MIN(message) AS message, MIN(raised_at) AS raisedAt, ${STATE_SQL} AS state,
            MAX(acknowledged_at) AS acknowledgedAt, MAX(acknowledged_by) AS acknowledgedBy,
            MAX(resolved_at) AS resolvedAt, MAX(resolved_by) AS resolvedBy, MAX(facts) AS facts,
            ${deliveries} AS deliveries
     FROM alerts ${w.sql} GROUP BY ${NOTICE_KEY} ${h.sql}
     ORDER BY MIN(raised_at) DESC, MIN(id) DESC LIMIT ? OFFSET ?`,
    [...w.args, ...h.args, page.limit, page.offset],
  );
  const notices = rows.map((r): Notice => {
    const deliveries = (JSON.parse(r.deliveries) as (Delivery & { id: number })[])
      .sort((a, b) => a.id - b.id)
      .map(({ id: _id, ...d }) => d);
    return { ...r, facts: r.facts === null ? null : (JSON.parse(r.facts) as unknown), deliveries };
  });
  return { total, notices };
}

/**
 * Acknowledges, resolves or reopens the messages whose first row ids are given (every row of each
 * message, every channel). Acknowledging a resolved message changes nothing; resolving also
 * acknowledges one nobody had; reopening clears both. Returns how many messages changed.
 */
export async function setNoticeState(
  sql: Sql,
  ids: readonly number[],
  action: 'acknowledge' | 'resolve' | 'reopen',
  by: string,
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  const update =
    action === 'acknowledge'
      ? `UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?
         WHERE (notice = ? OR (notice IS NULL AND id = ?)) AND acknowledged_at IS NULL AND resolved_at IS NULL`
      : action === 'resolve'
        ? `UPDATE alerts SET resolved_at = ?, resolved_by = ?,
             acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by = COALESCE(acknowledged_by, ?)
           WHERE (notice = ? OR (notice IS NULL AND id = ?)) AND resolved_at IS NULL`
        : `UPDATE alerts SET acknowledged_at = NULL, acknowledged_by = NULL, resolved_at = NULL, resolved_by = NULL
           WHERE (notice = ? OR (notice IS NULL AND id = ?)) AND (acknowledged_at IS NOT NULL OR resolved_at IS NOT NULL)`;
  return sql.transaction(async (tx) => {
    let changed = 0;
    for (const id of new Set(ids)) {
      const row = await tx.get<{ notice: string | null }>('SELECT notice FROM alerts WHERE id = ?', [id]);
      if (row === undefined) continue;
      const key = [row.notice, id];
      const args =
        action === 'acknowledge' ? [at, by, ...key] : action === 'resolve' ? [at, by, at, by, ...key] : key;
      if ((await tx.run(update, args)).changes > 0) changed++;
    }
    return changed;
  });
}

/** The first row ids among `ids` that name no message (for the CLI's "no alert #7"). */
export async function unknownNoticeIds(sql: Sql, ids: readonly number[]): Promise<number[]> {
  const known = inList('id', [...new Set(ids)]);
  const found = new Set(
    (await sql.all<{ id: number }>(`SELECT id FROM alerts WHERE ${known.sql}`, known.args)).map((r) => r.id),
  );
  return ids.filter((id) => !found.has(id));
}
