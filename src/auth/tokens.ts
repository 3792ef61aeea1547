// Random secrets handed to a browser or a script, and the only form of them the database keeps.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes in base64url (43 characters): a session, share-link or API-key secret. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex. Enough for 256-bit random tokens (no guessing to slow down), unlike passwords. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
