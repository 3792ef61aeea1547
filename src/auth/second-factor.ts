// A user's TOTP enrolment and recovery codes in the database: enrol, confirm, check at login, disable.
import { randomInt } from 'node:crypto';
import type { Db } from '../db/open.ts';
import { tokenHash } from './tokens.ts';
import { matchTotp, newTotpSecret } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

export interface TotpState {
  secret: string;
  enabledAt: string | null;
  lastStep: number | null;
}

export function totpState(db: Db, userId: number): TotpState | null {
  return (
    (db
      .prepare('SELECT secret, enabled_at AS enabledAt, last_step AS lastStep FROM totp WHERE user_id = ?')
      .get(userId) as TotpState | undefined) ?? null
  );
}

export function totpEnabled(db: Db, userId: number): boolean {
  return Boolean(totpState(db, userId)?.enabledAt);
}

/** Starts (or restarts) an enrolment with a new secret; TOTP stays off until confirmTotp(). */
export function beginTotp(db: Db, userId: number, now: Date): string {
  const secret = newTotpSecret();
  db.prepare(
    `INSERT INTO totp (user_id, secret, created_at, enabled_at, last_step) VALUES (?, ?, ?, NULL, NULL)
     ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
       enabled_at = NULL, last_step = NULL`,
  ).run(userId, secret, now.toISOString());
  return secret;
}

/** Turns TOTP on once a code from the new secret is right; returns the recovery codes (shown once). */
export function confirmTotp(db: Db, userId: number, code: string, now: Date): string[] | null {
  const state = totpState(db, userId);
  if (!state || state.enabledAt) return null;
  const step = matchTotp(state.secret, code, now, null);
  if (step === null) return null;
  return db.transaction(() => {
    db.prepare('UPDATE totp SET enabled_at = ?, last_step = ? WHERE user_id = ?').run(
      now.toISOString(),
      step,
      userId,
    );
    return newRecoveryCodes(db, userId, now);
  })();
}

export function disableTotp(db: Db, userId: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM totp WHERE user_id = ?').run(userId);
    db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  })();
}

/** Ten codes like "7KQ4-M2XP-9TDF" (Crockford-ish alphabet: no 0/O, 1/I/L), replacing any earlier ones. */
export function newRecoveryCodes(db: Db, userId: number, now: Date): string[] {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: 3 }, () =>
      Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(''),
    ).join('-'),
  );
  db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  const insert = db.prepare('INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)');
  for (const c of codes) insert.run(userId, tokenHash(normalizeRecovery(c)), now.toISOString());
  return codes;
}

function normalizeRecovery(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function unusedRecoveryCodes(db: Db, userId: number): number {
  return db
    .prepare('SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL')
    .pluck()
    .get(userId) as number;
}

/**
 * The second step of a login: a current TOTP code (not one used before) or an unused recovery code,
 * which is then spent. 'totp' | 'recovery' on success, null otherwise.
 */
export function checkSecondFactor(
  db: Db,
  userId: number,
  input: string,
  now: Date,
): 'totp' | 'recovery' | null {
  const state = totpState(db, userId);
  if (!state?.enabledAt) return null;
  return db.transaction(() => {
    const step = matchTotp(state.secret, input, now, state.lastStep);
    if (step !== null) {
      db.prepare('UPDATE totp SET last_step = ? WHERE user_id = ?').run(step, userId);
      return 'totp' as const;
    }
    // Recovery codes are random (about 59 bits), so a plain SHA-256 lookup is enough.
    const spent = db
      .prepare(
        'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
      )
      .run(now.toISOString(), userId, tokenHash(normalizeRecovery(input)));
    return spent.changes === 1 ? ('recovery' as const) : null;
  })();
}
