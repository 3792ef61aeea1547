// openRuntime() opens the store the install is configured for: PostgreSQL from PROMOWATCH_DATABASE_URL
// (the sites synced there, no SQLite file made, `rt.db` a stand-in that says what to do), the SQLite file
// otherwise or when --db names one.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRuntime, sqliteOnly } from '../../src/cli/runtime.ts';
import { listSites } from '../../src/db/sites.ts';
import { tempDir } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';

afterAll(stopPgServer);

function install(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'https://studio.example/' }] }),
  );
  return dir;
}

describe('the SQLite stand-in on PostgreSQL', () => {
  it('names what needs SQLite and what to do, and stays harmless until used', async () => {
    const db = sqliteOnly('The audit pages');
    const deps = { db, ...{ other: 1 } };
    expect(await Promise.resolve(deps)).toBe(deps);
    expect(() => db.prepare('SELECT 1')).toThrow(
      /^The audit pages still reads the SQLite file directly and does not work on PostgreSQL yet \(it used db\.prepare\); run it against the SQLite install, or leave out PROMOWATCH_DATABASE_URL/,
    );
  });
});

describe('openRuntime()', () => {
  it('opens the SQLite file with --db even when a PostgreSQL address is set', async () => {
    const dir = install();
    const file = join(dir, 'chosen.db');
    const rt = await openRuntime({
      config: join(dir, 'promowatch.config.json'),
      db: file,
      env: { PROMOWATCH_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' },
    });
    try {
      expect(rt.sql.dialect).toBe('sqlite');
      expect(rt.db.name).toBe(file);
      expect((await listSites(rt.sql)).map((s) => s.name)).toEqual(['studio']);
    } finally {
      await rt.close();
    }
  });

  it.runIf(pgAvailable())(
    'opens PostgreSQL from PROMOWATCH_DATABASE_URL and syncs the sites there',
    async () => {
      const url = await (await pgServer()).createDatabase();
      const dir = install();
      const env = { PROMOWATCH_DATABASE_URL: url, PROMOWATCH_DB: join(dir, 'never.db') };
      const rt = await openRuntime({ config: join(dir, 'promowatch.config.json'), env });
      try {
        expect(rt.sql.dialect).toBe('postgres');
        expect(rt.deps.sql).toBe(rt.sql);
        expect((await listSites(rt.sql)).map((s) => [s.name, s.baseUrl])).toEqual([
          ['studio', 'https://studio.example/'],
        ]);
        expect(() => rt.db.prepare('SELECT 1')).toThrow(/does not work on PostgreSQL yet/);
        expect(existsSync(join(dir, 'never.db'))).toBe(false);
      } finally {
        await rt.close();
      }
    },
  );
});
