// The second factor in the database (enrol, confirm, check, recovery codes, disable), on both backends.
import { afterAll, describe, expect, it } from 'vitest';
import {
  beginTotp,
  checkSecondFactor,
  confirmTotp,
  disableTotp,
  newRecoveryCodes,
  totpEnabled,
  totpState,
  unusedRecoveryCodes,
} from '../../src/auth/second-factor.ts';
import { base32Decode, hotp, stepAt } from '../../src/auth/totp.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T09:00:00Z');

async function userIn(sql: Sql): Promise<number> {
  const row = await sql.get<{ id: number }>(
    `INSERT INTO users (email, display_name, language, password_hash, role, created_at)
     VALUES ('owner@studio.example', 'Мария', NULL, 'scrypt$test', 'admin', '2026-11-01T00:00:00Z') RETURNING id`,
  );
  return row!.id;
}

const codeAt = (secret: string, at: Date, offset = 0) => hotp(base32Decode(secret), stepAt(at) + offset);

describe.each(BACKENDS)('second factor on $name', (backend) => {
  it('turns on only with a right code, then takes each code once and each recovery code once', async () => {
    const { sql } = await backend.open();
    const id = await userIn(sql);
    expect(await totpState(sql, id)).toBeNull();
    const secret = await beginTotp(sql, id, NOW);
    expect(await totpState(sql, id)).toEqual({ secret, enabledAt: null, lastStep: null });
    expect(await totpEnabled(sql, id)).toBe(false);
    expect(await checkSecondFactor(sql, id, codeAt(secret, NOW), NOW)).toBeNull();
    const wrong = codeAt(secret, NOW) === '000000' ? '111111' : '000000';
    expect(await confirmTotp(sql, id, wrong, NOW)).toBeNull();
    const codes = (await confirmTotp(sql, id, codeAt(secret, NOW, -1), NOW))!;
    expect(codes).toHaveLength(10);
    expect(await totpEnabled(sql, id)).toBe(true);
    expect(await totpState(sql, id)).toMatchObject({
      enabledAt: NOW.toISOString(),
      lastStep: stepAt(NOW) - 1,
    });
    expect(await unusedRecoveryCodes(sql, id)).toBe(10);

    // The code used to confirm is spent; the current one passes once.
    expect(await checkSecondFactor(sql, id, codeAt(secret, NOW, -1), NOW)).toBeNull();
    expect(await checkSecondFactor(sql, id, codeAt(secret, NOW), NOW)).toBe('totp');
    expect(await checkSecondFactor(sql, id, codeAt(secret, NOW), NOW)).toBeNull();

    expect(await checkSecondFactor(sql, id, codes[3]!.toLowerCase(), NOW)).toBe('recovery');
    expect(await checkSecondFactor(sql, id, codes[3]!, NOW)).toBeNull();
    expect(await unusedRecoveryCodes(sql, id)).toBe(9);

    const fresh = await newRecoveryCodes(sql, id, NOW);
    expect(await unusedRecoveryCodes(sql, id)).toBe(10);
    expect(await checkSecondFactor(sql, id, codes[4]!, NOW)).toBeNull();
    expect(await checkSecondFactor(sql, id, fresh[0]!, NOW)).toBe('recovery');

    await disableTotp(sql, id);
    expect(await totpState(sql, id)).toBeNull();
    expect(await unusedRecoveryCodes(sql, id)).toBe(0);
    await sql.close();
  });

  it('lets only one of several requests arriving at once with the same code through', async () => {
    const { sql } = await backend.open();
    const id = await userIn(sql);
    const secret = await beginTotp(sql, id, NOW);
    await confirmTotp(sql, id, codeAt(secret, NOW, -1), NOW);
    const code = codeAt(secret, NOW);
    const results = await Promise.all([
      checkSecondFactor(sql, id, code, NOW),
      checkSecondFactor(sql, id, code, NOW),
      checkSecondFactor(sql, id, code, NOW),
    ]);
    expect(results.filter((r) => r === 'totp')).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(2);
    await sql.close();
  });
});
