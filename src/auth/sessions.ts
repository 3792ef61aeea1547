// Server-side sessions: a random token in the cookie, its SHA-256 in the database, idle and absolute expiry.
import type { Sql } from '../db/store/types.ts';
import { randomToken, tokenHash } from './tokens.ts';
import { getUser, type UserRow } from './users.ts';

export interface SessionPolicy {
  /** Unused this long, a session ends. */
  idleMinutes: number;
  /** Used or not, a session ends this long after login. */
  absoluteHours: number;
}

/** OWASP's session management cheat sheet suggests 15–30 minutes idle for sensitive apps and a few
 * hours absolute; a dashboard people leave open all day is less sensitive than a bank, so: one hour
 * idle, twelve hours absolute (the old single-password session length). */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 60, absoluteHours: 12 };

/** The half-way state after a right password, waiting for the TOTP code, lasts this long. */
export const SECOND_FACTOR_MINUTES = 5;

export type SessionStage = 'full' | 'totp';

export interface SessionRow {
  id: number;
  userId: number;
  stage: SessionStage;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

const COLUMNS = `id, user_id AS userId, stage, created_at AS createdAt, last_seen_at AS lastSeenAt,
  idle_expires_at AS idleExpiresAt, absolute_expires_at AS absoluteExpiresAt, ip, user_agent AS userAgent`;

const iso = (ms: number) => new Date(ms).toISOString();

/** Starts a session with a fresh token (returned once; only its hash is stored). */
export async function createSession(
  sql: Sql,
  userId: number,
  opts: {
    now: Date;
    policy: SessionPolicy;
    stage?: SessionStage;
    ip?: string | null;
    userAgent?: string | null;
  },
): Promise<string> {
  const token = randomToken();
  const t = opts.now.getTime();
  const stage = opts.stage ?? 'full';
  const idle = stage === 'totp' ? SECOND_FACTOR_MINUTES : opts.policy.idleMinutes;
  const absolute = stage === 'totp' ? SECOND_FACTOR_MINUTES / 60 : opts.policy.absoluteHours;
  const absoluteAt = t + absolute * 3_600_000;
  await sql.run(
    `INSERT INTO sessions (token_hash, user_id, stage, created_at, last_seen_at, idle_expires_at,
       absolute_expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      tokenHash(token),
      userId,
      stage,
      iso(t),
      iso(t),
      iso(Math.min(t + idle * 60_000, absoluteAt)),
      iso(absoluteAt),
      opts.ip ?? null,
      opts.userAgent?.slice(0, 300) ?? null,
    ],
  );
  // Expired rows of anyone are swept on each login, so the table stays small without a job.
  await sql.run('DELETE FROM sessions WHERE idle_expires_at <= ? OR absolute_expires_at <= ?', [
    iso(t),
    iso(t),
  ]);
  return token;
}

/**
 * The session and its user for a cookie token, or null: unknown, expired (idle or absolute), or its
 * user removed or disabled — checked on every request, so revocation takes effect at once. A live
 * session's idle expiry moves on (written at most once a minute, to spare the disk).
 */
export async function resumeSession(
  sql: Sql,
  token: string | undefined,
  now: Date,
  policy: SessionPolicy,
): Promise<{ session: SessionRow; user: UserRow } | null> {
  if (!token || token.length > 100) return null;
  const session = await sql.get<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = ?`, [
    tokenHash(token),
  ]);
  if (!session) return null;
  const t = now.getTime();
  if (Date.parse(session.idleExpiresAt) <= t || Date.parse(session.absoluteExpiresAt) <= t) {
    await sql.run('DELETE FROM sessions WHERE id = ?', [session.id]);
    return null;
  }
  const user = await getUser(sql, session.userId);
  if (!user || user.disabledAt) {
    await sql.run('DELETE FROM sessions WHERE id = ?', [session.id]);
    return null;
  }
  if (session.stage === 'full' && t - Date.parse(session.lastSeenAt) >= 60_000) {
    const idle = iso(Math.min(t + policy.idleMinutes * 60_000, Date.parse(session.absoluteExpiresAt)));
    await sql.run('UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ?', [
      iso(t),
      idle,
      session.id,
    ]);
    session.lastSeenAt = iso(t);
    session.idleExpiresAt = idle;
  }
  return { session, user };
}

export async function endSessionByToken(sql: Sql, token: string | undefined): Promise<void> {
  if (token) await sql.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash(token)]);
}

export async function endSession(sql: Sql, id: number): Promise<void> {
  await sql.run('DELETE FROM sessions WHERE id = ?', [id]);
}

/** "Log out everywhere": every session of the user, but the one given (the browser asking) if any. */
export async function endUserSessions(sql: Sql, userId: number, exceptId?: number): Promise<number> {
  const { changes } = await sql.run('DELETE FROM sessions WHERE user_id = ? AND id <> ?', [
    userId,
    exceptId ?? -1,
  ]);
  return changes;
}

/** The user's live full sessions, newest use first (the Account page's "where you are logged in"). */
export async function listUserSessions(sql: Sql, userId: number, now: Date): Promise<SessionRow[]> {
  const t = now.toISOString();
  return sql.all<SessionRow>(
    `SELECT ${COLUMNS} FROM sessions WHERE user_id = ? AND stage = 'full' AND idle_expires_at > ?
       AND absolute_expires_at > ? ORDER BY last_seen_at DESC, id DESC`,
    [userId, t, t],
  );
}
