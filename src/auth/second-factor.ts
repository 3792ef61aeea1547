// A user's TOTP enrolment and recovery codes in the database: enrol, confirm, check at login, disable.
import { randomInt } from 'node:crypto';
import type { Sql } from '../db/store/types.ts';
import { tokenHash } from './tokens.ts';
import { matchTotp, newTotpSecret } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

export interface TotpState {
  secret: string;
  enabledAt: string | null;
  lastStep: number | null;
}

export async function totpState(sql: Sql, userId: number): Promise<TotpState | null> {
  return (
    (await sql.get<TotpState>(
      'SELECT secret, enabled_at AS enabledAt, last_step AS lastStep FROM totp WHERE user_id = ?',
      [userId],
    )) ?? null
  );
}

export async function totpEnabled(sql: Sql, userId: number): Promise<boolean> {
  return Boolean((await totpState(sql, userId))?.enabledAt);
}

/** Starts (or restarts) an enrolment with a new secret; TOTP stays off until confirmTotp(). */
export async function beginTotp(sql: Sql, userId: number, now: Date): Promise<string> {
  const secret = newTotpSecret();
  await sql.run(
    `INSERT INTO totp (user_id, secret, created_at, enabled_at, last_step) VALUES (?, ?, ?, NULL, NULL)
     ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
       enabled_at = NULL, last_step = NULL`,
    [userId, secret, now.toISOString()],
  );
  return secret;
}

/** Turns TOTP on once a code from the new secret is right; returns the recovery codes (shown once). */
export async function confirmTotp(
  sql: Sql,
  userId: number,
  code: string,
  now: Date,
): Promise<string[] | null> {
  const state = await totpState(sql, userId);
  if (!state || state.enabledAt) return null;
  const step = matchTotp(state.secret, code, now, null);
  if (step === null) return null;
  return sql.transaction(async (tx) => {
    await tx.run('UPDATE totp SET enabled_at = ?, last_step = ? WHERE user_id = ?', [
      now.toISOString(),
      step,
      userId,
    ]);
    return newRecoveryCodes(tx, userId, now);
  });
}

export async function disableTotp(sql: Sql, userId: number): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run('DELETE FROM totp WHERE user_id = ?', [userId]);
    await tx.run('DELETE FROM recovery_codes WHERE user_id = ?', [userId]);
  });
}

/** Ten codes like "7KQ4-M2XP-9TDF" (Crockford-ish alphabet: no 0/O, 1/I/L), replacing any earlier ones. */
export async function newRecoveryCodes(sql: Sql, userId: number, now: Date): Promise<string[]> {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: 3 }, () =>
      Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(''),
    ).join('-'),
  );
  await sql.run('DELETE FROM recovery_codes WHERE user_id = ?', [userId]);
  for (const c of codes)
    await sql.run('INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)', [
      userId,
      tokenHash(normalizeRecovery(c)),
      now.toISOString(),
    ]);
  return codes;
}

function normalizeRecovery(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export async function unusedRecoveryCodes(sql: Sql, userId: number): Promise<number> {
  const row = await sql.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL',
    [userId],
  );
  return row!.n;
}

/**
 * The second step of a login: a current TOTP code (not one used before) or an unused recovery code,
 * which is then spent. 'totp' | 'recovery' on success, null otherwise.
 */
export async function checkSecondFactor(
  sql: Sql,
  userId: number,
  input: string,
  now: Date,
): Promise<'totp' | 'recovery' | null> {
  return sql.transaction(async (tx) => {
    // Read inside the transaction: two requests with the same code must not both pass the
    // last-step check (with several dashboard processes on one PostgreSQL they can arrive at once).
    const state = await totpState(tx, userId);
    if (!state?.enabledAt) return null;
    const step = matchTotp(state.secret, input, now, state.lastStep);
    if (step !== null) {
      // Only moves forward: the row's step is compared again, so a code read by two racing requests
      // is spent by one of them.
      const { changes } = await tx.run(
        'UPDATE totp SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)',
        [step, userId, step],
      );
      return changes === 1 ? ('totp' as const) : null;
    }
    // Recovery codes are random (about 59 bits), so a plain SHA-256 lookup is enough.
    const spent = await tx.run(
      'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
      [now.toISOString(), userId, tokenHash(normalizeRecovery(input))],
    );
    return spent.changes === 1 ? ('recovery' as const) : null;
  });
}
