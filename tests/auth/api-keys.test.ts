// API keys: stored only hashed, scoped, narrowed within their user's sites, expiring, revocable.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ApiKeyError,
  authenticateKey,
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../src/auth/api-keys.ts';
import { addUser, setDisabled } from '../../src/auth/users.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer, type Backend } from '../pg/backends.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

afterAll(stopPgServer);

const HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';

async function withViewer(sql: Sql) {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const viewer = await addUser(
    sql,
    { email: 'client@bakery.example', role: 'viewer', siteIds: [2], passwordHash: HASH },
    clock.now(),
  );
  return { sql, clock, viewer };
}

/** A fresh store of the backend with the studio (1) and the bakery (2), and the bakery's viewer. */
async function setup(backend: Backend) {
  const { sql } = await backend.open();
  for (const [id, name] of [
    [1, 'studio'],
    [2, 'bakery'],
  ] as const)
    await sql.run(
      `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (?, ?, ?, 'Europe/Moscow', '2026-01-01')`,
      [id, name, `https://${name}.example/`],
    );
  return withViewer(sql);
}

describe('API keys in the database file', () => {
  it('keeps no plaintext key in the database file, only its hash', async () => {
    const { db, file } = tempDb();
    testDeps(db, testConfig(), new FakeClock(Date.parse('2026-11-27T09:00:00Z')));
    const { sql, clock, viewer } = await withViewer(storeOf(db));
    const { key, row } = await createApiKey(
      sql,
      { userId: viewer.id, name: 'reports', scope: 'read' },
      clock.now(),
    );
    expect(key).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    expect(row.prefix).toBe(key.slice(0, 9));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(key.slice(3)))).toBe(false);
    expect(bytes.includes(Buffer.from(key.slice(9)))).toBe(false);
    expect((await authenticateKey(sql, key, clock.now()))?.user.email).toBe('client@bakery.example');
  });
});

describe.each(BACKENDS)('API keys on $name', (backend) => {
  it('acts as its user and never beyond the user’s sites', async () => {
    const { sql, clock, viewer } = await setup(backend);
    const { key } = await createApiKey(sql, { userId: viewer.id, name: '', scope: 'write' }, clock.now());
    expect((await authenticateKey(sql, key, clock.now()))?.siteIds).toEqual([2]);
    await expect(
      createApiKey(sql, { userId: viewer.id, name: '', scope: 'read', siteIds: [1] }, clock.now()),
    ).rejects.toThrow(ApiKeyError);
    await sql.close();
  });

  it('narrows an admin’s key to the sites named, and refuses a site that does not exist', async () => {
    const { sql, clock } = await setup(backend);
    const admin = await addUser(
      sql,
      { email: 'owner@studio.example', role: 'admin', passwordHash: HASH },
      clock.now(),
    );
    const all = await createApiKey(sql, { userId: admin.id, name: 'all', scope: 'read' }, clock.now());
    expect((await authenticateKey(sql, all.key, clock.now()))?.siteIds).toBeNull();
    const one = await createApiKey(
      sql,
      { userId: admin.id, name: 'bakery', scope: 'write', siteIds: [2, 2] },
      clock.now(),
    );
    expect(await getApiKey(sql, one.row.id)).toMatchObject({ name: 'bakery', scope: 'write', siteIds: [2] });
    expect((await authenticateKey(sql, one.key, clock.now()))?.siteIds).toEqual([2]);
    await expect(
      createApiKey(sql, { userId: admin.id, name: '', scope: 'read', siteIds: [7] }, clock.now()),
    ).rejects.toThrow(/no site #7/);
    await sql.close();
  });

  it('stops opening anything once revoked, expired, or its user disabled', async () => {
    const { sql, clock, viewer } = await setup(backend);
    const revoked = await createApiKey(sql, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    const expiring = await createApiKey(
      sql,
      { userId: viewer.id, name: '', scope: 'read', expiresAt: new Date(clock.t + 3_600_000) },
      clock.now(),
    );
    expect(await revokeApiKey(sql, revoked.row.id, viewer.id + 1, clock.now())).toBe(false);
    expect(await revokeApiKey(sql, revoked.row.id, viewer.id, clock.now())).toBe(true);
    expect(await revokeApiKey(sql, revoked.row.id, viewer.id, clock.now())).toBe(false);
    expect(await revokeApiKey(sql, revoked.row.id, null, clock.now())).toBe(false);
    expect(await authenticateKey(sql, revoked.key, clock.now())).toBeNull();
    expect(await authenticateKey(sql, expiring.key, clock.now())).not.toBeNull();
    expect((await listApiKeys(sql, viewer.id)).find((k) => k.id === expiring.row.id)?.lastUsedAt).toBe(
      '2026-11-27T09:00:00.000Z',
    );
    clock.advance(3_600_000);
    expect(await authenticateKey(sql, expiring.key, clock.now())).toBeNull();
    const fresh = await createApiKey(sql, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    expect(await revokeApiKey(sql, fresh.row.id, null, clock.now())).toBe(true);
    const last = await createApiKey(sql, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    await setDisabled(sql, viewer.id, true, clock.now());
    expect(await authenticateKey(sql, last.key, clock.now())).toBeNull();
    await sql.close();
  });

  it('lists a user’s keys, or everyone’s, newest first', async () => {
    const { sql, clock, viewer } = await setup(backend);
    const admin = await addUser(
      sql,
      { email: 'owner@studio.example', role: 'admin', passwordHash: HASH },
      clock.now(),
    );
    const a = await createApiKey(sql, { userId: viewer.id, name: 'a', scope: 'read' }, clock.now());
    const b = await createApiKey(sql, { userId: admin.id, name: 'b', scope: 'read' }, clock.now());
    clock.advance(60_000);
    const c = await createApiKey(sql, { userId: viewer.id, name: 'c', scope: 'read' }, clock.now());
    expect((await listApiKeys(sql, viewer.id)).map((k) => k.name)).toEqual(['c', 'a']);
    expect((await listApiKeys(sql, null)).map((k) => k.id)).toEqual([c.row.id, b.row.id, a.row.id]);
    await sql.close();
  });

  it('refuses a key one character off', async () => {
    const { sql, clock, viewer } = await setup(backend);
    const { key } = await createApiKey(sql, { userId: viewer.id, name: '', scope: 'read' }, clock.now());
    const off = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(await authenticateKey(sql, off, clock.now())).toBeNull();
    await sql.close();
  });
});
