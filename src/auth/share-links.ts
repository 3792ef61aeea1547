// Read-only share links: one site's dashboard or one report for someone without an account. The link
// carries a random token; only its SHA-256 is stored, so a copy of the database opens nothing.
import type { Sql } from '../db/store/types.ts';
import { randomToken, tokenHash } from './tokens.ts';

export interface ShareLinkRow {
  id: number;
  siteId: number;
  reportId: number | null;
  label: string;
  createdBy: number | null;
  createdByEmail: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** What an opened link lets its holder see. */
export interface SharedView {
  id: number;
  siteId: number;
  reportId: number | null;
}

export interface NewShareLink {
  siteId: number;
  reportId?: number | null;
  label?: string;
  /** Who made it (null: the owner of an install without accounts). */
  by: { id: number; email: string } | null;
  expiresAt?: Date | null;
}

const COLUMNS = `id, site_id AS siteId, report_id AS reportId, label, created_by AS createdBy,
  created_by_email AS createdByEmail, created_at AS createdAt, expires_at AS expiresAt,
  revoked_at AS revokedAt, last_used_at AS lastUsedAt`;

/** Makes a link; the token is returned once and never stored. */
export async function createShareLink(
  sql: Sql,
  link: NewShareLink,
  now: Date,
): Promise<{ id: number; token: string }> {
  const token = randomToken();
  const row = await sql.get<{ id: number }>(
    `INSERT INTO share_links (token_hash, site_id, report_id, label, created_by, created_by_email, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      tokenHash(token),
      link.siteId,
      link.reportId ?? null,
      link.label ?? '',
      link.by?.id ?? null,
      link.by?.email ?? null,
      now.toISOString(),
      link.expiresAt ? link.expiresAt.toISOString() : null,
    ],
  );
  return { id: row!.id, token };
}

/** The link a token opens, if it is neither revoked nor expired; marks it used. The lookup is by the
 * token's hash (an index seek on a digest, so the token's bytes are never compared in a timed loop). */
export async function openShareLink(
  sql: Sql,
  token: string | undefined,
  now: Date,
): Promise<SharedView | null> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await sql.get<ShareLinkRow>(`SELECT ${COLUMNS} FROM share_links WHERE token_hash = ?`, [
    tokenHash(token),
  ]);
  if (!row || row.revokedAt || (row.expiresAt && Date.parse(row.expiresAt) <= now.getTime())) return null;
  await sql.run('UPDATE share_links SET last_used_at = ? WHERE id = ?', [now.toISOString(), row.id]);
  return { id: row.id, siteId: row.siteId, reportId: row.reportId };
}

/** The links of these sites (null: all), newest first. */
export async function listShareLinks(sql: Sql, siteIds: readonly number[] | null): Promise<ShareLinkRow[]> {
  const rows = await sql.all<ShareLinkRow>(
    `SELECT ${COLUMNS} FROM share_links ORDER BY created_at DESC, id DESC`,
  );
  return siteIds === null ? rows : rows.filter((r) => siteIds.includes(r.siteId));
}

export async function getShareLink(sql: Sql, id: number): Promise<ShareLinkRow | undefined> {
  return sql.get<ShareLinkRow>(`SELECT ${COLUMNS} FROM share_links WHERE id = ?`, [id]);
}

/** Revokes a link at once (the next request with it sees nothing); false when it was not live. */
export async function revokeShareLink(sql: Sql, id: number, now: Date): Promise<boolean> {
  const { changes } = await sql.run(
    'UPDATE share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    [now.toISOString(), id],
  );
  return changes > 0;
}
