// The user store (add, find, list, role and sites, disable, remove, the first admin) on both backends.
import { afterAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/auth/first-admin.ts';
import {
  addUser,
  countUsers,
  findUserByEmail,
  getUser,
  listUsers,
  removeUser,
  setDisabled,
  setPasswordHash,
  setProfile,
  setRole,
  UserError,
} from '../../src/auth/users.ts';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer, type Backend } from '../pg/backends.ts';

afterAll(stopPgServer);

const HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';
const NOW = new Date('2026-11-27T09:00:00Z');

async function open(backend: Backend): Promise<Sql> {
  const { sql } = await backend.open();
  for (const [id, name] of [
    [1, 'studio'],
    [2, 'bakery'],
  ] as const)
    await sql.run(
      `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (?, ?, ?, 'Europe/Moscow', '2026-01-01')`,
      [id, name, `https://${name}.example/`],
    );
  return sql;
}

describe.each(BACKENDS)('users on $name', (backend) => {
  it('adds users with their sites, finds them by e-mail in any case, and lists them by e-mail', async () => {
    const sql = await open(backend);
    expect(await countUsers(sql)).toBe(0);
    const viewer = await addUser(
      sql,
      { email: ' Client@Bakery.example ', role: 'viewer', siteIds: [2, 1, 2], passwordHash: HASH },
      NOW,
    );
    expect(viewer).toMatchObject({
      email: 'client@bakery.example',
      displayName: '',
      language: null,
      role: 'viewer',
      createdAt: NOW.toISOString(),
      disabledAt: null,
      siteIds: [1, 2],
    });
    await addUser(sql, { email: 'a_b@studio.example', role: 'admin', siteIds: [1], passwordHash: HASH }, NOW);
    await addUser(
      sql,
      {
        email: 'a.b@studio.example',
        role: 'editor',
        siteIds: [1],
        passwordHash: HASH,
        displayName: ' Анна ',
      },
      NOW,
    );
    expect(await countUsers(sql)).toBe(3);
    expect((await findUserByEmail(sql, 'CLIENT@bakery.EXAMPLE'))?.id).toBe(viewer.id);
    expect(await findUserByEmail(sql, 'nobody@bakery.example')).toBeNull();
    expect(await getUser(sql, 9999)).toBeNull();
    // SQLite's order (byte order of the lower-cased address): "." before "_" before letters.
    const list = await listUsers(sql);
    expect(list.map((u) => u.email)).toEqual([
      'a.b@studio.example',
      'a_b@studio.example',
      'client@bakery.example',
    ]);
    // An admin has every site and no grants.
    expect(list.map((u) => u.siteIds)).toEqual([[1], [], [1, 2]]);
    expect(list[0]!.displayName).toBe('Анна');
    await expect(
      addUser(sql, { email: 'CLIENT@bakery.example', role: 'viewer', passwordHash: HASH }, NOW),
    ).rejects.toThrow(UserError);
    await expect(
      addUser(sql, { email: 'not an address', role: 'viewer', passwordHash: HASH }, NOW),
    ).rejects.toThrow(UserError);
    await sql.close();
  });

  it('changes role, sites, password and profile, and never leaves no active admin', async () => {
    const sql = await open(backend);
    const admin = await addUser(
      sql,
      { email: 'owner@studio.example', role: 'admin', passwordHash: HASH },
      NOW,
    );
    const editor = await addUser(
      sql,
      { email: 'marketer@studio.example', role: 'editor', siteIds: [1], passwordHash: HASH },
      NOW,
    );
    await expect(setRole(sql, admin.id, 'viewer', [1])).rejects.toThrow(/last active admin/);
    await expect(setDisabled(sql, admin.id, true, NOW)).rejects.toThrow(/last active admin/);
    await expect(removeUser(sql, admin.id)).rejects.toThrow(/last active admin/);
    expect((await getUser(sql, admin.id))?.role).toBe('admin');
    await setRole(sql, editor.id, 'viewer', [2]);
    expect(await getUser(sql, editor.id)).toMatchObject({ role: 'viewer', siteIds: [2] });
    await setRole(sql, editor.id, 'admin', [1, 2]);
    expect(await getUser(sql, editor.id)).toMatchObject({ role: 'admin', siteIds: [] });
    // Another admin now exists: the first may step down, then the second may not.
    await setRole(sql, admin.id, 'editor', [1]);
    await expect(setDisabled(sql, editor.id, true, NOW)).rejects.toThrow(/last active admin/);
    await setDisabled(sql, admin.id, true, NOW);
    expect((await getUser(sql, admin.id))?.disabledAt).toBe(NOW.toISOString());
    await setDisabled(sql, admin.id, false, NOW);
    expect((await getUser(sql, admin.id))?.disabledAt).toBeNull();
    await setPasswordHash(sql, admin.id, 'scrypt$new');
    await setProfile(sql, admin.id, ' Мария ', 'ru');
    expect(await getUser(sql, admin.id)).toMatchObject({
      passwordHash: 'scrypt$new',
      displayName: 'Мария',
      language: 'ru',
    });
    await removeUser(sql, admin.id);
    expect(await getUser(sql, admin.id)).toBeNull();
    await expect(removeUser(sql, admin.id)).rejects.toThrow(/no user/);
    await sql.close();
  });

  it('keeps one admin when two admins step down at the same moment', async () => {
    const { sql, url } = await backend.open();
    const other = backend.name === 'postgres' ? await openStore({ kind: 'postgres', url }) : sql;
    // Several rounds: the two transactions overlap only when their statements interleave.
    for (let round = 0; round < 10; round++) {
      const a = await addUser(
        sql,
        { email: `owner${round}@studio.example`, role: 'admin', passwordHash: HASH },
        NOW,
      );
      const b = await addUser(
        sql,
        { email: `partner${round}@studio.example`, role: 'admin', passwordHash: HASH },
        NOW,
      );
      const results = await Promise.allSettled([
        setRole(sql, a.id, 'viewer', []),
        setDisabled(other, b.id, true, NOW),
      ]);
      expect(
        results.filter((r) => r.status === 'rejected'),
        `round ${round}`,
      ).toHaveLength(1);
      const admins = (await listUsers(sql)).filter((u) => u.role === 'admin' && u.disabledAt === null);
      expect(admins, `round ${round}`).toHaveLength(1);
      // The next round starts with no users.
      await sql.run('DELETE FROM users');
    }
    if (other !== sql) await other.close();
    await sql.close();
  });

  it('makes one first admin from the shared password, even when two starts race', async () => {
    const { sql, url } = await backend.open();
    // Two processes starting at once: on PostgreSQL two connections, on SQLite (one file in memory
    // here) the one store, whose write lock serialises them.
    const other = backend.name === 'postgres' ? await openStore({ kind: 'postgres', url }) : sql;
    const opts = { password: 'the shared password', email: 'owner@studio.example', now: NOW };
    const made = await Promise.all([ensureFirstAdmin(sql, opts), ensureFirstAdmin(other, opts)]);
    expect(made.filter((m) => m !== null)).toEqual(['owner@studio.example']);
    expect(await countUsers(sql)).toBe(1);
    expect(await ensureFirstAdmin(sql, opts)).toBeNull();
    if (other !== sql) await other.close();
    await sql.close();
  });
});
