// User accounts in the database: add, find, list, change role and sites, disable, remove.
import type { Db } from '../db/open.ts';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export interface UserRow {
  id: number;
  email: string;
  displayName: string;
  language: string | null;
  passwordHash: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  /** The sites granted to an editor or viewer (ids); admins have all sites and no rows here. */
  siteIds: number[];
}

/** The login name as stored: trimmed and lower-cased (Unicode-aware, unlike SQLite's NOCASE). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A deliberately loose check: something@something, no spaces; the address is a login name, not mail. */
export function isEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+$/u.test(email) && email.length <= 254;
}

const COLUMNS = `id, email, display_name AS displayName, language, password_hash AS passwordHash, role,
  created_at AS createdAt, disabled_at AS disabledAt`;

function withSites(db: Db, row: Omit<UserRow, 'siteIds'> | undefined): UserRow | null {
  if (!row) return null;
  const siteIds = db
    .prepare('SELECT site_id FROM user_sites WHERE user_id = ? ORDER BY site_id')
    .pluck()
    .all(row.id) as number[];
  return { ...row, siteIds };
}

export function countUsers(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number;
}

export function getUser(db: Db, id: number): UserRow | null {
  return withSites(db, db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as never);
}

export function findUserByEmail(db: Db, email: string): UserRow | null {
  return withSites(
    db,
    db.prepare(`SELECT ${COLUMNS} FROM users WHERE email = ?`).get(normalizeEmail(email)) as never,
  );
}

export function listUsers(db: Db): UserRow[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM users ORDER BY email`).all() as Omit<UserRow, 'siteIds'>[];
  return rows.map((r) => withSites(db, r)!);
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
  displayName?: string;
  language?: string | null;
  siteIds?: number[];
}

export class UserError extends Error {}

export function addUser(db: Db, u: NewUser, now: Date): UserRow {
  const email = normalizeEmail(u.email);
  if (!isEmail(email)) throw new UserError(`"${u.email}" is not an e-mail address`);
  if (findUserByEmail(db, email)) throw new UserError(`a user ${email} already exists`);
  const id = db.transaction(() => {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO users (email, display_name, language, password_hash, role, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(email, u.displayName?.trim() ?? '', u.language ?? null, u.passwordHash, u.role, now.toISOString());
    writeSites(db, Number(lastInsertRowid), u.role, u.siteIds ?? []);
    return Number(lastInsertRowid);
  })();
  return getUser(db, id)!;
}

function writeSites(db: Db, userId: number, role: Role, siteIds: number[]): void {
  db.prepare('DELETE FROM user_sites WHERE user_id = ?').run(userId);
  // An admin has every site; grants would only mislead whoever reads the table later.
  if (role === 'admin') return;
  const insert = db.prepare('INSERT OR IGNORE INTO user_sites (user_id, site_id) VALUES (?, ?)');
  for (const s of siteIds) insert.run(userId, s);
}

/** Sets the role and, for an editor or viewer, exactly these sites. Refuses to leave no active admin. */
export function setRole(db: Db, userId: number, role: Role, siteIds: number[]): void {
  db.transaction(() => {
    const user = getUser(db, userId);
    if (!user) throw new UserError(`no user with id ${userId}`);
    if (user.role === 'admin' && role !== 'admin') assertAnotherAdmin(db, userId);
    db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, userId);
    writeSites(db, userId, role, siteIds);
  })();
}

function assertAnotherAdmin(db: Db, userId: number): void {
  const others = db
    .prepare(`SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?`)
    .pluck()
    .get(userId) as number;
  if (others === 0) throw new UserError('this is the last active admin: make another user admin first');
}

export function setPasswordHash(db: Db, userId: number, hash: string): void {
  db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
}

export function setProfile(db: Db, userId: number, displayName: string, language: string | null): void {
  db.prepare('UPDATE users SET display_name = ?, language = ? WHERE id = ?').run(
    displayName.trim(),
    language,
    userId,
  );
}

/** Disables (or re-enables) a user; a disabled user's sessions are ended at once. */
export function setDisabled(db: Db, userId: number, disabled: boolean, now: Date): void {
  db.transaction(() => {
    const user = getUser(db, userId);
    if (!user) throw new UserError(`no user with id ${userId}`);
    if (disabled && user.role === 'admin') assertAnotherAdmin(db, userId);
    db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(
      disabled ? now.toISOString() : null,
      userId,
    );
    if (disabled) db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  })();
}

/** Removes a user with their sessions, second factor and API keys (cascades); refuses the last admin. */
export function removeUser(db: Db, userId: number): void {
  db.transaction(() => {
    const user = getUser(db, userId);
    if (!user) throw new UserError(`no user with id ${userId}`);
    if (user.role === 'admin') assertAnotherAdmin(db, userId);
    db.prepare('DELETE FROM users WHERE id = ?').run(userId);
  })();
}
