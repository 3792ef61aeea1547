// Share links in the database: only the token's hash is kept; revoked and expired links open nothing.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createShareLink,
  getShareLink,
  listShareLinks,
  openShareLink,
  revokeShareLink,
} from '../../src/auth/share-links.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer, type Backend } from '../pg/backends.ts';
import { FakeClock, tempDb, testConfig, testDeps, describeSqliteOnly, siteNamed } from '../helpers.ts';

afterAll(stopPgServer);

function setup() {
  const { db, file } = tempDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  testDeps(db, testConfig(), clock);
  return { db, sql: storeOf(db), file, clock, studio: siteNamed(db, 'studio')!.id };
}

/** A fresh store of the backend with the two sites the tests share links of. */
async function store(backend: Backend): Promise<{ sql: Sql; studio: number; bakery: number }> {
  const { sql } = await backend.open();
  for (const [id, name] of [
    [1, 'studio'],
    [2, 'bakery'],
  ] as const)
    await sql.run(
      `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (?, ?, ?, 'Europe/Moscow', '2026-01-01')`,
      [id, name, `https://${name}.example/`],
    );
  return { sql, studio: 1, bakery: 2 };
}

describeSqliteOnly('reads the bytes of the SQLite file', 'share links', () => {
  it('opens the site it was made for and keeps no plaintext token in the database file', async () => {
    const { db, sql, file, clock, studio } = setup();
    const { token } = await createShareLink(
      sql,
      { siteId: studio, by: null, label: 'for the bakery' },
      clock.now(),
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await openShareLink(sql, token, clock.now())).toMatchObject({ siteId: studio, reportId: null });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(file).includes(Buffer.from(token))).toBe(false);
    expect((await listShareLinks(sql, [studio]))[0]).toMatchObject({
      label: 'for the bakery',
      lastUsedAt: clock.now().toISOString(),
    });
  });
});

describe.each(BACKENDS)('share links on $name', (backend) => {
  it('opens nothing once revoked, once expired, or for a token one character off', async () => {
    const { sql, studio } = await store(backend);
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const a = await createShareLink(sql, { siteId: studio, by: null }, clock.now());
    const b = await createShareLink(
      sql,
      { siteId: studio, by: null, expiresAt: new Date(clock.t + 3_600_000) },
      clock.now(),
    );
    const off = (a.token[0] === 'A' ? 'B' : 'A') + a.token.slice(1);
    expect(await openShareLink(sql, off, clock.now())).toBeNull();
    expect(await revokeShareLink(sql, a.id, clock.now())).toBe(true);
    expect(await revokeShareLink(sql, a.id, clock.now())).toBe(false);
    expect(await openShareLink(sql, a.token, clock.now())).toBeNull();
    expect(await openShareLink(sql, b.token, clock.now())).toEqual({
      id: b.id,
      siteId: studio,
      reportId: null,
    });
    expect(await getShareLink(sql, b.id)).toMatchObject({
      siteId: studio,
      reportId: null,
      label: '',
      createdBy: null,
      revokedAt: null,
      lastUsedAt: clock.now().toISOString(),
    });
    clock.advance(3_600_000);
    expect(await openShareLink(sql, b.token, clock.now())).toBeNull();
    await sql.close();
  });

  it('lists only the links of the sites asked for, newest first', async () => {
    const { sql, studio, bakery } = await store(backend);
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const first = await createShareLink(sql, { siteId: studio, by: null }, clock.now());
    await createShareLink(sql, { siteId: bakery, by: null }, clock.now());
    clock.advance(60_000);
    const last = await createShareLink(sql, { siteId: studio, by: null }, clock.now());
    expect((await listShareLinks(sql, [bakery])).map((l) => l.siteId)).toEqual([bakery]);
    expect(await listShareLinks(sql, null)).toHaveLength(3);
    expect((await listShareLinks(sql, [studio])).map((l) => l.id)).toEqual([last.id, first.id]);
    await sql.close();
  });
});
