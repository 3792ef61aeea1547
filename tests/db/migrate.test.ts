import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, SchemaTooNewError } from '../../src/db/migrate.ts';
import { closeDatabase, openDatabase, resolveDbPath } from '../../src/db/open.ts';
import { tempDir } from '../helpers.ts';

const tables = (db: BetterSqlite3.Database) =>
  (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('openDatabase()', () => {
  it('creates every table from an empty file and records the newest version', () => {
    const file = join(tempDir(), 'sub', 'fresh.db');
    const db = openDatabase(file);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['sites', 'job_runs', 'events', 'alerts', 'meta', 'uptime_checks']),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    closeDatabase(db);
  });

  it('re-opens an up-to-date database without applying anything again and keeps its rows', () => {
    const file = join(tempDir(), 'again.db');
    const db1 = openDatabase(file);
    db1
      .prepare(
        `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://s.example/', 'UTC', 'x')`,
      )
      .run();
    closeDatabase(db1);
    const db2 = openDatabase(file);
    expect(migrate(db2)).toEqual([]);
    expect(db2.prepare('SELECT name FROM sites').all()).toEqual([{ name: 'studio' }]);
    closeDatabase(db2);
  });

  it('refuses a database written by a newer promowatch, naming both versions', () => {
    const file = join(tempDir(), 'newer.db');
    const raw = new BetterSqlite3(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(
      /schema version 999.*knows versions up to \d+.*upgrade promowatch/,
    );
  });

  it('rolls back every pending migration when one of them fails', () => {
    const dir = join(tempDir(), 'migrations');
    mkdirSync(dir);
    writeFileSync(join(dir, '001-good.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '002-bad.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/Migration 2-bad failed: no such table: nowhere/);
    expect(tables(db)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
  });

  it('rejects migration files with a gap in their numbers', () => {
    const dir = join(tempDir(), 'gap');
    mkdirSync(dir);
    writeFileSync(join(dir, '001-a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '003-c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/expected 2, found 3-c/);
  });
});

describe('resolveDbPath()', () => {
  it('prefers --db, then PROMOWATCH_DB, then data/promowatch.db', () => {
    expect(resolveDbPath('/x/flag.db', { PROMOWATCH_DB: '/x/env.db' })).toBe('/x/flag.db');
    expect(resolveDbPath(undefined, { PROMOWATCH_DB: '/x/env.db' })).toBe('/x/env.db');
    expect(resolveDbPath(undefined, {})).toMatch(/data\/promowatch\.db$/);
  });
});
