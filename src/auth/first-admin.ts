// The upgrade from the single shared password to user accounts: the first admin, made once.
import { StoreError, type Sql } from '../db/store/types.ts';
import { hashPassword, passwordProblem } from './password.ts';
import { addUser, countUsers, isEmail, normalizeEmail } from './users.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

/**
 * With no user in the database and a shared password configured, creates one admin with that
 * password (PROMOWATCH_ADMIN_EMAIL, else admin@localhost) and returns the e-mail; otherwise null (also
 * when the shared password is too short or blank for an account).
 * From then on logins are per user. Run at start; a database that has users is never touched.
 */
export async function ensureFirstAdmin(
  sql: Sql,
  opts: { password: string | undefined; email: string | undefined; now: Date },
): Promise<string | null> {
  if (!opts.password || (await countUsers(sql)) > 0) return null;
  // An account's password must be one a person could choose (MIN_PASSWORD_LENGTH): a short shared
  // password, allowed on loopback, stays the shared password — else it would become an admin's and, with
  // accounts, open the dashboard on any address (assertSafeBinding).
  if (passwordProblem(opts.password) !== null) return null;
  const email = normalizeEmail(opts.email || DEFAULT_ADMIN_EMAIL);
  if (!isEmail(email))
    throw new Error(
      `PROMOWATCH_ADMIN_EMAIL is "${opts.email}", which is not an e-mail address; fix or unset it`,
    );
  const hash = await hashPassword(opts.password);
  // Checked again after the slow hash: a second process starting at the same moment may have won.
  try {
    return await sql.transaction(async (tx) => {
      if ((await countUsers(tx)) > 0) return null;
      await addUser(tx, { email, passwordHash: hash, role: 'admin', displayName: 'Admin' }, opts.now);
      return email;
    });
  } catch (err) {
    // PostgreSQL does not serialise the two like SQLite's write lock does: the loser's insert of the
    // same e-mail breaks the unique index, which means the admin exists.
    if (err instanceof StoreError && err.violation === 'unique') return null;
    throw err;
  }
}
