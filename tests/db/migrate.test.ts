import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, SchemaTooNewError } from '../../src/db/migrate.ts';
import { closeDatabase, openDatabase, resolveDbPath } from '../../src/db/open.ts';
import { openStore } from '../../src/db/store/open.ts';
import { loadPgMigrations, migratePostgres, pgSchemaVersion } from '../../src/db/store/pg-migrate.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { BACKENDS, pgServer, stopPgServer } from '../pg/backends.ts';
import { describeSqliteOnly, tempDir } from '../helpers.ts';

afterAll(stopPgServer);

const tables = (db: BetterSqlite3.Database) =>
  (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describeSqliteOnly('PRAGMA user_version and the SQLite file', 'openDatabase()', () => {
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
});

describe('loadMigrations()', () => {
  it('rejects migration files with a gap in their numbers (SQLite and PostgreSQL alike)', () => {
    const dir = join(tempDir(), 'gap');
    mkdirSync(dir);
    writeFileSync(join(dir, '001-a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '003-c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/expected 2, found 3-c/);
    expect(() => loadPgMigrations(dir)).toThrow(/expected 2, found 3-c/);
  });
});

// The same promises on PostgreSQL, where the version lives in the schema_version table
// (src/db/store/pg-migrate.ts); tests/db/store-schema.test.ts checks the schemas agree.
describe.runIf(BACKENDS.some((b) => b.name === 'postgres'))('openStore() on PostgreSQL', () => {
  const pgTables = async (sql: Awaited<ReturnType<typeof openStore>>) =>
    (
      await sql.all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
      )
    ).map((r) => r.name);

  it('creates every table in an empty database and records the newest version', async () => {
    const url = await (await pgServer()).createDatabase();
    const sql = await openStore({ kind: 'postgres', url });
    try {
      expect(await pgTables(sql)).toEqual(
        expect.arrayContaining(['sites', 'job_runs', 'events', 'alerts', 'meta', 'uptime_checks']),
      );
      expect(await pgSchemaVersion(sql)).toBe(loadPgMigrations().length);
      expect(await sql.all('SELECT version FROM schema_version')).toEqual([
        { version: loadPgMigrations().length },
      ]);
    } finally {
      await sql.close();
    }
  });

  it('re-opens an up-to-date database without applying anything again and keeps its rows', async () => {
    const url = await (await pgServer()).createDatabase();
    const first = await openStore({ kind: 'postgres', url });
    await first.run(
      `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://s.example/', 'UTC', 'x')`,
    );
    await first.close();
    const again = await openStore({ kind: 'postgres', url });
    try {
      expect(await migratePostgres(again, 'test db')).toEqual([]);
      expect(await again.all('SELECT name FROM sites')).toEqual([{ name: 'studio' }]);
    } finally {
      await again.close();
    }
  });

  it('refuses a database written by a newer promowatch, naming both versions', async () => {
    const url = await (await pgServer()).createDatabase();
    const raw = connectPostgres(url);
    await raw.exec(
      'CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (999)',
    );
    await raw.close();
    const opening = openStore({ kind: 'postgres', url });
    await expect(opening).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(opening).rejects.toThrow(/schema version 999.*knows versions up to \d+.*upgrade promowatch/);
    // Refused before anything was written: the database still holds only the version table.
    const check = connectPostgres(url);
    try {
      expect(await pgTables(check)).toEqual(['schema_version']);
    } finally {
      await check.close();
    }
  });

  it('keeps the migrations before a failing one (each is its own transaction) and nothing of the failing one', async () => {
    const dir = join(tempDir(), 'migrations');
    mkdirSync(dir);
    writeFileSync(join(dir, '001-good.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '002-bad.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const url = await (await pgServer()).createDatabase();
    const sql = connectPostgres(url);
    try {
      await expect(migratePostgres(sql, 'test db', loadPgMigrations(dir))).rejects.toThrow(
        /^Migration pg\/002-bad failed: relation "nowhere" does not exist/,
      );
      expect(await pgTables(sql)).toEqual(['a', 'schema_version']);
      expect(await pgSchemaVersion(sql)).toBe(1);
    } finally {
      await sql.close();
    }
  });
});

describe('resolveDbPath()', () => {
  it('prefers --db, then PROMOWATCH_DB, then data/promowatch.db', () => {
    expect(resolveDbPath('/x/flag.db', { PROMOWATCH_DB: '/x/env.db' })).toBe('/x/flag.db');
    expect(resolveDbPath(undefined, { PROMOWATCH_DB: '/x/env.db' })).toBe('/x/env.db');
    expect(resolveDbPath(undefined, {})).toMatch(/data\/promowatch\.db$/);
  });
});
