import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp } from '../../src/auth/totp.ts';

const SEED = Buffer.from('12345678901234567890', 'ascii');

describe('totp()', () => {
  // RFC 6238 appendix B, SHA-1 column (https://www.rfc-editor.org/rfc/rfc6238#appendix-B).
  const VECTORS: [seconds: number, code: string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  it.each(VECTORS)('gives RFC 6238 test vector at T=%i: %s', (seconds, code) => {
    expect(totp(SEED, new Date(seconds * 1000), 8)).toBe(code);
  });

  it('gives RFC 4226 appendix D HOTP values for counters 0 and 9', () => {
    expect(hotp(SEED, 0)).toBe('755224');
    expect(hotp(SEED, 9)).toBe('520489');
  });
});

describe('base32', () => {
  it('round-trips and matches RFC 4648 section 10', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode(base32Encode(SEED)).equals(SEED)).toBe(true);
  });
});

describe('matchTotp()', () => {
  const secret = base32Encode(SEED);
  const at = new Date(1111111111 * 1000);
  const step = Math.floor(1111111111 / 30);
  const code = (s: number) => hotp(SEED, s);

  it('accepts the current step and one either side, and nothing further', () => {
    expect(matchTotp(secret, code(step), at, null)).toBe(step);
    expect(matchTotp(secret, code(step - 1), at, null)).toBe(step - 1);
    expect(matchTotp(secret, code(step + 1), at, null)).toBe(step + 1);
    expect(matchTotp(secret, code(step - 2), at, null)).toBeNull();
    expect(matchTotp(secret, code(step + 2), at, null)).toBeNull();
  });

  it('refuses a code of a step already used, or older (no replay)', () => {
    expect(matchTotp(secret, code(step), at, step)).toBeNull();
    expect(matchTotp(secret, code(step - 1), at, step)).toBeNull();
    expect(matchTotp(secret, code(step + 1), at, step)).toBe(step + 1);
  });

  it('refuses anything but six digits', () => {
    expect(matchTotp(secret, '', at, null)).toBeNull();
    expect(matchTotp(secret, `${code(step)}0`, at, null)).toBeNull();
  });
});

describe('otpauthUri()', () => {
  it('names the issuer, the account and the parameters apps read', () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'anna@studio.example')).toBe(
      'otpauth://totp/promowatch:anna%40studio.example?secret=JBSWY3DPEHPK3PXP&issuer=promowatch&algorithm=SHA1&digits=6&period=30',
    );
  });
});
