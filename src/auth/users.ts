// User accounts in the database: add, find, list, change role and sites, disable, remove.
import type { Sql } from '../db/store/types.ts';

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

async function withSites(sql: Sql, row: Omit<UserRow, 'siteIds'> | undefined): Promise<UserRow | null> {
  if (!row) return null;
  const sites = await sql.all<{ siteId: number }>(
    'SELECT site_id AS siteId FROM user_sites WHERE user_id = ? ORDER BY site_id',
    [row.id],
  );
  return { ...row, siteIds: sites.map((s) => s.siteId) };
}

export async function countUsers(sql: Sql): Promise<number> {
  return (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n;
}

export async function getUser(sql: Sql, id: number): Promise<UserRow | null> {
  return withSites(sql, await sql.get(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]));
}

export async function findUserByEmail(sql: Sql, email: string): Promise<UserRow | null> {
  return withSites(
    sql,
    await sql.get(`SELECT ${COLUMNS} FROM users WHERE email = ?`, [normalizeEmail(email)]),
  );
}

export async function listUsers(sql: Sql): Promise<UserRow[]> {
  const rows = await sql.all<Omit<UserRow, 'siteIds'>>(`SELECT ${COLUMNS} FROM users`);
  // Sorted here, not by ORDER BY: PostgreSQL's case-blind ICU collation on `email` puts punctuation in
  // another order than SQLite ("a_b@" before "a.b@"); stored addresses are lower-case, so code-unit order
  // is SQLite's order on both.
  rows.sort((x, y) => (x.email < y.email ? -1 : x.email > y.email ? 1 : 0));
  const out: UserRow[] = [];
  for (const r of rows) out.push((await withSites(sql, r))!);
  return out;
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

export async function addUser(sql: Sql, u: NewUser, now: Date): Promise<UserRow> {
  const email = normalizeEmail(u.email);
  if (!isEmail(email)) throw new UserError(`"${u.email}" is not an e-mail address`);
  if (await findUserByEmail(sql, email)) throw new UserError(`a user ${email} already exists`);
  const id = await sql.transaction(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(
      `INSERT INTO users (email, display_name, language, password_hash, role, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      [email, u.displayName?.trim() ?? '', u.language ?? null, u.passwordHash, u.role, now.toISOString()],
    ))!;
    await writeSites(tx, id, u.role, u.siteIds ?? []);
    return id;
  });
  return (await getUser(sql, id))!;
}

async function writeSites(sql: Sql, userId: number, role: Role, siteIds: number[]): Promise<void> {
  await sql.run('DELETE FROM user_sites WHERE user_id = ?', [userId]);
  // An admin has every site; grants would only mislead whoever reads the table later.
  if (role === 'admin') return;
  for (const s of siteIds)
    await sql.run('INSERT INTO user_sites (user_id, site_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [
      userId,
      s,
    ]);
}

/** Sets the role and, for an editor or viewer, exactly these sites. Refuses to leave no active admin. */
export async function setRole(sql: Sql, userId: number, role: Role, siteIds: number[]): Promise<void> {
  await sql.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user) throw new UserError(`no user with id ${userId}`);
    if (user.role === 'admin' && role !== 'admin') await assertAnotherAdmin(tx, userId);
    await tx.run('UPDATE users SET role = ? WHERE id = ?', [role, userId]);
    await writeSites(tx, userId, role, siteIds);
  });
}

/** Called inside the transaction that demotes, disables or removes `userId`. */
async function assertAnotherAdmin(sql: Sql, userId: number): Promise<void> {
  // SQLite's write lock already runs such transactions one after another. On PostgreSQL two admins
  // stepping down at once would each still see the other: FOR UPDATE makes the second wait for the first
  // and then read the rows as the first left them (in id order, so two waiters cannot deadlock).
  const admins = await sql.all<{ id: number }>(
    `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id${
      sql.dialect === 'postgres' ? ' FOR UPDATE' : ''
    }`,
  );
  if (!admins.some((a) => a.id !== userId))
    throw new UserError('this is the last active admin: make another user admin first');
}

export async function setPasswordHash(sql: Sql, userId: number, hash: string): Promise<void> {
  await sql.run('UPDATE users SET password_hash = ? WHERE id = ?', [hash, userId]);
}

export async function setProfile(
  sql: Sql,
  userId: number,
  displayName: string,
  language: string | null,
): Promise<void> {
  await sql.run('UPDATE users SET display_name = ?, language = ? WHERE id = ?', [
    displayName.trim(),
    language,
    userId,
  ]);
}

/** Disables (or re-enables) a user; a disabled user's sessions are ended at once. */
export async function setDisabled(sql: Sql, userId: number, disabled: boolean, now: Date): Promise<void> {
  await sql.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user) throw new UserError(`no user with id ${userId}`);
    if (disabled && user.role === 'admin') await assertAnotherAdmin(tx, userId);
    await tx.run('UPDATE users SET disabled_at = ? WHERE id = ?', [
      disabled ? now.toISOString() : null,
      userId,
    ]);
    if (disabled) await tx.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
  });
}

/** Removes a user with their sessions, second factor and API keys (cascades); refuses the last admin. */
export async function removeUser(sql: Sql, userId: number): Promise<void> {
  await sql.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user) throw new UserError(`no user with id ${userId}`);
    if (user.role === 'admin') await assertAnotherAdmin(tx, userId);
    await tx.run('DELETE FROM users WHERE id = ?', [userId]);
  });
}
