// Per-user API keys: made once and shown once ("pw_" + random), kept only as SHA-256, scoped read or
// write, optionally narrowed to some of the user's sites, expiring, revocable. The per-key rate limit is
// in src/limits/rate.ts (in the database, so every dashboard replica shares it).
import { timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/store/types.ts';
import { randomToken, tokenHash } from './tokens.ts';
import { getUser, type UserRow } from './users.ts';

export const KEY_SCOPES = ['read', 'write'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export function isKeyScope(v: unknown): v is KeyScope {
  return typeof v === 'string' && (KEY_SCOPES as readonly string[]).includes(v);
}

/** Every key starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const KEY_PREFIX = 'pw_';
/** How much of the key the lists show: enough to tell keys apart, far too little to guess the rest. */
const SHOWN_CHARS = KEY_PREFIX.length + 6;

export interface ApiKeyRow {
  id: number;
  userId: number;
  name: string;
  /** The key's first characters ("pw_ab12cd"), for telling keys apart. */
  prefix: string;
  scope: KeyScope;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Sites the key is narrowed to; empty: all of its user's sites. */
  siteIds: number[];
}

export class ApiKeyError extends Error {}

const COLUMNS = `id, user_id AS userId, name, prefix, scope, created_at AS createdAt, last_used_at AS lastUsedAt,
  expires_at AS expiresAt, revoked_at AS revokedAt`;

async function withSites(sql: Sql, row: Omit<ApiKeyRow, 'siteIds'> | undefined): Promise<ApiKeyRow | null> {
  if (!row) return null;
  const sites = await sql.all<{ siteId: number }>(
    'SELECT site_id AS siteId FROM api_key_sites WHERE key_id = ? ORDER BY site_id',
    [row.id],
  );
  return { ...row, siteIds: sites.map((s) => s.siteId) };
}

export interface NewApiKey {
  userId: number;
  name: string;
  scope: KeyScope;
  siteIds?: number[];
  expiresAt?: Date | null;
}

/** Makes a key and returns it with the only copy of its secret; the database keeps the hash. A key can
 * only be narrowed to sites its user has, so it never reaches beyond them. */
export async function createApiKey(
  sql: Sql,
  k: NewApiKey,
  now: Date,
): Promise<{ key: string; row: ApiKeyRow }> {
  const user = await getUser(sql, k.userId);
  if (!user) throw new ApiKeyError(`no user #${k.userId}`);
  if (!isKeyScope(k.scope)) throw new ApiKeyError(`scope must be read or write, got "${String(k.scope)}"`);
  const siteIds = [...new Set(k.siteIds ?? [])];
  if (user.role !== 'admin') {
    const outside = siteIds.filter((id) => !user.siteIds.includes(id));
    if (outside.length) throw new ApiKeyError(`${user.email} has no access to site #${outside.join(', #')}`);
  }
  const unknown: number[] = [];
  for (const id of siteIds)
    if ((await sql.get('SELECT 1 AS found FROM sites WHERE id = ?', [id])) === undefined) unknown.push(id);
  if (unknown.length) throw new ApiKeyError(`no site #${unknown.join(', #')}`);
  if (k.expiresAt && k.expiresAt.getTime() <= now.getTime())
    throw new ApiKeyError('the expiry must be in the future');
  const key = KEY_PREFIX + randomToken();
  const id = await sql.transaction(async (tx) => {
    const { id: keyId } = (await tx.get<{ id: number }>(
      `INSERT INTO api_keys (user_id, name, prefix, key_hash, scope, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        k.userId,
        k.name.trim().slice(0, 100),
        key.slice(0, SHOWN_CHARS),
        tokenHash(key),
        k.scope,
        now.toISOString(),
        k.expiresAt?.toISOString() ?? null,
      ],
    ))!;
    for (const s of siteIds)
      await tx.run('INSERT INTO api_key_sites (key_id, site_id) VALUES (?, ?)', [keyId, s]);
    return keyId;
  });
  return { key, row: (await getApiKey(sql, id))! };
}

export async function getApiKey(sql: Sql, id: number): Promise<ApiKeyRow | null> {
  return withSites(sql, await sql.get(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`, [id]));
}

/** A user's keys, newest first (revoked ones too: the list says so). null: every user's. */
export async function listApiKeys(sql: Sql, userId: number | null): Promise<ApiKeyRow[]> {
  const rows = await sql.all<Omit<ApiKeyRow, 'siteIds'>>(
    `SELECT ${COLUMNS} FROM api_keys WHERE (? IS NULL OR user_id = ?) ORDER BY created_at DESC, id DESC`,
    [userId, userId],
  );
  const out: ApiKeyRow[] = [];
  for (const r of rows) out.push((await withSites(sql, r))!);
  return out;
}

/** Revokes a key (of `userId` only, unless null). Revoking twice changes nothing: false. */
export async function revokeApiKey(sql: Sql, id: number, userId: number | null, now: Date): Promise<boolean> {
  const { changes } = await sql.run(
    'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND (? IS NULL OR user_id = ?) AND revoked_at IS NULL',
    [now.toISOString(), id, userId, userId],
  );
  return changes > 0;
}

/** What a presented key may do: its user, its scope, and the sites it reaches (null: every site). */
export interface KeyPrincipal {
  key: ApiKeyRow;
  user: UserRow;
  scope: KeyScope;
  siteIds: number[] | null;
}

/** The sites a key reaches: its user's, narrowed by the key's own list. null = all sites. */
export function keySites(user: UserRow, key: ApiKeyRow): number[] | null {
  const userSites = user.role === 'admin' ? null : user.siteIds;
  if (key.siteIds.length === 0) return userSites;
  return userSites === null ? key.siteIds : key.siteIds.filter((id) => userSites.includes(id));
}

/**
 * The principal a presented key stands for, or null (unknown, revoked, expired, user disabled or
 * removed). The lookup is by SHA-256 of the whole key, so no comparison ever runs on the secret
 * itself; the stored hash is compared again in constant time as a belt to that brace. Marks the key used.
 */
export async function authenticateKey(sql: Sql, presented: string, now: Date): Promise<KeyPrincipal | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return null;
  const hash = tokenHash(presented);
  const row = await sql.get<Omit<ApiKeyRow, 'siteIds'> & { keyHash: string }>(
    `SELECT ${COLUMNS}, key_hash AS keyHash FROM api_keys WHERE key_hash = ?`,
    [hash],
  );
  if (!row || !timingSafeEqual(Buffer.from(row.keyHash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  if (row.revokedAt !== null) return null;
  if (row.expiresAt !== null && Date.parse(row.expiresAt) <= now.getTime()) return null;
  const { keyHash: _, ...rest } = row;
  const key = (await withSites(sql, rest))!;
  const user = await getUser(sql, key.userId);
  if (!user || user.disabledAt !== null) return null;
  await sql.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [now.toISOString(), key.id]);
  return {
    key: { ...key, lastUsedAt: now.toISOString() },
    user,
    scope: key.scope,
    siteIds: keySites(user, key),
  };
}
