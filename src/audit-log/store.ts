// The audit log (table audit_log, migration 016): who changed what and when, written by the dashboard's
// write middleware (web/audit-log.ts) and by the CLI's write commands; read by the admins' page.
import type { Sql } from '../db/store/types.ts';

/** Who did it. `label` is written out as it was then (e-mail, "key pw_ab12…", "cli", "system"). */
export interface Actor {
  label: string;
  userId?: number | null;
  apiKeyId?: number | null;
}

export const CLI_ACTOR: Actor = { label: 'cli' };
export const SYSTEM_ACTOR: Actor = { label: 'system' };

export interface AuditEntry {
  /** Stable English name: "backlink.archive", "user.add". */
  action: string;
  siteId?: number | null;
  targetType?: string | null;
  targetId?: string | number | null;
  details?: Record<string, unknown> | null;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  userId: number | null;
  apiKeyId: number | null;
  action: string;
  siteId: number | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

// Words in a field name that mark a secret. "current" and "repeat" are the Account page's old and
// repeated password; "code" is a TOTP or recovery code. Matched per word, so "keywords" stays.
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'current',
  'repeat',
  'token',
  'secret',
  'key',
  'code',
  'csrf',
  'totp',
  'otp',
  'recovery',
  'authorization',
  'cookie',
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretField(name: string): boolean {
  return words(name).some((w) => SECRET_WORDS.has(w) || w.includes('password') || w.startsWith('apikey'));
}

export const HIDDEN = '[hidden]';
const MAX_TEXT = 200;
const MAX_ITEMS = 50;

/**
 * What of a request body is kept: secrets replaced by "[hidden]" (so the log still says a password was
 * set, never which), long texts cut, long lists shortened, nesting limited. Never throws.
 */
export function scrubDetails(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (depth >= 3) return '…';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => scrubDetails(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS))
      out[k] = isSecretField(k) ? HIDDEN : scrubDetails(v, depth + 1);
    return out;
  }
  return String(value);
}

export async function recordAudit(sql: Sql, actor: Actor, entry: AuditEntry, now: Date): Promise<void> {
  const details = entry.details && Object.keys(entry.details).length ? scrubDetails(entry.details) : null;
  await sql.run(
    `INSERT INTO audit_log (at, actor, user_id, api_key_id, action, site_id, target_type, target_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      now.toISOString(),
      actor.label,
      actor.userId ?? null,
      actor.apiKeyId ?? null,
      entry.action,
      entry.siteId ?? null,
      entry.targetType ?? null,
      entry.targetId === undefined || entry.targetId === null ? null : String(entry.targetId),
      details === null ? null : JSON.stringify(details),
    ],
  );
}

export interface AuditFilter {
  actor?: string;
  siteId?: number;
  /** An exact action ("user.add") or a family ("user"). */
  action?: string;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

function where(f: AuditFilter): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.actor) {
    parts.push('actor = ?');
    args.push(f.actor);
  }
  if (f.siteId !== undefined) {
    parts.push('site_id = ?');
    args.push(f.siteId);
  }
  if (f.action) {
    parts.push(f.action.includes('.') ? 'action = ?' : "action LIKE ? || '.%'");
    args.push(f.action);
  }
  if (f.from) {
    parts.push('at >= ?');
    args.push(f.from);
  }
  if (f.to) {
    parts.push('at < ?');
    args.push(f.to);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

/** Newest first, one page at a time, with the total for the pager. */
export async function listAudit(
  sql: Sql,
  f: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const w = where(f);
  const { total } = (await sql.get<{ total: number }>(
    `SELECT COUNT(*) AS total FROM audit_log ${w.sql}`,
    w.args,
  ))!;
  const raw = await sql.all<Omit<AuditRow, 'details'> & { details: string | null }>(
    `SELECT id, at, actor, user_id AS userId, api_key_id AS apiKeyId, action, site_id AS siteId,
            target_type AS targetType, target_id AS targetId, details
     FROM audit_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
    [...w.args, page.limit, page.offset],
  );
  const rows = raw.map((r) => ({ ...r, details: r.details === null ? null : JSON.parse(r.details) }));
  return { rows, total };
}

/** The people and actions that occur, for the page's filter lists. */
export async function auditChoices(sql: Sql): Promise<{ actors: string[]; actions: string[] }> {
  const actors = await sql.all<{ actor: string }>('SELECT DISTINCT actor FROM audit_log ORDER BY actor');
  const actions = await sql.all<{ action: string }>('SELECT DISTINCT action FROM audit_log ORDER BY action');
  return { actors: actors.map((r) => r.actor), actions: actions.map((r) => r.action) };
}
