// The dashboard's read cache: reused while the database is unchanged, recomputed after any write — also a
// write by another process (another dashboard on the same PostgreSQL) — and a failed async computation
// is never served again.
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { cachedRead, cachedReadOnDb } from '../../src/db/read-cache.ts';
import { openStore } from '../../src/db/store/open.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { describeSqliteOnly, tempDir } from '../helpers.ts';
import { join } from 'node:path';

afterAll(stopPgServer);

describe.each(BACKENDS)('cachedRead on $name', (backend) => {
  it('reuses a value until the database changes', async () => {
    const { sql } = await backend.open();
    try {
      let calls = 0;
      const read = () => cachedRead(sql, 'k', () => ++calls);
      expect([await read(), await read()]).toEqual([1, 1]);
      await sql.run(`INSERT INTO meta (key, value) VALUES ('x', 'y')`);
      expect(await read()).toBe(2);
      expect(await read()).toBe(2);
    } finally {
      await sql.close();
    }
  });

  it('forgets a computation that failed, so the next request tries again', async () => {
    const { sql } = await backend.open();
    try {
      let calls = 0;
      const read = () =>
        cachedRead(sql, 'k', async () => {
          calls++;
          if (calls === 1) throw new Error('the query failed');
          return 'ok';
        });
      await expect(read()).rejects.toThrow('the query failed');
      expect(await read()).toBe('ok');
      expect(await read()).toBe('ok');
      expect(calls).toBe(2);
    } finally {
      await sql.close();
    }
  });

  it('sees a write committed through another connection to the same database', async () => {
    const { sql: first, url } = await backend.open();
    // SQLite in memory has no second connection: the same test runs on a file there.
    const file = backend.name === 'sqlite' ? join(tempDir(), 'shared.db') : null;
    const a = file ? await openStore({ kind: 'sqlite', file }) : first;
    const b = file ? await openStore({ kind: 'sqlite', file }) : await openStore({ kind: 'postgres', url });
    try {
      const count = async () =>
        (await a.get<{ n: number }>(`SELECT COUNT(*) AS n FROM meta WHERE key LIKE 'other:%'`))!.n;
      const read = () => cachedRead(a, 'meta-count', count);
      expect(await read()).toBe(0);
      await b.run(`INSERT INTO meta (key, value) VALUES ('other:1', 'written elsewhere')`);
      expect(await read()).toBe(1);
      // An open, uncommitted write elsewhere is not visible yet; its commit is, on the next read.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const didInsert = new Promise<void>((r) => (inserted = r));
      const writer = b.transaction(async (tx) => {
        await tx.run(`INSERT INTO meta (key, value) VALUES ('other:2', 'later')`);
        inserted();
        await held;
      });
      await didInsert;
      if (backend.name === 'postgres') expect(await read()).toBe(1);
      release();
      await writer;
      expect(await read()).toBe(2);
    } finally {
      if (file) {
        await a.close();
        await b.close();
      } else await b.close();
      await first.close();
    }
  });
});

describeSqliteOnly(
  'cachedReadOnDb is the cache of the modules still on the SQLite connection; cachedRead above covers PostgreSQL',
  'cachedReadOnDb',
  () => {
    it('reuses a value until the database changes', () => {
      const db = openDatabase(':memory:');
      let calls = 0;
      const read = () => cachedReadOnDb(db, 'k', () => ++calls);
      expect([read(), read()]).toEqual([1, 1]);
      db.prepare(`INSERT INTO meta (key, value) VALUES ('x', 'y')`).run();
      expect(read()).toBe(2);
    });
  },
);
