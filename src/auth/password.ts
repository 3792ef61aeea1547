// Password hashing for user accounts: Node's scrypt in a self-describing string, verified timing-safe.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Shortest password accepted on an address other machines reach, and for every user account. NIST SP
 * 800-63B rev. 4 wants 15 for a password that is the only factor
 * (https://pages.nist.gov/800-63-4/sp800-63b.html); 12 is the floor set for now, with the login limiter
 * slowing what guessing remains. */
export const MIN_PASSWORD_LENGTH = 12;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's password storage cheat sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt) lists
 * equivalent minimums: N=2^17 r=8 p=1, N=2^16 r=8 p=2, N=2^15 r=8 p=3, … We take N=2^15, r=8, p=3:
 * the same work as the first, but 32 MiB per hash instead of 128 MiB, so a burst of logins on a small
 * VPS does not run it out of memory. Measured on the development machine (2 shared cores, busy):
 * 2^15/8/1 ≈ 0.39 s, 2^16/8/1 ≈ 0.78 s, 2^17/8/1 ≈ 1.6 s, so 2^15/8/3 ≈ 1.2 s there and about a
 * third of that on an idle core — slow for a guesser, tolerable for one login.
 * Stored hashes carry their parameters: raising these later rehashes each password at its next login.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is just too small for N=2^15, r=8.
  const maxmem = 128 * N * r + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** "scrypt$N$r$p$salt$hash", salt and hash in base64url. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Refuse absurd parameters from a tampered row rather than allocate gigabytes.
  if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { params: { N, r, p }, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') };
}

/** True when `password` matches the stored string; a malformed string matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** A stored hash made with weaker parameters than today's: rehash it after a successful login. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  return parsed.params.N * parsed.params.r * parsed.params.p < params.N * params.r * params.p;
}

/** Why a new password is refused, or null: shorter than MIN_PASSWORD_LENGTH characters, or blank. */
export function passwordProblem(password: string): 'blank' | 'short' | null {
  if (/^\s*$/u.test(password)) return 'blank';
  return [...password].length < MIN_PASSWORD_LENGTH ? 'short' : null;
}

/** A password hash to compare against when the e-mail is unknown, so both answers take as long. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
