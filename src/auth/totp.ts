// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps compute them.
// https://www.rfc-editor.org/rfc/rfc6238 — SHA-1, 30-second steps, 6 digits: what every app supports.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const STEP_SECONDS = 30;
export const DIGITS = 6;
/** Codes of the step before and after are accepted too: clocks drift and people type slowly. */
export const WINDOW = 1;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: how otpauth:// URIs carry the secret. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not a base32 character: "${ch}"`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** 20 random bytes (160 bits, RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** RFC 4226 HOTP with dynamic truncation. */
export function hotp(key: Buffer, counter: number, digits = DIGITS): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / STEP_SECONDS);
}

/** The code for the step `now` falls in. */
export function totp(key: Buffer, now: Date, digits = DIGITS): string {
  return hotp(key, stepAt(now), digits);
}

/**
 * The step a code belongs to, within ±WINDOW of now and later than `lastStep` (a code once accepted
 * is never accepted again, nor any older one), or null.
 */
export function matchTotp(secret: string, code: string, now: Date, lastStep: number | null): number | null {
  const typed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(typed)) return null;
  const key = base32Decode(secret);
  const current = stepAt(now);
  let found: number | null = null;
  // Every candidate is compared (no early exit), in constant time each.
  for (let s = current - WINDOW; s <= current + WINDOW; s++) {
    const ok = timingSafeEqual(Buffer.from(hotp(key, s)), Buffer.from(typed));
    if (ok && (lastStep === null || s > lastStep) && found === null) found = s;
  }
  return found;
}

/** The otpauth:// URI an authenticator app reads (as a QR code or pasted):
 * https://github.com/google/google-authenticator/wiki/Key-Uri-Format */
export function otpauthUri(secret: string, account: string, issuer = 'promowatch'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const q = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${q.toString()}`;
}
