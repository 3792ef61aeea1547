// Share links in the database: only the token's hash is kept; revoked and expired links open nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createShareLink,
  listShareLinks,
  openShareLink,
  revokeShareLink,
} from '../../src/auth/share-links.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

function setup() {
  const { db, file } = tempDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  testDeps(db, testConfig(), clock);
  return { db, file, clock, studio: getSiteByName(db, 'studio')!.id };
}

describe('share links', () => {
  it('opens the site it was made for and keeps no plaintext token in the database file', () => {
    const { db, file, clock, studio } = setup();
    const { token } = createShareLink(db, { siteId: studio, by: null, label: 'for the bakery' }, clock.now());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(openShareLink(db, token, clock.now())).toMatchObject({ siteId: studio, reportId: null });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(file).includes(Buffer.from(token))).toBe(false);
    expect(listShareLinks(db, [studio])[0]).toMatchObject({
      label: 'for the bakery',
      lastUsedAt: clock.now().toISOString(),
    });
  });

  it('opens nothing once revoked, once expired, or for a token one character off', () => {
    const { db, clock, studio } = setup();
    const a = createShareLink(db, { siteId: studio, by: null }, clock.now());
    const b = createShareLink(
      db,
      { siteId: studio, by: null, expiresAt: new Date(clock.t + 3_600_000) },
      clock.now(),
    );
    const off = (a.token[0] === 'A' ? 'B' : 'A') + a.token.slice(1);
    expect(openShareLink(db, off, clock.now())).toBeNull();
    expect(revokeShareLink(db, a.id, clock.now())).toBe(true);
    expect(openShareLink(db, a.token, clock.now())).toBeNull();
    expect(openShareLink(db, b.token, clock.now())).not.toBeNull();
    clock.advance(3_600_000);
    expect(openShareLink(db, b.token, clock.now())).toBeNull();
  });

  it('lists only the links of the sites asked for', () => {
    const { db, clock, studio } = setup();
    const bakery = getSiteByName(db, 'bakery')!.id;
    createShareLink(db, { siteId: studio, by: null }, clock.now());
    createShareLink(db, { siteId: bakery, by: null }, clock.now());
    expect(listShareLinks(db, [bakery]).map((l) => l.siteId)).toEqual([bakery]);
    expect(listShareLinks(db, null)).toHaveLength(2);
  });
});
