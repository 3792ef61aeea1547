// API keys: stored only hashed, scoped, narrowed within their user's sites, expiring, revocable, rate-limited.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ApiKeyError,
  authenticateKey,
  createApiKey,
  KeyRateLimiter,
  listApiKeys,
  revokeApiKey,
} from '../../src/auth/api-keys.ts';
import { addUser, setDisabled } from '../../src/auth/users.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

const HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';

function setup() {
  const { db, file } = tempDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  testDeps(db, testConfig(), clock);
  const viewer = addUser(
    db,
    { email: 'client@bakery.example', role: 'viewer', siteIds: [2], passwordHash: HASH },
    clock.now(),
  );
  return { db, file, clock, viewer };
}

describe('API keys', () => {
  it('keeps no plaintext key in the database file, only its hash', () => {
    const { db, file, clock, viewer } = setup();
    const { key, row } = createApiKey(db, { userId: viewer.id, name: 'reports', scope: 'read' }, clock.now());
    expect(key).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    expect(row.prefix).toBe(key.slice(0, 9));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(key.slice(3)))).toBe(false);
    expect(bytes.includes(Buffer.from(key.slice(9)))).toBe(false);
    expect(authenticateKey(db, key, clock.now())?.user.email).toBe('client@bakery.example');
  });

  it('acts as its user and never beyond the user’s sites', () => {
    const { db, clock, viewer } = setup();
    const { key } = createApiKey(db, { userId: viewer.id, name: '', scope: 'write' }, clock.now());
    expect(authenticateKey(db, key, clock.now())?.siteIds).toEqual([2]);
    expect(() =>
      createApiKey(db, { userId: viewer.id, name: '', scope: 'read', siteIds: [1] }, clock.now()),
    ).toThrow(ApiKeyError);
  });

  it('stops opening anything once revoked, expired, or its user disabled', () => {
    const { db, clock, viewer } = setup();
    const revoked = createApiKey(db, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    const expiring = createApiKey(
      db,
      { userId: viewer.id, name: '', scope: 'read', expiresAt: new Date(clock.t + 3_600_000) },
      clock.now(),
    );
    expect(revokeApiKey(db, revoked.row.id, viewer.id, clock.now())).toBe(true);
    expect(revokeApiKey(db, revoked.row.id, viewer.id, clock.now())).toBe(false);
    expect(authenticateKey(db, revoked.key, clock.now())).toBeNull();
    expect(authenticateKey(db, expiring.key, clock.now())).not.toBeNull();
    expect(listApiKeys(db, viewer.id).find((k) => k.id === expiring.row.id)?.lastUsedAt).toBe(
      '2026-11-27T09:00:00.000Z',
    );
    clock.advance(3_600_000);
    expect(authenticateKey(db, expiring.key, clock.now())).toBeNull();
    const fresh = createApiKey(db, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    setDisabled(db, viewer.id, true, clock.now());
    expect(authenticateKey(db, fresh.key, clock.now())).toBeNull();
  });

  it('refuses a key one character off', () => {
    const { db, clock, viewer } = setup();
    const { key } = createApiKey(db, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    const off = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(authenticateKey(db, off, clock.now())).toBeNull();
  });

  it('lets a burst through, then one request per refill, with the wait in whole seconds', () => {
    const clock = new FakeClock(0);
    const limiter = new KeyRateLimiter(clock.now, 60, 3);
    expect([limiter.take(1), limiter.take(1), limiter.take(1)]).toEqual([0, 0, 0]);
    expect(limiter.take(1)).toBe(1);
    expect(limiter.take(2)).toBe(0);
    clock.advance(1000);
    expect(limiter.take(1)).toBe(0);
    expect(limiter.take(1)).toBe(1);
  });
});
