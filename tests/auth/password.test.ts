import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from '../../src/auth/password.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('hashPassword()', () => {
  it('writes a self-describing scrypt string with the default parameters', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // OWASP's equivalent of its N=2^17 minimum at N=2^15 is p=3.
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 15, r: 8, p: 3 });
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
  });

  it('salts each hash, so the same password hashes differently', async () => {
    expect(await hashPassword('same password!', CHEAP)).not.toBe(await hashPassword('same password!', CHEAP));
  });
});

describe('verifyPassword()', () => {
  it('reads the parameters from the stored string', async () => {
    const h = await hashPassword('пароль-длинный', CHEAP);
    expect(h.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('пароль-длинный', h)).toBe(true);
    expect(await verifyPassword('пароль-длинныЙ', h)).toBe(false);
  });

  it('matches nothing against a malformed or absurd stored string', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).toBe(false);
  });
});

describe('needsRehash()', () => {
  it('asks for a rehash of a hash weaker than today’s parameters only', async () => {
    expect(needsRehash(await hashPassword('a long password', CHEAP))).toBe(true);
    expect(needsRehash(await hashPassword('a long password'))).toBe(false);
  });
});

describe('passwordProblem()', () => {
  it('refuses blank and short passwords, counting characters not bytes', () => {
    expect(passwordProblem(' '.repeat(20))).toBe('blank');
    expect(passwordProblem('hunter2-abc')).toBe('short');
    expect(passwordProblem('пароль-длинн')).toBeNull();
  });
});
